"""Text folding shared by every NLU step: lowercase, accents off, offsets kept."""
from __future__ import annotations

import re
import unicodedata


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x41, 0x5B):
        table[code] = chr(code).lower()
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if base.isascii() and base.isalpha():
            table[code] = base
    # Shoppers type curly apostrophes on phones; keep one length-1 form so offsets stay valid.
    table[ord("\u2019")] = "'"
    table[ord("\u2018")] = "'"
    table[ord("`")] = "'"
    table[ord("\u00ba")] = "o"  # "nº" is written "no" as often as with the ordinal sign
    table[ord("\u00aa")] = "a"
    return table


_FOLD = _fold_table()
_WORD = re.compile(r"[a-z0-9]+")
_ELONGATED = re.compile(r"([a-z])\1{2,}")
_SPACES = re.compile(r"\s+")
# Possessive runs and a look-behind that forbids starting mid-word keep long junk linear.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@(?:[A-Za-z0-9-]++\.)+[A-Za-z]{2,}+(?![\w-])")


def fold(text: str) -> str:
    """Return text lowercased and without accents, with exactly the same length."""
    return text.translate(_FOLD)


def unstretch(folded: str) -> str:
    """Return folded text with letters typed three times or more kept once ("merciii")."""
    return _ELONGATED.sub(r"\1", folded)


def words(folded: str) -> list[str]:
    """Split folded text into its alphanumeric words, with stretched letters cut."""
    return _WORD.findall(unstretch(folded))


def squash(text: str) -> str:
    """Return folded text with runs of whitespace made single spaces, for keys and hashes."""
    return _SPACES.sub(" ", fold(text)).strip()


def has_letters(text: str) -> bool:
    """Tell whether text holds at least one letter (emoji and digits alone do not count)."""
    return any(char.isalpha() for char in text)
