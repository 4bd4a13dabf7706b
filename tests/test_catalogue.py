"""The desk's one catalogue: every sentence translated into French and Portuguese, with the
same placeholders as the English (a missing `{name}` would cost a shopper their reply)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from automation.runtime.i18n import CATALOGUE

PLACEHOLDERS = re.compile(r"\{(\w+)\}|%\((\w+)\)s")


def _catalog(language: str):
    with (CATALOGUE / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def _names(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDERS.findall(text)}


@pytest.mark.parametrize("language", ["fr", "pt"])
def test_every_sentence_is_translated_with_its_placeholders(language):
    template = {m.id if isinstance(m.id, str) else m.id[0]
                for m in read_po((CATALOGUE / "messages.pot").open("rb")) if m.id}
    catalog = _catalog(language)
    seen = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        seen.add(ids[0])
        assert all(strings), f"{language}: {ids[0]!r} is not translated"
        assert "fuzzy" not in message.flags, f"{language}: {ids[0]!r} is a fuzzy guess"
        expected = set().union(*(_names(i) for i in ids)) - {"count", "num"}
        for string in strings:
            assert _names(string) - {"count", "num"} == expected, (language, ids[0], string)
    assert template <= seen, f"{language}: not in the catalogue: {sorted(template - seen)[:5]}"
