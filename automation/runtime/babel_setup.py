"""Both apps' pages in French, English and Portuguese (Flask-Babel), from the one catalogue.

The language is the logged-in person's own (a shopper's or a staff member's profile
language), else the browser's `Accept-Language`, else English.
"""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_babel import Babel, format_currency, get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from automation.runtime.i18n import CATALOGUE, LANGUAGES, compile_catalogue

log = logging.getLogger(__name__)


def select_language() -> str:
    """Return the interface language of this request."""
    try:
        language = current_user.language if current_user.is_authenticated else None
    except SQLAlchemyError:  # an error page while the database is down still renders
        language = None
    if language in LANGUAGES:
        return language
    return request.accept_languages.best_match(LANGUAGES) or "en"


def current_language() -> str:
    """Return the two-letter language the page is being rendered in."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to `app` and make sure the catalogue is compiled."""
    try:
        compile_catalogue()
    except OSError as exc:  # a read-only install: the pages stay in English, nothing breaks
        log.warning("could not compile the translations: %s", exc)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(CATALOGUE))
    Babel(app, locale_selector=select_language)
    # One app context may serve several requests (tests, the socket's long request): choose
    # the language again for each one.
    app.before_request(refresh)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["format_currency"] = format_currency
