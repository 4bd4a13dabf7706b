"""Service levels: due times from the admins' hours per priority, breaches recorded once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from automation.tickets import sla
from automation.tickets.updates import update_ticket
from database import db, events
from database.base import utcnow
from database.models import Event, Ticket
from tests import ticket_factories


def _breaches() -> list[Event]:
    return db.session.query(Event).filter_by(kind=events.SLA_BREACHED).all()


@pytest.mark.parametrize("priority, hours", [("urgent", 4), ("high", 24), ("normal", 72),
                                             ("low", 168)])
def test_a_new_ticket_is_due_after_its_prioritys_hours(app, priority, hours):
    now = utcnow()
    ticket = ticket_factories.ticket(priority=priority, now=now,
                                     title="Fraud on my card" if priority == "urgent"
                                     else "Colis")
    assert ticket.sla_due_at == now + timedelta(hours=hours)


def test_admins_change_the_hours(app):
    app.extensions["settings"].set("sla_hours_high", 8, staff_id=None)
    now = utcnow()
    ticket = ticket_factories.ticket(priority="high", now=now)
    assert ticket.sla_due_at == now + timedelta(hours=8)
    assert sla.sla_hours()["high"] == 8


def test_the_hours_come_from_the_environment_by_default(app):
    from automation.runtime.shop_settings import ShopSettings

    store = ShopSettings({"SLA_HOURS_URGENT": "2"})
    assert sla.sla_hours(store)["urgent"] == 2


def test_a_ticket_past_due_is_breached_once(app):
    ticket = ticket_factories.ticket(priority="high")
    assert sla.check(now=ticket.sla_due_at - timedelta(minutes=1)) == []
    later = ticket.sla_due_at + timedelta(minutes=5)
    assert sla.check(now=later) == [ticket.reference]
    assert sla.check(now=later + timedelta(hours=1)) == []
    (breach,) = _breaches()
    assert breach.ticket_id == ticket.id and breach.level == "warning"
    assert breach.payload["overdue_s"] == 300 and breach.payload["priority"] == "high"
    db.session.refresh(ticket)
    assert ticket.sla_breached_at == later


def test_resolved_tickets_are_not_breached(app):
    ticket = ticket_factories.ticket()
    update_ticket(ticket.reference, status="resolved", source="api", actor={})
    assert sla.check(now=ticket.sla_due_at + timedelta(days=1)) == []


def test_two_checks_at_once_record_one_breach(app):
    from database.tickets import mark_breached

    ticket = ticket_factories.ticket()
    now = ticket.sla_due_at + timedelta(hours=1)
    assert mark_breached(ticket.id, now) is True
    assert mark_breached(ticket.id, now) is False  # the second checker loses
    db.session.commit()
    assert sla.check(now=now) == []


def test_raising_the_priority_never_pushes_the_due_time_back(app):
    now = utcnow()
    ticket = ticket_factories.ticket(priority="normal", now=now - timedelta(hours=70))
    due = ticket.sla_due_at  # in two hours
    update_ticket(ticket.reference, priority="high", source="api", actor={})
    db.session.refresh(ticket)
    assert ticket.sla_due_at == due
    update_ticket(ticket.reference, priority="urgent", source="api", actor={})
    db.session.refresh(ticket)
    assert ticket.sla_due_at <= due


def test_lowering_the_priority_never_brings_the_due_time_closer(app):
    ticket = ticket_factories.ticket(priority="high")
    due = ticket.sla_due_at
    update_ticket(ticket.reference, priority="low", source="api", actor={})
    db.session.refresh(ticket)
    assert ticket.sla_due_at >= due
    assert ticket.sla_due_at == db.session.get(Ticket, ticket.id).created_at + \
        timedelta(hours=168)


def test_the_worker_job_checks(app):
    from automation.tickets.jobs import check_sla

    ticket = ticket_factories.ticket(priority="high")
    ticket.sla_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    check_sla.call_local()
    assert len(_breaches()) == 1


def test_the_summary_lists_breached_and_soon_due_tickets(app):
    late = ticket_factories.ticket(priority="high")
    soon = ticket_factories.ticket(priority="high")
    now = late.sla_due_at + timedelta(minutes=10)
    soon.sla_due_at = now + timedelta(minutes=30)
    db.session.commit()
    sla.check(now=now)
    summary = sla.summary(now=now)
    assert summary["breached_open"] == 1 and summary["due_within_hour"] == 1
    assert summary["breached"][0]["reference"] == late.reference
    assert summary["breached"][0]["overdue_s"] == 600
