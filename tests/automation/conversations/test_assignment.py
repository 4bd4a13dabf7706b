"""Who holds a conversation: accept (race-safe), reassign, transfer, hand back, close, requeue."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from automation.conversations import assignment, staffing
from automation.conversations.staff_side import StaffSide
from automation.runtime.errors import DeskError
from database import db, events
from database.models import Message
from tests import factories
from tests.automation.conversations.staffside import (agent, conversation, events as logged,
                                                      fresh, inbound, now)


def test_two_agents_accepting_at_once_exactly_one_wins(app: Flask):
    """Threads, each with its own session, on SQLite and PostgreSQL alike."""
    marie, paul = agent(name="Marie Agent"), agent(name="Paul Agent")
    waiting = conversation()
    ids = (marie.id, paul.id)
    start = threading.Barrier(2)
    won, lost = [], []

    def accept(staff_id: int) -> None:
        with app.app_context():
            start.wait()
            try:
                assignment.assign(waiting.id, staff_id)
                won.append(staff_id)
            except DeskError as exc:
                lost.append((staff_id, exc.code, exc.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(won) == 1 and len(lost) == 1
    [(loser, code, message)] = lost
    assert code == "conflict" and "already holds" in message
    stored = fresh(waiting)
    assert (stored.status, stored.assigned_staff_id) == ("active", won[0])
    assert len(logged(events.AGENT_ASSIGNED)) == 1


def test_accepting_twice_is_harmless_and_a_colleague_is_told_who_has_it(app):
    marie, paul = agent(name="Marie Agent"), agent(name="Paul Agent")
    waiting = conversation()
    assignment.assign(waiting.id, marie.id, actor=marie)
    assignment.assign(waiting.id, marie.id, actor=marie)
    with pytest.raises(DeskError) as taken:
        assignment.assign(waiting.id, paul.id, actor=paul)
    assert taken.value.code == "conflict" and "Marie Agent" in taken.value.message
    assert len(logged(events.AGENT_ASSIGNED)) == 1


def test_an_agent_takes_for_themselves_and_a_supervisor_reassigns(app):
    marie, paul = agent(name="Marie Agent"), agent(name="Paul Agent")
    lead = agent(name="Lea Lead", role="supervisor")
    waiting = conversation()
    with pytest.raises(DeskError) as for_another:
        assignment.assign(waiting.id, paul.id, actor=marie)
    assert for_another.value.code == "forbidden"
    assignment.assign(waiting.id, marie.id, actor=marie)
    assignment.assign(waiting.id, paul.id, actor=lead)  # a supervisor moves it
    stored = fresh(waiting)
    assert stored.assigned_staff_id == paul.id
    moved = logged(events.AGENT_ASSIGNED)[-1]
    assert moved.payload["previous_staff_id"] == marie.id
    assert moved.payload["reason"] == "reassigned" and moved.payload["by_staff_id"] == lead.id


def test_assignment_records_the_wait_and_tells_whatsapp_shoppers(app):
    marie = agent(name="Marie Agent")
    waiting = conversation(channel="whatsapp", minutes_ago=4)
    inbound(waiting, "preciso de ajuda", whatsapp={"provider": "meta", "reply_to": "351900"})
    assignment.assign(waiting.id, marie.id)
    [assigned] = logged(events.AGENT_ASSIGNED)
    assert 230 <= assigned.payload["waited_s"] <= 250
    assert assigned.payload["strategy"] == "manual" and assigned.payload["channel"] == "whatsapp"
    notice = db.session.query(Message).filter_by(sender="system").one()
    assert notice.body == "Marie a rejoint la conversation."  # the shopper's language
    assert notice.delivery_status == "not_sent"  # delivered by the (null) WhatsApp adapter


def test_a_web_shopper_sees_the_person_join_live_rather_than_a_message(app):
    marie = agent()
    waiting = conversation(channel="web")
    assignment.assign(waiting.id, marie.id)
    assert db.session.query(Message).count() == 0


def test_transfer_to_a_colleague_with_a_note_the_shopper_does_not_see(app):
    marie, paul = agent(name="Marie Agent"), agent(name="Paul Agent")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    assignment.transfer(held.id, actor=marie, to_staff_id=paul.id,
                        note="Wants a refund on CMD-1; I checked the tracking.")
    stored = fresh(held)
    assert (stored.status, stored.assigned_staff_id) == ("active", paul.id)
    note, told = db.session.query(Message).order_by(Message.id).all()
    assert note.private and note.meta["transfer"]["to_staff_id"] == paul.id
    assert not told.private and told.sender == "system"
    assert "Paul" in told.body and "Marie" in told.body
    [moved] = logged(events.CONVERSATION_TRANSFERRED)
    assert moved.payload["from_staff_id"] == marie.id and moved.payload["to_staff_id"] == paul.id
    assert moved.payload["note"].startswith("Wants a refund")


def test_transfer_to_a_team_puts_it_first_in_that_teams_queue(app):
    marie = agent(name="Marie Agent")
    agent(name="Pat Billing", team="billing", availability="offline")
    conversation(minutes_ago=30)  # waiting longer than anyone
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    assignment.transfer(held.id, actor=marie, to_team="billing", note="Invoice question")
    stored = fresh(held)
    assert (stored.status, stored.team, stored.assigned_staff_id) == ("waiting", "billing", None)
    from database.conversations import queue_position

    assert queue_position(stored) == 1
    with pytest.raises(DeskError) as unknown:
        assignment.transfer(held.id, actor=None, to_team="nobody", note="")
    assert unknown.value.code == "validation_error"


@pytest.mark.parametrize("case, code", [("offline", "conflict"), ("same", "validation_error"),
                                        ("both", "validation_error"),
                                        ("not_theirs", "forbidden")])
def test_transfers_that_are_refused(app, case, code):
    marie, paul = agent(name="Marie Agent"), agent(name="Paul Agent")
    gone = factories.staff(name="Gone Agent", availability="offline")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    kwargs = {"offline": {"actor": marie, "to_staff_id": gone.id},
              "same": {"actor": marie, "to_staff_id": marie.id},
              "both": {"actor": marie, "to_staff_id": paul.id, "to_team": "billing"},
              "not_theirs": {"actor": paul, "to_staff_id": paul.id}}[case]
    with pytest.raises(DeskError) as refused:
        assignment.transfer(held.id, note="", **kwargs)
    assert refused.value.code == code
    assert fresh(held).assigned_staff_id == marie.id


def test_hand_back_tells_the_shopper_and_records_the_handle_time(app):
    marie = agent(name="Marie Agent")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    assignment.hand_back(held.id, actor=marie)
    stored = fresh(held)
    assert (stored.status, stored.assigned_staff_id, stored.waiting_since) == ("ai", None, None)
    [back] = logged(events.CONVERSATION_HANDED_BACK)
    assert back.payload["staff_id"] == marie.id and back.payload["handle_s"] >= 0
    told = db.session.query(Message).one()
    assert told.sender == "system" and "Marie" in told.body


def test_an_agent_cannot_close_a_colleagues_conversation_but_a_supervisor_can(app):
    marie, paul = agent(name="Marie Agent"), agent(name="Paul Agent")
    lead = agent(role="supervisor")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    with pytest.raises(DeskError) as refused:
        assignment.close(held.id, actor=paul)
    assert refused.value.code == "forbidden"
    assignment.close(held.id, actor=lead)
    [closed] = logged(events.CONVERSATION_CLOSED)
    assert closed.payload["staff_id"] == marie.id and closed.payload["by_staff_id"] == lead.id
    assert closed.payload["resolution"] == "resolved"


@pytest.mark.parametrize("channel, asked", [("web", False), ("api", False),
                                            ("whatsapp", True), ("email", True)])
def test_closing_asks_for_a_rating_on_the_shoppers_channel(app, channel, asked):
    marie = agent()
    held = conversation("active", channel=channel, assigned_staff_id=marie.id,
                        assigned_at=now())
    inbound(held, "merci", whatsapp={"provider": "meta", "reply_to": "33600"},
            email={"message_id": "<a@b>", "subject": "Commande"})
    assignment.close(held.id, actor=marie,
                     setup=StaffSide(public_base_url="https://shop.example"))
    prompts = db.session.query(Message).filter_by(sender="system").all()
    assert bool(prompts) == asked
    assert bool(logged(events.CSAT_REQUESTED)) == asked
    if channel == "whatsapp":
        rows = prompts[0].meta["choice_list"]["rows"]
        assert [r["id"] for r in rows] == ["qr:5", "qr:4", "qr:3", "qr:2", "qr:1"]
    if channel == "email":
        assert "https://shop.example/rate/" in prompts[0].body


def test_requeue_puts_the_conversation_first_and_urgent(app):
    marie = agent(name="Marie Agent")
    conversation(minutes_ago=40, priority="urgent")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    assert assignment.requeue(fresh(held), reason="agent_disconnected", now=now())
    stored = fresh(held)
    assert (stored.status, stored.priority, stored.assigned_staff_id) == (
        "waiting", "urgent", None)
    from database.conversations import queue_position

    assert queue_position(stored) == 1
    [requeued] = logged(events.CONVERSATION_REQUEUED)
    assert requeued.payload["staff_id"] == marie.id
    told = db.session.query(Message).filter_by(sender="system").one()
    assert "Marie" in told.body
    assert not assignment.requeue(fresh(held), reason="again", now=now())  # changed meanwhile


def test_closed_conversations_do_not_change(app):
    marie = agent()
    closed = conversation("closed")
    for flow, kwargs in ((assignment.assign, {"staff_id": marie.id}),
                         (assignment.hand_back, {}), (assignment.close, {})):
        with pytest.raises(DeskError) as refused:
            flow(closed.id, **kwargs)
        assert refused.value.code == "conflict"


def test_staffing_knows_who_is_online(app):
    connected = agent(name="On Line")
    factories.staff(name="Never Seen", availability="available")
    agent(name="Chose Offline", availability="offline")
    names = {a.staff.name for a in staffing.online(now())}
    assert names == {"On Line"}
    staffing.set_availability(connected.id, "busy", actor=connected, now=now())
    [changed] = logged(events.AGENT_STATUS_CHANGED)
    assert changed.payload == {"staff_id": connected.id, "from": "available", "to": "busy",
                               "by_staff_id": connected.id}
    other = agent()
    with pytest.raises(DeskError) as refused:
        staffing.set_availability(other.id, "offline", actor=connected, now=now())
    assert refused.value.code == "forbidden"
