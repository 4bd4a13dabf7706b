"""Errors of the staff app: the JSON shape of API.md on /api/, friendly pages elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from automation.runtime.errors import CODE_BY_STATUS, DeskError, error_body

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """Tell whether this request should be answered in JSON rather than HTML."""
    return request.path.startswith("/api/") or request.is_json


def _answer(code: str, message: str, status: int, fields: dict[str, str] | None = None):
    if wants_json():
        return jsonify(error_body(code, message, fields)), status
    if request.headers.get("HX-Request"):
        # An htmx request swaps the answer in place: the error goes to the alert box.
        html = render_template("_alert.html", message=message)
        return html, status, {"HX-Retarget": "#alerts", "HX-Reswap": "innerHTML",
                              "Vary": "HX-Request"}
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(DeskError)
    def desk_error(exc: DeskError):
        return _answer(exc.code, exc.message, exc.status, exc.fields)

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError):
        return _answer("forbidden", _("This form has expired: reload the page and try again."),
                       403)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = {403: _("This is not yours to see or change."),
                   404: _("This page does not exist."),
                   413: _("What you sent is too long."),
                   429: _("Too many attempts: wait a little and try again.")}.get(
            status, exc.description or exc.name) if not wants_json() else (
            exc.description or exc.name)
        response = _answer(CODE_BY_STATUS.get(status, "validation_error"), message, status)
        if status == 429 and exc.get_response().headers.get("Retry-After"):
            response = (*response, {"Retry-After": exc.get_response().headers["Retry-After"]}) \
                if len(response) == 2 else response
        return response

    @app.errorhandler(Exception)
    def unexpected(_exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _answer("internal_error", _("Something went wrong on our side."), 500)
