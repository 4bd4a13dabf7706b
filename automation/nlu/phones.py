"""Find phone numbers and return them in E.164, without mistaking order numbers for phones."""
from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

# Regions tried for numbers written without a country code, by message language.
REGIONS = {
    "fr": ("FR", "BE", "CH", "LU"),
    "en": ("GB", "US", "IE"),
    "pt": ("PT", "BR"),
    "es": ("ES", "MX"),
}
_ALL_REGIONS = ("FR", "PT", "GB", "ES", "BR", "US", "BE", "CH", "IE", "LU", "MX")
MAX_CANDIDATES = 12
_CANDIDATE = re.compile(r"(?<![\w+#/])(?:\+|00)?\d[\d \-.()/\u00a0]{6,18}\d(?![\w/])")
_PHONE_WORDS = re.compile(
    r"\b(?:tel|tele\w*|phone|portable|mobile|cell|telemovel|celular|whatsapp|numero|"
    r"number|num|appel\w*|rappel\w*|call|ligar|ligue\w*|liga|llam\w*|joindre|contact\w*|"
    r"sms|text)\b[^\n]{0,30}$"
)


@dataclass(frozen=True)
class Phone:
    start: int
    end: int
    e164: str


def _parse(candidate: str, regions: tuple[str, ...]) -> str | None:
    text = "+" + candidate[2:] if candidate.startswith("00") else candidate
    possible = None
    for region in (None,) if text.startswith("+") else regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number):
            return e164
        if possible is None and phonenumbers.is_possible_number(number):
            possible = e164
    # "+44 7700 900456" or "07700 900123" are written as phones even where the range is not
    # allocated: keep them as phones rather than let their digits pass for an order number.
    return possible if text.startswith(("+", "0")) else None


def find_phones(working: str, *, language: str) -> list[Phone]:
    """Return the phone numbers of a message whose emails, orders, dates are blanked out."""
    # The message's own regions first; a French number in an English message is still valid.
    preferred = REGIONS.get(language, ())
    regions = preferred + tuple(region for region in _ALL_REGIONS if region not in preferred)
    found = []
    for tried, match in enumerate(_CANDIDATE.finditer(working)):
        if tried >= MAX_CANDIDATES:
            break  # parsing is the slow part; no shopper sends more numbers than this
        candidate = match.group().strip()
        digits = re.sub(r"\D", "", candidate)
        if not 8 <= len(digits) <= 15:
            continue
        plain = candidate.isdigit()
        if plain and not candidate.startswith("0"):
            # "771204330" alone is more often an order or a parcel than a phone: want a cue.
            before = working[max(0, match.start() - 40):match.start()]
            if not _PHONE_WORDS.search(before):
                continue
        e164 = _parse(candidate, regions)
        if e164 is not None:
            found.append(Phone(match.start(), match.start() + len(candidate), e164))
    return found
