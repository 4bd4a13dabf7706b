"""Tell which language a shopper writes in: fr, en, pt, es, or "und"."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from automation.nlu.model import LANGUAGES, Models, get_models, language_sample
from automation.nlu.text import fold, words

UNDETERMINED = "und"
LANGID_WEIGHT = 0.2  # chosen by 5-fold cross-validation on the training split
CONFIDENT = 0.8
UNKNOWN_WORDS_CONFIDENCE = 0.5

# One-word answers that settle the language on their own ("oui", "sim", "thx"); words shared by
# several languages ("ok", "no", "si", "super") are deliberately absent.
_SHORT_WORDS: dict[str, str] = {
    word: language
    for language, listed in {
        "fr": "oui ouais ouai merci mrc cimer bonjour bjr bonsoir bsr salut slt coucou cc svp "
              "stp nan daccord parfait nickel bisous ben euh voila",
        "en": "yes yeah yep yup nope thanks thank thx ty tysm hello hi hey hiya please pls plz "
              "cheers great sure bye goodbye umm lol",
        "pt": "sim obrigado obrigada obg brigado brigada vlw valeu oi oii ola tchau beleza blz "
              "nao sei pf kkk kkkk kkkkk rsrs rsrsrs teste adeus",
        "es": "hola gracias vale buenas adios jajaja prueba",
    }.items()
    for word in listed.split()
}


_CODE_WORDS = frozenset({"cmd", "cmde", "cde"})
LANGUAGE_SAMPLE_CHARS = 300  # how much of a text language detection reads


def _model_scores(text: str, sample: tuple[str], models: Models) -> np.ndarray:
    """Return log-scores over LANGUAGES from our char model combined with langid."""
    own = models.language.probabilities(sample)
    own_by_language = dict(zip(models.language.classes, own))
    langid = models.langid.rank(text)
    return np.array([
        np.log(own_by_language.get(language, 0.0) + 1e-9)
        + LANGID_WEIGHT * np.log(langid.get(language, 0.0) + 1e-9)
        for language in LANGUAGES
    ])


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()


def _prior(history: Sequence[str], hint: str | None, models: Models) -> str | None:
    """Return the language the conversation already established, if any."""
    recent = [message for message in history[-3:] if message and message.strip()]
    if recent:
        detected, confidence = _detect(" \n ".join(recent), models)
        if detected != UNDETERMINED and confidence >= CONFIDENT:
            return detected
    if hint:
        hint = hint.strip().lower()[:2]
        if hint in LANGUAGES:
            return hint
    return None


def _detect(text: str, models: Models) -> tuple[str, float]:
    # Fifty words say which language a message is in as well as five hundred, for a fraction
    # of the cost of a long email (or of the three messages of history read for a prior).
    text = text.lstrip()
    if len(text) > LANGUAGE_SAMPLE_CHARS:
        text = text[:LANGUAGE_SAMPLE_CHARS].rsplit(None, 1)[0]  # no half word
    folded = fold(text)
    # "CMD-48213", "W2378156": order numbers and other codes say nothing about a language.
    tokens = [token for token in words(folded)
              if token.isalpha() and token not in _CODE_WORDS]
    if not tokens:
        return UNDETERMINED, 1.0
    cued = {_SHORT_WORDS[token] for token in tokens if token in _SHORT_WORDS}
    if len(tokens) <= 2 and len(cued) == 1:
        return cued.pop(), 1.0
    sample = language_sample(text)
    probabilities = _softmax(_model_scores(text, sample, models))
    best = int(probabilities.argmax())
    confidence = float(probabilities[best])
    # Not one word ever seen in any language ("blorp zzkx", a surname): the letters alone
    # are a guess, however sure the character model sounds.
    if not models.language.knows_any(sample):
        confidence = min(confidence, UNKNOWN_WORDS_CONFIDENCE)
    return LANGUAGES[best], confidence


def detect_language(
    text: str, *, history: Sequence[str] = (), hint: str | None = None
) -> str:
    """Return the ISO 639-1 language of a shopper message, or "und" when it has no words."""
    models = get_models()
    language, confidence = _detect(text, models)
    if language == UNDETERMINED:
        return language
    # "ok", "d'accord ?" or "sim" alone are too short to trust over the conversation so far,
    # and so is a longer text no language explains well ("blorp zzkx wibble frotz", a name).
    if confidence < CONFIDENT:
        prior = _prior(history, hint, models)
        if prior is not None:
            return prior
    return language
