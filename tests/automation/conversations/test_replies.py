"""What staff write: replies delivered on the channel, private notes never, WhatsApp's
24-hour window, retries of failed deliveries, and the first-reply metric."""

from __future__ import annotations

import pytest

from automation.conversations import replies
from automation.conversations.staff_side import StaffSide
from automation.runtime.errors import DeskError
from database import db, events
from database.conversations import messages_after, recent_messages
from database.models import Message
from tests.automation.conversations.staffside import (agent, conversation, events as logged,
                                                      fresh, inbound, now)

TEMPLATES = StaffSide(whatsapp_template_name="support_reply",
                      whatsapp_template_language="pt_PT",
                      twilio_template_sid="HX" + "a" * 32)


def test_a_reply_is_stored_then_delivered_and_counted_as_the_first(app):
    marie = agent(name="Marie Agent")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now(),
                        context={"handoff": {"requested_at": now().isoformat()}})
    first = replies.post_agent_message(held.id, marie.id, "Bonjour, je regarde.")
    second = replies.post_agent_message(held.id, marie.id, "C'est en route.")
    assert fresh(first).delivery_status == "delivered"  # the web chat shows the stored message
    sent = logged(events.MESSAGE_SENT)
    assert sent[0].payload["first_reply"] is True and sent[0].payload["first_reply_s"] >= 0
    assert "first_reply" not in sent[1].payload
    assert second.staff_id == marie.id and second.meta["staff_name"] == "Marie Agent"


def test_a_private_note_is_never_delivered_nor_shown_to_the_shopper(app):
    marie, paul = agent(), agent()
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    said = inbound(held, "Où est mon colis ?")
    note = replies.post_agent_message(held.id, paul.id, "VIP: be generous", private=True)
    stored = fresh(note)
    assert stored.private and stored.delivery_status is None and stored.direction == "out"
    assert logged(events.NOTE_ADDED)[0].payload["message_id"] == note.id
    assert not logged(events.MESSAGE_SENT) and not logged(events.MESSAGE_DELIVERY)
    # What the shopper's chat, transcript and the AI's history read leaves it out.
    assert [m.id for m in recent_messages(held.id)] == [said.id]
    assert [m.id for m in messages_after(held.id, 0)] == [said.id]
    assert note.id in [m.id for m in recent_messages(held.id, include_private=True)]


@pytest.mark.parametrize("case", ["waiting", "other", "empty", "closed"])
def test_replies_refused(app, case):
    marie, paul = agent(), agent()
    row = conversation("closed" if case == "closed" else "waiting" if case == "waiting"
                       else "active", assigned_staff_id=paul.id if case == "other" else None)
    with pytest.raises(DeskError) as refused:
        replies.post_agent_message(row.id, marie.id, "" if case == "empty" else "Hi")
    assert refused.value.code == {"waiting": "forbidden", "other": "forbidden",
                                  "empty": "validation_error", "closed": "conflict"}[case]
    assert db.session.query(Message).filter_by(sender="agent").count() == 0


def test_past_the_whatsapp_window_a_reply_needs_a_template(app):
    marie = agent()
    held = conversation("active", channel="whatsapp", assigned_staff_id=marie.id,
                        assigned_at=now())
    inbound(held, "olá", hours_ago=30, whatsapp={"provider": "meta", "reply_to": "351912"})
    window = replies.whatsapp_window(held, now=now(), setup=StaffSide())
    assert window is not None and not window.open
    with pytest.raises(DeskError) as refused:
        replies.post_agent_message(held.id, marie.id, "Olá!", setup=StaffSide())
    assert refused.value.code == "conflict" and "template" in refused.value.message
    message = replies.post_agent_message(held.id, marie.id, "Olá!", setup=TEMPLATES)
    assert fresh(message).meta["whatsapp_template"] == {
        "name": "support_reply", "language": "pt_PT", "content_sid": "HX" + "a" * 32}
    inside = conversation("active", channel="whatsapp", assigned_staff_id=marie.id)
    inbound(inside, "olá", hours_ago=2, whatsapp={"provider": "meta", "reply_to": "351913"})
    plain = replies.post_agent_message(inside.id, marie.id, "Olá!", setup=TEMPLATES)
    assert "whatsapp_template" not in fresh(plain).meta


def test_a_failed_delivery_is_retried_by_staff(app):
    marie = agent()
    held = conversation("active", channel="whatsapp", assigned_staff_id=marie.id)
    inbound(held, "olá", whatsapp={"provider": "meta", "reply_to": "351912"})
    message = replies.post_agent_message(held.id, marie.id, "Olá!")
    assert fresh(message).delivery_status == "not_sent"  # WhatsApp is not configured here
    with pytest.raises(DeskError):
        replies.retry(message.id, actor=agent())  # not theirs: Marie holds it
    again = replies.retry(message.id, actor=marie)
    assert again.delivery_status == "not_sent" and again.meta["delivery_attempts"] == 2
    [retried] = logged(events.MESSAGE_RETRIED)
    assert retried.payload["from_status"] == "not_sent"
    delivered = replies.post_agent_message(
        conversation("active", assigned_staff_id=marie.id).id, marie.id, "Hi")
    with pytest.raises(DeskError) as fine:
        replies.retry(delivered.id, actor=marie)
    assert fine.value.code == "conflict"
