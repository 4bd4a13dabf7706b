"""Analyse one shopper message: language, intent, sentiment, frustration and entities."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone

from automation.nlu.entities import extract_entities
from automation.nlu.language import UNDETERMINED, detect_language
from automation.nlu.model import get_models, intent_sample
from automation.nlu.result import Catalogue, NluResult
from automation.nlu.sentiment import is_frustrated, score_sentiment
from automation.nlu.text import has_letters

# Long emails carry their ask up front; bounding the text bounds the time per message.
MAX_CHARS = 4000
_EMOJI_INTENTS = {
    "🙏": "thanks", "👍": "thanks", "👌": "thanks", "❤": "thanks", "😊": "thanks",
    "🥰": "thanks", "😍": "thanks", "👋": "greeting",
}


def _rule_intent(text: str, entities: dict) -> tuple[str, float] | None:
    """Return the intent of a message without words (emoji, digits), which the model can't read."""
    if has_letters(text):
        return None
    for emoji, intent in _EMOJI_INTENTS.items():
        if emoji in text:
            return intent, 0.6
    if entities["order_numbers"]:
        return "order_status", 0.5  # a bare "CMD-48213"-like reply most often asks about it
    return "other", 0.9


def _classify(text: str) -> tuple[str, float]:
    model = get_models().intent
    probabilities = model.probabilities(intent_sample(text))
    best = int(probabilities.argmax())
    return model.classes[best], float(probabilities[best])


def analyse(
    text: str,
    *,
    catalogue: Catalogue | None = None,
    history: Sequence[str] = (),
    language_hint: str | None = None,
    today: date | None = None,
) -> NluResult:
    """Return what a shopper message says: language, intent, feelings and entities."""
    text = (text or "")[:MAX_CHARS]
    history = [message[:MAX_CHARS] for message in history if isinstance(message, str)]
    today = today or datetime.now(timezone.utc).date()
    language = detect_language(text, history=history, hint=language_hint)
    entities = extract_entities(
        text,
        language=language if language != UNDETERMINED else "",
        today=today,
        products=catalogue.products if catalogue else (),
    )
    intent, confidence = _rule_intent(text, entities) or _classify(text)
    sentiment = score_sentiment(text)
    return NluResult(
        language=language,
        intent=intent,
        confidence=round(confidence, 3),
        sentiment=sentiment,
        frustrated=is_frustrated(text, sentiment=sentiment, history=history),
        entities=entities,
    )
