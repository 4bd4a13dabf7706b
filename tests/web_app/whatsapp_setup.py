"""What the WhatsApp test modules share: an app with WhatsApp settings, shoppers, agents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from automation.agents import AgentReply
from automation.conversations.turns import QuickReply
from database import db
from database.models import Customer, Event, Message, Order
from tests import factories
from tests.conftest import _make_web_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "whatsapp"
NOW = datetime.now(UTC)


def fixture(name: str) -> dict[str, Any]:
    """Return a provider payload from tests/fixtures/whatsapp/."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def make_app(database_url: str) -> Iterator[Any]:
    """Return a builder of the shopper app with settings; tables are emptied first."""
    made: list[Any] = []

    def make(**overrides: object) -> Flask:
        from automation.orders import catalogue
        from automation.knowledge.search import knowledge_base

        app = _make_web_app(database_url, **overrides)
        context = app.app_context()
        context.push()
        made.append(context)
        if len(made) == 1:
            _empty()
            knowledge_base.invalidate()
            catalogue.forget()
        return app

    yield make
    for context in reversed(made):
        db.session.remove()
        db.engine.dispose()
        context.pop()


def _empty() -> None:
    # DELETE rather than the suite's TRUNCATE: on PostgreSQL it is ten times faster for the
    # few rows these tests write, and no test here depends on ids starting at 1.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@dataclass
class Shopper:
    id: int
    first_name: str
    phone: str
    order: str
    carrier: str


def shopper(first: str, last: str, phone: str, language: str, order: str,
            carrier: str) -> Shopper:
    """Add a shopper with one shipped order."""
    row = factories.customer(first_name=first, last_name=last, phone=phone, language=language,
                             email=f"{first.lower()}.{language}@example.com")
    factories.order(row, number=order, status="shipped", carrier=carrier,
                    tracking_number="RR123456785PT", total=Decimal("59.80"),
                    placed_at=NOW - timedelta(days=3), shipped_at=NOW - timedelta(days=2),
                    estimated_delivery=date.today() + timedelta(days=1))
    return Shopper(row.id, first, phone, order, carrier)


def joao() -> Shopper:
    return shopper("João", "Silva", "+351912345678", "pt", "CMD-10203", "CTT Expresso")


def emma() -> Shopper:
    return shopper("Emma", "Brown", "+447700900123", "en", "CMD-10102", "DHL")


def demo_shopper() -> Shopper:
    """Seed the demo shop; return a Portuguese shopper with a phone and a shipped order."""
    from database.demo import seed

    seed(seed=2026)
    db.session.commit()
    row = db.session.execute(
        select(Customer, Order).join(Order, Order.customer_id == Customer.id)
        .where(Customer.language == "pt", Customer.phone.is_not(None),
               Order.status == "shipped", Order.carrier.is_not(None))
        .order_by(Customer.id, Order.id).limit(1)).one()
    customer, order = row
    return Shopper(customer.id, customer.first_name, customer.phone, order.number, order.carrier)


class ScriptedAgent:
    """An agent that always answers the same words and buttons."""

    name = "scripted"

    def __init__(self, text: str, choices: list[tuple[str, str]] | None = None) -> None:
        self.text, self.choices = text, choices or []

    def reply(self, turn: Any) -> AgentReply:
        return AgentReply(self.text, agent=self.name,
                          quick_replies=[QuickReply(label, value) for label, value in
                                         self.choices])


def use_agent(app: Flask, agent: Any) -> None:
    """Make the app's engine answer with `agent`."""
    app.extensions["engine"].agent = agent


def messages(direction: str | None = None) -> list[Message]:
    db.session.rollback()  # end the test's snapshot: the requests committed since
    query = select(Message).order_by(Message.id)
    if direction:
        query = query.where(Message.direction == direction)
    return list(db.session.scalars(query))


def events(kind: str | None = None) -> list[Event]:
    db.session.rollback()
    query = select(Event).order_by(Event.id)
    if kind:
        query = query.where(Event.kind == kind)
    return list(db.session.scalars(query))
