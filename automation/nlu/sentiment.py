"""Score how a shopper feels (-1..1) and whether they are frustrated."""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

from automation.nlu.lexicons import (
    FRUSTRATION_PHRASES,
    FRUSTRATION_WORDS,
    GRIEVANCES,
    INSULTS,
    INTENSIFIERS,
    NEGATORS,
    PHRASE_VALENCE,
    VALENCE,
)
from automation.nlu.text import fold, words
from automation.nlu.wordmap import WordMap

_VALENCE_MAP = WordMap({key: (key,) for key in VALENCE})
_INSULT_MAP = WordMap({"insult": INSULTS})
_FRUSTRATION_MAP = WordMap({"frustration": FRUSTRATION_WORDS})
_PHRASES = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(phrase) for phrase in FRUSTRATION_PHRASES) + r")(?![a-z])"
)
_VALENCE_PHRASES = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(phrase) for phrase in PHRASE_VALENCE) + r")(?![a-z])"
)
_GRIEVANCE = re.compile(r"(?<![a-z])(?:" + "|".join(GRIEVANCES) + r")(?![a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
GRIEVANCE_VALENCE = -1.5  # what "still nothing" weighs on its own
STRONGLY_NEGATIVE = -1.5  # a word this bad ("broken", "ruined") silences praise beside it
_BANGS = re.compile(r"!{2,}|\?!|!\?")
_UPPER_WORD = re.compile(r"\b[A-ZÀ-Ý]{3,}\b")
NEGATION_WINDOW = 3
SATURATION = 6.0  # x / sqrt(x² + 6): two strong words already give about -0.9
REPEAT_SIMILARITY = 0.6


def _valence(word: str) -> float:
    key = _VALENCE_MAP.first_token(word)
    return VALENCE[key] if key is not None else 0.0


def _plain(text: str) -> str:
    """Return folded text with every run of non-alphanumerics made one space ("don t")."""
    return " " + _NOT_WORD.sub(" ", fold(text)).strip() + " "


def score_sentiment(text: str) -> float:
    """Return the sentiment of a message from -1 (angry) to 1 (delighted), 0 when neutral."""
    tokens = words(fold(text))
    plain = _plain(text)
    aggrieved = bool(_GRIEVANCE.search(plain))
    values = [PHRASE_VALENCE[match.group()] for match in _VALENCE_PHRASES.finditer(plain)]
    for position, token in enumerate(tokens):
        value = _valence(token)
        if not value:
            continue
        window = tokens[max(0, position - NEGATION_WINDOW):position]
        if any(previous in INTENSIFIERS for previous in window[-2:]):
            value *= 1.3
        if any(previous in NEGATORS for previous in window):
            # "not happy" is unhappy; "pas mal", "not bad" are only mildly good.
            value *= -1.0 if value > 0 else -0.5
        values.append(value)
    if aggrieved:
        # "great, still nothing after 3 weeks": politeness around a grievance is sarcasm or
        # exasperation, so positive words count against the shop instead of for it.
        total = GRIEVANCE_VALENCE - sum(abs(value) for value in values)
    elif any(value <= STRONGLY_NEGATIVE for value in values):
        # "lovely, the book arrived ruined": beside a real grievance, praise is not praise.
        total = sum(value for value in values if value < 0)
    else:
        total = sum(values)
    if total and _BANGS.search(text):
        total *= 1.3
    if total and _shouting(text):
        total *= 1.2
    score = total / math.sqrt(total * total + SATURATION)
    return round(max(-1.0, min(1.0, score)), 3)


def _shouting(text: str) -> bool:
    """Tell whether a message is written in capitals ("OÙ EST MA COMMANDE")."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) < 8:
        return False
    upper = sum(char.isupper() for char in letters)
    return upper / len(letters) >= 0.7 and len(_UPPER_WORD.findall(text)) >= 2


def _content(text: str) -> set[str]:
    return {token for token in words(fold(text)) if len(token) >= 3 and not token.isdigit()}


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d{3,}", text))


def _repeats(text: str, history: Sequence[str]) -> bool:
    """Tell whether the shopper is asking again what an earlier message already asked."""
    current = _content(text)
    if len(current) < 2:
        return False
    numbers = _numbers(text)
    similar = 0
    for earlier in history:
        previous = _content(earlier)
        if not previous:
            continue
        if numbers and numbers != _numbers(earlier):
            continue  # the same words about another order are a new question, not a repeat
        overlap = len(current & previous) / len(current | previous)
        if overlap >= REPEAT_SIMILARITY:
            return True
        if overlap >= REPEAT_SIMILARITY * 2 / 3:
            similar += 1
    return similar >= 2


def is_frustrated(text: str, *, sentiment: float, history: Sequence[str] = ()) -> bool:
    """Tell whether the shopper is frustrated: insults, exasperation, shouting, repeats."""
    folded = fold(text)
    tokens = words(folded)
    if any(_INSULT_MAP.first_token(token) for token in tokens):
        return True
    if any(_FRUSTRATION_MAP.first_token(token) for token in tokens) or _PHRASES.search(folded):
        return True
    if _shouting(text) and sentiment <= 0.3:
        return True
    if _BANGS.search(text) and sentiment < 0:
        return True
    if sentiment <= -0.75:
        return True
    return bool(history) and _repeats(text, history)
