"""Who calls the staff API: a staff session (its writes need the CSRF token) or a Bearer key
with the scope. The view reads the acting staff member from `g.actor` (None for a key)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request
from flask_login import current_user

from admin_app.auth import csrf
from automation.accounts.api_keys import authorise_bearer
from automation.conversations import staffing
from database.base import utcnow


def staff_or_key(scope: str) -> Callable:
    """Let the view run for a staff session (CSRF checked on writes) or a key with `scope`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.is_authenticated:
                if request.method not in ("GET", "HEAD", "OPTIONS") \
                        and current_app.config.get("WTF_CSRF_ENABLED", True):
                    csrf.protect()  # a page of another site must not act with the cookie
                g.actor = current_user.user
                staffing.seen(g.actor.id, utcnow())
            else:
                authorise_bearer(request.headers.get("Authorization", ""), scope)
                g.actor = None
            return view(*args, **kwargs)

        return wrapper

    return decorator


def fields() -> dict[str, Any]:
    """Return the request's fields: its JSON object, else its form."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            from automation.runtime.errors import DeskError

            raise DeskError("validation_error", "body: a JSON object",
                            fields={"body": "a JSON object"})
        return data
    return request.form.to_dict()


def flag(value: Any) -> bool:
    """Read a yes/no field (JSON true, or a form's "on", "1", "true")."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "yes")


def wants_fragment() -> bool:
    """Tell whether the workspace (htmx) asked: it gets HTML fragments instead of JSON."""
    return bool(request.headers.get("HX-Request")) and g.get("actor") is not None
