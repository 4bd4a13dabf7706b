"""Who is calling: shoppers by session (Flask-Login), other systems by bearer API key."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, g, request
from flask_login import LoginManager, UserMixin

from automation.accounts.api_keys import authorise_bearer
from database.customers import get_customer
from database.models import Customer

login_manager = LoginManager()
login_manager.login_view = "account.login"
login_manager.login_message = None
ID_PREFIX = "shopper:"


class Shopper(UserMixin):
    """The logged-in shopper, as Flask-Login sees them; `customer` is the database row."""

    def __init__(self, customer: Customer) -> None:
        self.customer = customer

    def get_id(self) -> str:
        # The prefix keeps a staff session id from ever loading a shopper (and vice versa).
        return f"{ID_PREFIX}{self.customer.id}"

    @property
    def is_active(self) -> bool:
        return self.customer.status == "active"

    @property
    def language(self) -> str:
        return self.customer.language


@login_manager.user_loader
def _load_shopper(user_id: str) -> Shopper | None:
    if not user_id.startswith(ID_PREFIX) or not user_id[len(ID_PREFIX):].isdigit():
        return None
    customer = get_customer(int(user_id[len(ID_PREFIX):]))
    return Shopper(customer) if customer is not None and customer.status == "active" else None


def require_scope(scope: str) -> Callable:
    """Let the view run only for a live bearer key holding `scope` (401/403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            api_key = authorise_bearer(request.headers.get("Authorization", ""), scope)
            g.api_key = api_key
            return view(*args, **kwargs)

        return wrapper

    return decorator


def init_app(app: Flask) -> None:
    """Bind the shoppers' login manager."""
    login_manager.init_app(app)
