"""A desk served over HTTP with every channel configured, and shoppers with real orders.

The desk runs in this process (web_app on a free port, background jobs inline) with the
webhook secrets the simulator signs with, its WhatsApp senders pointed at the simulator's
fake Graph/Twilio API and its SMTP at the simulator's sink. The simulator reaches it only
over HTTP and WebSocket, as it would reach a real desk.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from bot_simulation.config import Settings
from database import db
from database.models import Message
from tests import factories
from tests.conftest import _make_web_app
from tests.live_server import serve

SECRETS = {"TWILIO_AUTH_TOKEN": "twilio-token-for-tests", "WHATSAPP_APP_SECRET": "meta-secret",
           "EMAIL_WEBHOOK_SECRET": "mail-secret"}
PHONE_ID = "106540352242922"
LANGUAGES = ("fr", "en", "pt")
PHONES = {"fr": "+336123450{:02d}", "en": "+4477009001{:02d}", "pt": "+3519123450{:02d}"}
NAMES = {"fr": ("Camille", "Dubois"), "en": ("Emma", "Brown"), "pt": ("João", "Silva")}


# A cheap hash: a burst logs in many shoppers, and scrypt takes 0.1 s a login.
QUICK_HASH = generate_password_hash(factories.PASSWORD, method="pbkdf2:sha256:1000")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "one_database: run against the SQLite desk only")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Desk:
    url: str
    database_url: str
    fake_port: int
    smtp_port: int
    api_key: str

    def settings(self, **changes: object) -> Settings:
        """Return the simulator's settings for this desk."""
        settings = Settings(target=self.url, api_key=self.api_key,
                            database_url=self.database_url, password=factories.PASSWORD,
                            twilio_auth_token=SECRETS["TWILIO_AUTH_TOKEN"],
                            whatsapp_app_secret=SECRETS["WHATSAPP_APP_SECRET"],
                            email_webhook_secret=SECRETS["EMAIL_WEBHOOK_SECRET"],
                            whatsapp_phone_number_id=PHONE_ID)
        for name, value in changes.items():
            setattr(settings, name, value)
        return settings

    def stored(self, run_id: str) -> list[Message]:
        """Return the shoppers' messages the desk stored for a run (by the ids it chose)."""
        db.session.rollback()  # a fresh snapshot: the requests committed since
        return list(db.session.scalars(
            select(Message).where(Message.direction == "in",
                                  Message.channel_message_id.contains(run_id))))

    def stored_any(self) -> list[int]:
        """Return the ids of every shopper message stored so far."""
        db.session.rollback()
        return list(db.session.scalars(select(Message.id).where(Message.direction == "in")))

    def replies_to(self, messages: list[Message]) -> list[Message]:
        ids = [m.id for m in messages]
        return list(db.session.scalars(
            select(Message).where(Message.direction == "out", Message.reply_to_id.in_(ids))))


def seed_shoppers(count: int = 24) -> None:
    """Add shoppers in three languages, each with a phone, a password and two orders."""
    now = datetime.now(UTC)
    factories.product(sku="TSH-BLU-M", name="T-shirt bleu")
    factories.product(sku="JEAN-32", name="Jean slim")
    for n in range(count):
        language = LANGUAGES[n % 3]
        first, last = NAMES[language]
        shopper = factories.customer(first_name=first, last_name=f"{last}{n}",
                                     email=f"sim{n}.{language}@example.com",
                                     language=language, phone=PHONES[language].format(n),
                                     password_hash=QUICK_HASH)
        factories.order(shopper, number=f"CMD-{61000 + 2 * n}", status="shipped",
                        carrier="Colissimo", tracking_number=f"6A{n:08d}",
                        placed_at=now - timedelta(days=4), shipped_at=now - timedelta(days=2),
                        estimated_delivery=date.today() + timedelta(days=2),
                        total=Decimal("29.90"))
        factories.order(shopper, number=f"CMD-{61001 + 2 * n}", status="paid",
                        placed_at=now - timedelta(days=1))


@pytest.fixture
def desk(request: pytest.FixtureRequest, database_url: str) -> Iterator[Desk]:
    """The shopper app over HTTP on an emptied database with 24 shoppers.

    Tests marked `one_database` run on SQLite only: the protocols do not depend on it.
    """
    from automation.orders import catalogue
    from automation.knowledge.search import knowledge_base

    if request.node.get_closest_marker("one_database") and not database_url.startswith(
            "sqlite"):
        pytest.skip("one database is enough for this behaviour")

    fake_port, smtp_port = free_port(), free_port()
    app = _make_web_app(
        database_url, **SECRETS, WHATSAPP_VERIFY_TOKEN="verify",
        WHATSAPP_ACCESS_TOKEN="graph-token", WHATSAPP_PHONE_NUMBER_ID=PHONE_ID,
        WHATSAPP_GRAPH_URL=f"http://127.0.0.1:{fake_port}/v24.0",
        TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_API_URL=f"http://127.0.0.1:{fake_port}",
        SMTP_URL=f"smtp://127.0.0.1:{smtp_port}", SMTP_TIMEOUT_S=5,
        WTF_CSRF_ENABLED=True)
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        knowledge_base.invalidate()
        catalogue.forget()
        seed_shoppers()
        key = factories.api_key("messages:write", name="simulator")
        with serve(app) as url:
            yield Desk(url, database_url, fake_port, smtp_port, key)
        db.session.remove()
        db.engine.dispose()
