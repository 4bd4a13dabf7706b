"""The shopper interface in French, English and Portuguese (Flask-Babel).

The language is the logged-in shopper's profile language, else the browser's
`Accept-Language`, else English. Catalogs live in `web_app/translations/` as .po files; the
.mo files are compiled by `make install` and, when missing or stale, here at start-up.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from flask_babel import Babel, format_currency, get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
UI_LANGUAGES = ("fr", "en", "pt")
babel = Babel()


def select_language() -> str:
    """Return the interface language of this request."""
    try:
        shopper = current_user.customer if current_user.is_authenticated else None
    except SQLAlchemyError:  # an error page while the database is down still renders
        shopper = None
    if shopper is not None and shopper.language in UI_LANGUAGES:
        return shopper.language
    return request.accept_languages.best_match(UI_LANGUAGES) or "en"


def current_language() -> str:
    """Return the two-letter language the page is being rendered in."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def compile_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every .po file whose .mo is missing or older; return the files written."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        # Written aside and renamed: several workers may start at the same moment.
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(temporary, mo_path)
        written.append(mo_path)
    return written


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the shopper's language and make sure the catalogs are compiled."""
    try:
        compile_catalogs()
    except OSError as exc:  # a read-only install: the pages stay in English, nothing breaks
        log.warning("could not compile the translations: %s", exc)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_language)
    # One app context may serve several requests (tests, the socket's long request): choose
    # the language again for each one.
    app.before_request(refresh)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["format_currency"] = format_currency
