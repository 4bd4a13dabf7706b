"""The desk's words in French, English and Portuguese: one gettext catalogue, Babel formats.

Every sentence the desk says to a shopper or a staff member is written in English in the code,
marked for extraction (`N_`, `NP_`, or the apps' `_`), and translated in `translations/` (the
same catalogue serves the pages of both apps). Dates and money are written by Babel in the
reader's locale. `make translations` refreshes the catalogue after a change of words.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

CATALOGUE = Path(__file__).resolve().parents[2] / "translations"
DOMAIN = "messages"
LANGUAGES = ("fr", "en", "pt")          # the languages the desk speaks
LOCALES = {"fr": "fr_FR", "en": "en_GB", "pt": "pt_PT"}


def N_(msgid: str) -> str:
    """Mark an English sentence for the catalogue; it is translated where it is said."""
    return msgid


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark the singular and plural forms of an English sentence for the catalogue."""
    return singular, plural


def language_of(*candidates: str | None) -> str:
    """Return the first candidate the desk speaks (English when none)."""
    return next((c for c in candidates if c in LANGUAGES), "en")


def compile_catalogue(directory: Path = CATALOGUE) -> list[Path]:
    """Compile every .po file whose .mo is missing or older; return the files written."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        # Written aside and renamed: several processes may start at the same moment.
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(temporary, mo_path)
        written.append(mo_path)
    return written


@lru_cache(maxsize=8)
def translations(language: str) -> NullTranslations:
    """Return the compiled catalogue of `language` (English is the source: no catalogue)."""
    if language == "en" or language not in LANGUAGES:
        return NullTranslations()
    try:
        compile_catalogue()
    except OSError as exc:  # a read-only install: keep what was compiled at install time
        log.warning("could not compile the translations: %s", exc)
    found = Translations.load(str(CATALOGUE), [language], DOMAIN)
    return found if isinstance(found, Translations) else NullTranslations()


def text(language: str, msgid: str, **values: Any) -> str:
    """Return `msgid` said in `language`, with its `{placeholders}` filled."""
    said = translations(language).gettext(msgid)
    return _fill(said, msgid, values)


def plural(language: str, forms: tuple[str, str], count: int, **values: Any) -> str:
    """Return the form of `forms` for `count`, said in `language`, placeholders filled."""
    said = translations(language).ngettext(forms[0], forms[1], count)
    return _fill(said, forms[0] if count == 1 else forms[1], {"count": count, **values})


def _fill(said: str, source: str, values: dict[str, Any]) -> str:
    if not values:
        return said
    try:
        return said.format(**values)
    except (KeyError, IndexError, ValueError):
        # A translation that names a placeholder wrongly must not cost the shopper a reply.
        log.error("translation of %r does not fit its placeholders", source)
        return source.format(**values)


def day(value: date | datetime | str | None, language: str) -> str:
    """Write a day the reader's way: 12 Nov, 12 nov., 12/11."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    return format_skeleton("MMMd", value, locale=LOCALES[language_of(language)])


def moment(value: datetime, language: str) -> str:
    """Write a day and time the reader's way, in the value's own time zone: Mon 09:00."""
    from babel.dates import format_datetime

    return format_datetime(value, "EEEE HH:mm", tzinfo=value.tzinfo,
                           locale=LOCALES[language_of(language)])


def money(amount: Decimal | str | int, currency: str, language: str) -> str:
    """Write an amount the reader's way: €49.90, 49,90 €."""
    return format_currency(Decimal(str(amount)), currency,
                           locale=LOCALES[language_of(language)])
