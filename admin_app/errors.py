"""Errors of the staff app: the JSON shape of API.md on /api/, friendly pages elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from automation.runtime.errors import DeskError, error_body

log = logging.getLogger(__name__)
CODE_BY_STATUS = {400: "validation_error", 401: "unauthorized", 403: "forbidden",
                  404: "not_found", 413: "payload_too_large", 429: "rate_limited",
                  500: "internal_error"}


def _answer(code: str, message: str, status: int, fields: dict[str, str] | None = None):
    if request.path.startswith("/api/"):
        return jsonify(error_body(code, message, fields)), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(DeskError)
    def desk_error(exc: DeskError):
        return _answer(exc.code, exc.message, exc.status, exc.fields)

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError):
        return _answer("forbidden", "This form has expired: reload the page and try again.",
                       400)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        return _answer(CODE_BY_STATUS.get(status, "validation_error"),
                       exc.description or exc.name, status)

    @app.errorhandler(Exception)
    def unexpected(_exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _answer("internal_error", "Something went wrong on our side.", 500)
