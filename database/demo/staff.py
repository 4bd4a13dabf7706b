"""The demo support team: one admin, one supervisor and one agent, each with a login."""

from __future__ import annotations

from datetime import datetime, timedelta

from database.demo.passwords import demo_hash
from database.models import StaffUser

CATEGORIES = ["shipping", "returns_refunds", "payment", "invoices", "account", "products"]

# (role, email, password): printed by `make run` and the seed command.
STAFF_LOGINS: list[tuple[str, str, str]] = [
    ("admin", "admin@demo.shop", "admin-demo-2026"),
    ("supervisor", "supervisor@demo.shop", "supervisor-demo-2026"),
    ("agent", "agent@demo.shop", "agent-demo-2026"),
]

_PROFILES = {
    "admin": {"name": "Sophie Martin", "availability": "offline", "max_concurrent": 2,
              "skills": {"languages": ["fr", "en", "pt"], "categories": CATEGORIES},
              "joined_days_ago": 720},
    "supervisor": {"name": "Daniel Costa", "availability": "available", "max_concurrent": 4,
                   "skills": {"languages": ["pt", "en", "fr"],
                              "categories": ["payment", "invoices", "account",
                                             "returns_refunds"]},
                   "joined_days_ago": 540},
    # The agent takes the everyday questions, so a demo handoff reaches someone who can log in.
    "agent": {"name": "Léa Bernard", "availability": "available", "max_concurrent": 5,
              "skills": {"languages": ["fr", "en"],
                         "categories": ["shipping", "returns_refunds", "products"]},
              "joined_days_ago": 300},
}


def make_staff(*, seed: int, now: datetime) -> list[StaffUser]:
    """Build the three staff users, one per role, with their demo passwords hashed."""
    staff = []
    for role, email, password in STAFF_LOGINS:
        profile = _PROFILES[role]
        staff.append(StaffUser(
            name=profile["name"], email=email, role=role,
            password_hash=demo_hash(password, seed=seed, label=f"staff:{role}"),
            availability=profile["availability"], max_concurrent=profile["max_concurrent"],
            skills={"languages": list(profile["skills"]["languages"]),
                    "categories": list(profile["skills"]["categories"])},
            active=True, created_at=now - timedelta(days=profile["joined_days_ago"]),
            last_seen_at=None))
    return staff
