"""The local agent's words in French, English and Portuguese."""

from __future__ import annotations

from typing import Any

from automation.agents.local.phrases import en, fr, pt

TABLES: dict[str, dict[str, Any]] = {"fr": fr.PHRASES, "en": en.PHRASES, "pt": pt.PHRASES}
REPLY_LANGUAGES = tuple(TABLES)


def say(key: str, language: str, *, seed: int = 0, **values: Any) -> str:
    """Return the phrase `key` in `language`, variant chosen by `seed`, with `values` filled."""
    table = TABLES.get(language, TABLES["en"])
    variants = table[key]
    text = variants[seed % len(variants)]
    return text.format(**values) if values else text


def word(key: str, language: str, value: str) -> str:
    """Return a word from a lookup table (e.g. an order status) in `language`."""
    return TABLES.get(language, TABLES["en"])[key].get(value, value)
