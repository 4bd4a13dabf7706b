"""Settings in the admin (admins only): the shop's settings, staff, API keys, privacy.

Outbound webhooks live beside them at /settings/webhooks (admin_app.webhooks).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/settings")

# The pages register their views on `bp`.
from admin_app.settings import api_keys, general, privacy, staff  # noqa: E402,F401
