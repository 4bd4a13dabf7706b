"""The staff side's flows on a conversation: assign, write, hand back, close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from automation.conversations import handoff as handoff_flow
from automation.runtime.errors import DeskError
from database import db, events
from database.conversations import queue_position
from database.models import Conversation, Event, Message
from tests import factories


def _conversation(status: str = "waiting", *, minutes_ago: int = 5, **fields) -> Conversation:
    shopper = factories.customer()
    now = datetime.now(UTC)
    conversation = Conversation(customer_id=shopper.id, channel="web", status=status,
                                language="fr", context={}, started_at=now,
                                last_message_at=now,
                                waiting_since=now - timedelta(minutes=minutes_ago)
                                if status == "waiting" else None, **fields)
    db.session.add(conversation)
    db.session.commit()
    return conversation


def _events(kind: str) -> list[Event]:
    return db.session.query(Event).filter_by(kind=kind).order_by(Event.id).all()


def test_assign_gives_the_conversation_to_a_person_and_says_who(app):
    marie = factories.staff(name="Marie Agent")
    conversation = _conversation(minutes_ago=4)
    handoff_flow.assign(conversation.id, marie.id)
    db.session.expire_all()
    stored = db.session.get(Conversation, conversation.id)
    assert (stored.status, stored.assigned_staff_id) == ("active", marie.id)
    [assigned] = _events(events.AGENT_ASSIGNED)
    assert assigned.conversation_id == conversation.id
    assert assigned.payload["staff_name"] == "Marie Agent"
    assert 230 <= assigned.payload["waited_s"] <= 250


def test_the_queue_moves_when_the_first_waiting_shopper_is_taken(app):
    marie = factories.staff()
    first = _conversation(minutes_ago=10)
    second = _conversation(minutes_ago=2)
    assert queue_position(second) == 2
    handoff_flow.assign(first.id, marie.id)
    assert queue_position(db.session.get(Conversation, second.id)) == 1


@pytest.mark.parametrize("flow", ["assign", "hand_back", "close"])
def test_a_closed_conversation_cannot_change_any_more(app, flow):
    marie = factories.staff()
    conversation = _conversation("closed")
    args = {"assign": (conversation.id, marie.id)}.get(flow, (conversation.id,))
    with pytest.raises(DeskError) as raised:
        getattr(handoff_flow, flow)(*args)
    assert raised.value.code == "conflict"


def test_assigning_to_an_unknown_or_inactive_staff_member_is_refused(app):
    conversation = _conversation()
    gone = factories.staff(active=False)
    for staff_id in (gone.id, 999_999):
        with pytest.raises(DeskError) as raised:
            handoff_flow.assign(conversation.id, staff_id)
        assert raised.value.code == "not_found"
    assert db.session.get(Conversation, conversation.id).status == "waiting"


def test_hand_back_returns_the_conversation_to_the_ai(app):
    marie = factories.staff()
    conversation = _conversation()
    handoff_flow.assign(conversation.id, marie.id)
    handoff_flow.hand_back(conversation.id)
    stored = db.session.get(Conversation, conversation.id)
    assert (stored.status, stored.assigned_staff_id, stored.waiting_since) == ("ai", None, None)
    [back] = _events(events.CONVERSATION_HANDED_BACK)
    assert back.payload["staff_id"] == marie.id and back.payload["from_status"] == "active"


def test_close_ends_the_conversation_and_says_by_whom(app):
    marie = factories.staff()
    conversation = _conversation()
    handoff_flow.assign(conversation.id, marie.id)
    handoff_flow.close(conversation.id, by="agent")
    stored = db.session.get(Conversation, conversation.id)
    assert stored.status == "closed" and stored.ended_at is not None
    [closed] = _events(events.CONVERSATION_CLOSED)
    assert (closed.payload["by"], closed.payload["staff_id"], closed.payload["from_status"],
            closed.payload["resolution"]) == ("agent", marie.id, "active", "resolved")


def test_the_person_holding_the_conversation_writes_to_the_shopper(app):
    marie = factories.staff(name="Marie Agent")
    conversation = _conversation()
    handoff_flow.assign(conversation.id, marie.id)
    message = handoff_flow.post_agent_message(conversation.id, marie.id, "  Bonjour, je regarde.  ")
    stored = db.session.get(Message, message.id)
    assert (stored.direction, stored.sender, stored.staff_id, stored.body) == (
        "out", "agent", marie.id, "Bonjour, je regarde.")
    [sent] = _events(events.MESSAGE_SENT)
    assert sent.payload["message_id"] == message.id and sent.payload["channel"] == "web"


def test_only_the_person_holding_the_conversation_writes_in_it(app):
    marie, paul = factories.staff(), factories.staff(name="Paul Agent")
    conversation = _conversation()
    with pytest.raises(DeskError) as not_yet:
        handoff_flow.post_agent_message(conversation.id, marie.id, "Bonjour")
    assert not_yet.value.code == "forbidden"  # still waiting: nobody holds it
    handoff_flow.assign(conversation.id, marie.id)
    with pytest.raises(DeskError) as other:
        handoff_flow.post_agent_message(conversation.id, paul.id, "Bonjour")
    assert other.value.code == "forbidden"
    with pytest.raises(DeskError) as empty:
        handoff_flow.post_agent_message(conversation.id, marie.id, "   ")
    assert empty.value.code == "validation_error"
    assert db.session.query(Message).count() == 0
