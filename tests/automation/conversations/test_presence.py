"""An agent's workspace disconnects: they keep their conversations for a grace period, then
the conversations go back to the front of the queue and the shopper is told. Waits too long
make the on-duty staff get an email."""

from __future__ import annotations

from datetime import timedelta

from automation.channels.email.adapter import MailSetup
from automation.conversations import escalation, staffing
from automation.conversations.staff_side import StaffSide
from database import db, events
from database.conversations import queue_position
from database.models import Message
from tests import factories
from tests.automation.conversations.staffside import (agent, conversation, events as logged,
                                                      fresh, now)
from tests.fakes.mail import FailingMailSender, RecordingMailSender


def test_within_the_grace_period_nothing_moves(app):
    marie = agent(last_seen_at=now() - timedelta(seconds=60))
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    assert staffing.requeue_absent(now=now(), grace_s=120) == []
    assert fresh(held).status == "active"


def test_after_the_grace_period_the_conversations_go_back_first_in_line(app):
    marie = agent(name="Marie Agent", last_seen_at=now() - timedelta(seconds=150))
    others = [conversation(minutes_ago=20 + i) for i in range(2)]
    held = [conversation("active", assigned_staff_id=marie.id, assigned_at=now())
            for _ in range(2)]
    api_only = factories.staff(availability="available")  # never opened the workspace
    kept = conversation("active", assigned_staff_id=api_only.id)
    requeued = staffing.requeue_absent(now=now(), grace_s=120)
    assert sorted(requeued) == sorted(c.id for c in held)
    assert fresh(kept).status == "active"
    for row in held:
        stored = fresh(row)
        assert (stored.status, stored.priority, stored.assigned_staff_id) == (
            "waiting", "urgent", None)
        assert queue_position(stored) <= 2
    assert all(queue_position(fresh(c)) > 2 for c in others)
    notices = db.session.query(Message).filter_by(sender="system").all()
    assert len(notices) == 2 and all("Marie" in m.body for m in notices)
    assert [e.payload["reason"] for e in logged(events.CONVERSATION_REQUEUED)] == [
        "agent_disconnected"] * 2


def test_the_check_after_a_disconnect_only_concerns_that_agent(app):
    gone = agent(last_seen_at=now() - timedelta(minutes=10))
    also_gone = agent(last_seen_at=now() - timedelta(minutes=10))
    mine = conversation("active", assigned_staff_id=gone.id)
    theirs = conversation("active", assigned_staff_id=also_gone.id)
    assert staffing.requeue_absent(now=now(), grace_s=120, staff_id=gone.id) == [mine.id]
    assert fresh(theirs).status == "active"


def test_connecting_and_disconnecting_are_recorded(app):
    marie = factories.staff()
    staffing.connected(marie.id, now())
    assert fresh(marie).last_seen_at is not None
    staffing.disconnected(marie.id, now(), grace_s=120)
    assert [e.kind for e in logged(events.AGENT_CONNECTED) + logged(events.AGENT_DISCONNECTED)
            ] == [events.AGENT_CONNECTED, events.AGENT_DISCONNECTED]
    assert logged(events.AGENT_DISCONNECTED)[0].payload["grace_s"] == 120


def _mail(sender) -> MailSetup:
    return MailSetup(sender=sender, support_address="support@shop.example",
                     shop_name="Demo Shop", public_base_url=None)


def test_a_long_wait_emails_the_staff_on_duty_once(app):
    on_duty = agent(name="Léa Bernard", email="lea@demo.shop", language="fr")
    factories.staff(name="Off Duty", availability="offline")
    late = conversation(minutes_ago=7, context={"handoff": {"reason": "complaint (urgent)"}})
    conversation(minutes_ago=2)
    sender = RecordingMailSender()
    setup = StaffSide(escalation_minutes=5, admin_base_url="https://admin.shop.example")
    assert escalation.escalate_overdue(now=now(), setup=setup, mail=_mail(sender)) == [late.id]
    [email] = sender.sent
    assert email["To"] == "Léa Bernard <lea@demo.shop>"
    assert "attend une personne depuis 7 minutes" in email["Subject"]
    assert "https://admin.shop.example/workspace/c/" in email.get_content()
    [escalated] = logged(events.QUEUE_ESCALATED)
    assert escalated.payload["staff_ids"] == [on_duty.id]
    assert escalation.escalate_overdue(now=now(), setup=setup, mail=_mail(sender)) == []
    assert len(sender.sent) == 1


def test_nobody_on_duty_emails_the_supervisors_and_failures_are_recorded(app):
    lead = factories.staff(role="supervisor", availability="offline")
    conversation(minutes_ago=9)
    setup = StaffSide(escalation_minutes=5)
    escalation.escalate_overdue(now=now(), setup=setup, mail=_mail(FailingMailSender()))
    [escalated] = logged(events.QUEUE_ESCALATED)
    assert escalated.payload["failed_staff_ids"] == [lead.id]


def test_no_escalation_outside_opening_hours_or_when_turned_off(app):
    agent()
    conversation(minutes_ago=30)
    sender = RecordingMailSender()
    closed_today = {"timezone": "UTC", "days": {}}
    for setup in (StaffSide(escalation_minutes=0),
                  StaffSide(escalation_minutes=5, opening_hours=closed_today)):
        assert escalation.escalate_overdue(now=now(), setup=setup, mail=_mail(sender)) == []
    assert sender.sent == []
