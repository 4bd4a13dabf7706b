"""The staff interface in French, English and Portuguese (Flask-Babel).

The language is the staff member's own (`staff_users.language`), else the browser's
`Accept-Language`, else English; the catalogue is the desk's one catalogue.
"""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_babel import Babel, format_currency, get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from automation.runtime.i18n import CATALOGUE, LANGUAGES, compile_catalogue

log = logging.getLogger(__name__)
babel = Babel()


def select_language() -> str:
    """Return the interface language of this request."""
    try:
        staff = current_user.user if current_user.is_authenticated else None
    except SQLAlchemyError:  # an error page while the database is down still renders
        staff = None
    if staff is not None and staff.language in LANGUAGES:
        return staff.language
    return request.accept_languages.best_match(LANGUAGES) or "en"


def current_language() -> str:
    """Return the two-letter language the page is being rendered in."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the staff member's language."""
    try:
        compile_catalogue()
    except OSError as exc:  # a read-only install: the pages stay in English, nothing breaks
        log.warning("could not compile the translations: %s", exc)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(CATALOGUE))
    babel.init_app(app, locale_selector=select_language)
    app.before_request(refresh)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["format_currency"] = format_currency
