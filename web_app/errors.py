"""Errors of the shopper app: the JSON shape of API.md on API routes, friendly pages elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from automation.runtime.errors import CODE_BY_STATUS, DeskError, error_body

log = logging.getLogger(__name__)



def wants_json() -> bool:
    """Tell whether this request should be answered in JSON rather than HTML."""
    return request.path.startswith(("/api/", "/webhooks/")) or request.is_json


def json_error(code: str, message: str, status: int,
               fields: dict[str, str] | None = None) -> Response:
    """Return the API.md error body with `status`."""
    response = jsonify(error_body(code, message, fields))
    response.status_code = status
    return response


def _page(status: int, title: str, message: str, *, own_words: bool = False):
    # A friendly, translated page for the statuses shoppers meet; the technical text otherwise.
    if not own_words:
        title, message = _friendly_texts().get(status, (title, message))
    if request.headers.get("HX-Request"):
        # An htmx request swaps the answer in place: the error goes to the page's alert box,
        # whatever element asked (a rating button, a filter…), so the shopper always sees it.
        html = render_template("_alert.html", title=title, message=message)
        return html, status, {"HX-Retarget": "#alerts", "HX-Reswap": "innerHTML",
                              "Vary": "HX-Request"}
    return render_template("error.html", status=status, title=title, message=message), status


def _friendly_texts() -> dict[int, tuple[str, str]]:
    return {
        403: (_("Not allowed"), _("This is not yours to see or change.")),
        404: (_("Page not found"),
              _("This page does not exist, or it is not yours to see.")),
        409: (_("Already done"), _("This was done already: there is nothing more to do.")),
        413: (_("Too long"), _("What you sent is too long. Please shorten it and try again.")),
        429: (_("Slow down a little"),
              _("You are going a bit fast for us. Please wait a minute and try again.")),
        500: (_("Something went wrong"), _("We are sorry: please try again in a moment.")),
    }


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(DeskError)
    def desk_error(exc: DeskError):
        if wants_json():
            return json_error(exc.code, exc.message, exc.status, exc.fields)
        return _page(exc.status, _("Something is not right"), exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        # A missing or stale token forbids the request: 403, as its code says.
        if wants_json():
            return json_error("forbidden", "the form has expired; reload the page", 403)
        return _page(403, _("This form has expired"),
                     _("Please go back, reload the page and try again."), own_words=True)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if wants_json():
            message = {413: "body: larger than 64 KiB"}.get(status, exc.description or exc.name)
            response = json_error(CODE_BY_STATUS.get(status, "validation_error"), message, status)
            if status == 429 and exc.get_response().headers.get("Retry-After"):
                response.headers["Retry-After"] = exc.get_response().headers["Retry-After"]
            return response
        return _page(status, exc.name, exc.description or "")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return json_error("internal_error", "something went wrong on our side", 500)
        return _page(500, "Something went wrong",
                     "We are sorry: please try again in a moment.")
