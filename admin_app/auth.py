"""Who is calling the staff app: staff by session, monitoring by bearer key (`admin:read`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, request
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf import CSRFProtect

from automation.accounts.api_keys import authorise_bearer
from database.models import StaffUser
from database.staff import get_staff

login_manager = LoginManager()
login_manager.login_view = "account.login"
login_manager.login_message = None
csrf = CSRFProtect()
ID_PREFIX = "staff:"


class Staff(UserMixin):
    """The logged-in staff member, as Flask-Login sees them; `user` is the database row."""

    def __init__(self, user: StaffUser) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{ID_PREFIX}{self.user.id}"

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def language(self) -> str:
        return self.user.language


@login_manager.user_loader
def _load_staff(user_id: str) -> Staff | None:
    if not user_id.startswith(ID_PREFIX) or not user_id[len(ID_PREFIX):].isdigit():
        return None
    user = get_staff(int(user_id[len(ID_PREFIX):]))
    return Staff(user) if user is not None and user.active else None


def staff_or_key(scope: str) -> Callable:
    """Let the view run for a logged-in staff member, or a bearer key with `scope`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.is_authenticated:
                return view(*args, **kwargs)
            authorise_bearer(request.headers.get("Authorization", ""), scope)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def roles_required(*roles: str) -> Callable:
    """Let the view run only for staff holding one of `roles` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def init_app(app: Flask) -> None:
    """Bind the staff login manager and CSRF protection."""
    login_manager.init_app(app)
    csrf.init_app(app)
