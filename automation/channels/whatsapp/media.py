"""WhatsApp turns both providers share: answering a stored message once, pictures included.

The webhooks store a message with `Engine.accept`; the answer comes from here, later or at
once. A picture or file gets a polite acknowledgement in the shopper's language, and the
engine still answers its caption.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from automation.runtime import i18n
from automation.runtime.i18n import N_
from automation.conversations.engine import Engine
from automation.runtime.errors import DeskError
from automation.conversations.turns import Outcome
from database import db, events
from database.base import utcnow
from database.conversations import add_message
from database.models import Message

LOST_AFTER = timedelta(minutes=2)  # an unanswered message this old was not queued: queue it
# Short form before the engine's answer to a caption; long form when there is no caption.
RECEIVED = {"picture": N_("Thank you {name}, we have received your picture."),
            "file": N_("Thank you {name}, we have received your file.")}
LOOK_AT_IT = N_("A person from our team will look at it and get back to you if needed.")


def answer_message(engine: Engine, message_id: int) -> Outcome:
    """Decide and store the reply to an accepted WhatsApp message (once), commit, return it."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise DeskError("not_found", f"no message {message_id}")
    meta = message.meta or {}
    if "outcome" in meta:
        return replace(Outcome.from_dict(meta["outcome"]), duplicate=True)
    media = meta.get("media") or []
    if not media:
        return engine.answer(message_id)
    kind = "picture" if any(m.get("kind") == "image" or str(m.get("content_type", ""))
                            .startswith("image/") for m in media) else "file"
    if message.body.strip():
        return _with_acknowledgement(engine.answer(message_id), message, kind)
    return _acknowledge(message, kind)


def reply_address(message_id: int) -> dict[str, Any]:
    """Return where to answer a stored WhatsApp message (provider, reply_to, business…)."""
    message = db.session.get(Message, message_id)
    return dict(((message.meta if message else None) or {}).get("whatsapp") or {})


def needs_answer(message_id: int, *, new: bool) -> bool:
    """Tell whether a stored message should be queued for an answer.

    A repeated delivery is left alone, unless the message was stored long ago and never
    answered: then the first attempt was lost (the job queue was down) and this is the retry.
    """
    if new:
        return True
    message = db.session.get(Message, message_id)
    if message is None or "outcome" in (message.meta or {}):
        return False
    return message.created_at < utcnow() - LOST_AFTER


def _language(message: Message) -> str:
    conversation = message.conversation
    return i18n.language_of(conversation.language, conversation.customer.language)


def _with_acknowledgement(outcome: Outcome, message: Message, kind: str) -> Outcome:
    """Put "we received your picture" before the engine's answer to the caption."""
    if outcome.duplicate or not outcome.reply or outcome.reply_message_id is None:
        return outcome
    name = message.conversation.customer.first_name
    language = i18n.language_of(outcome.language, _language(message))
    text = i18n.text(language, RECEIVED[kind], name=name) + "\n\n" + outcome.reply
    reply = db.session.get(Message, outcome.reply_message_id)
    reply.body = text
    stored = dict(message.meta or {})
    stored["outcome"] = {**stored["outcome"], "reply": text}
    message.meta = stored
    db.session.commit()
    return replace(outcome, reply=text)


def _acknowledge(message: Message, kind: str) -> Outcome:
    """Answer a picture or file without words: thank, and say a person will look at it."""
    conversation = message.conversation
    customer = conversation.customer
    language = _language(message)
    base = dict(conversation_id=conversation.id, message_id=message.id, language=language,
                status=conversation.status)
    if conversation.status == "active":
        # A person holds the conversation and sees the picture: no automatic answer.
        events.record(events.MESSAGE_RELAYED, conversation_id=conversation.id,
                      customer_id=customer.id,
                      payload={"message_id": message.id,
                               "staff_id": conversation.assigned_staff_id})
        outcome = Outcome(reply=None, agent="human", relayed=True, **base)
    else:
        text = (i18n.text(language, RECEIVED[kind], name=customer.first_name) + " "
                + i18n.text(language, LOOK_AT_IT))
        now = utcnow()
        reply = add_message(conversation_id=conversation.id, channel=message.channel,
                            direction="out", sender="ai", body=text, reply_to_id=message.id,
                            intent="other", latency_ms=0,
                            meta={"agent": "acknowledgement", "language": language})
        conversation.last_message_at = now
        db.session.flush()
        outcome = Outcome(reply=text, reply_message_id=reply.id, agent="acknowledgement",
                          **base)
        events.record(events.MESSAGE_REPLIED, conversation_id=conversation.id,
                      customer_id=customer.id,
                      payload={"message_id": reply.id, "in_reply_to": message.id,
                               "intent": "other", "language": language, "quality": None,
                               "latency_ms": 0, "agent": "acknowledgement",
                               "channel": message.channel, "actions": [], "handoff": False})
    message.meta = {**(message.meta or {}), "outcome": outcome.to_dict()}
    db.session.commit()
    return outcome
