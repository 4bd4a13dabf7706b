"""Recognise a shopper's yes or no, in French, English and Portuguese (and Spanish)."""

from __future__ import annotations

import re
import unicodedata

_YES = {
    "yes", "y", "yeah", "yep", "yup", "ok", "okay", "sure", "confirm", "confirmed", "correct",
    "please do", "go ahead", "do it", "absolutely", "of course", "right", "that's right",
    "oui", "ouais", "ouaip", "d'accord", "dac", "daccord", "je confirme", "confirme",
    "vas-y", "vas y", "allez-y", "allez y", "bien sur", "exactement", "c'est ca", "ok merci",
    "sim", "s", "claro", "pode", "pode ser", "confirmo", "isso", "isso mesmo", "com certeza",
    "ta bom", "esta bem", "certo", "exato", "si", "vale", "yes please", "oui merci", "sim obrigado",
    "sim obrigada", "oui svp", "oui s'il vous plait", "oui, merci", "yes, please",
}
_NO = {
    "no", "n", "nope", "nah", "don't", "dont", "do not", "cancel that", "stop", "not now",
    "non", "nan", "pas du tout", "surtout pas", "laisse tomber", "annule pas", "non merci",
    "nao", "não", "nao obrigado", "não obrigado", "nao obrigada", "não obrigada", "negativo",
    "deixa", "deixa pra la", "nem pensar", "no thanks", "no, thanks", "non, merci",
}
_YES_EMOJI = {"👍", "👌", "✅", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"}
_NEGATIONS = {"no", "non", "nao", "pas", "not", "nem", "don't", "dont"}
_LEADING = re.compile(r"^(yes|oui|sim|si|ok|no|non|nao|não)\b")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'")
    return re.sub(r"[\s!.?,;:)(👍🙏]+", " ", text).strip()


def is_yes(text: str) -> bool:
    """Tell whether the message is a plain yes (never a yes buried in a longer ask)."""
    if text.strip() in _YES_EMOJI:
        return True
    norm = _normalise(text)
    if norm in _YES:
        return True
    match = _LEADING.match(norm)
    return bool(match and match.group(1) in {"yes", "oui", "sim", "si", "ok"}
                and len(norm.split()) <= 4 and not _NEGATIONS & set(norm.split()))


def is_no(text: str) -> bool:
    """Tell whether the message is a plain no."""
    norm = _normalise(text)
    if norm in _NO:
        return True
    match = _LEADING.match(norm)
    return bool(match and match.group(1) in {"no", "non", "nao"} and len(norm.split()) <= 4)
