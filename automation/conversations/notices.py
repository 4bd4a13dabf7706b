"""What the desk tells a shopper about the people side: someone joined, a transfer, the queue.

A notice is a stored outgoing message from `system`, in the shopper's language, delivered like
any other (`channels.delivery.deliver`) once the caller's transaction commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from automation.runtime import i18n
from automation.runtime.i18n import N_, NP_
from database.conversations import add_message
from database.models import Conversation, Message

JOINED = N_("{agent} has joined the conversation.")
TRANSFERRED_TO_PERSON = N_("{agent} is passing you to {colleague}, who has the whole "
                           "conversation. One moment, please.")
TRANSFERRED_TO_TEAM = N_("{agent} is passing you to our {team} team, with the whole "
                         "conversation. You keep your place in line.")
HANDED_BACK = N_("{agent} has handed you back to our assistant. Write any time; a person is "
                 "one message away.")
REQUEUED = N_("Sorry, {agent} got disconnected. You are first in line for the next person "
              "available.")
NEXT_IN_LINE = N_("You are next in line: someone will be with you in a moment.")
IN_LINE = NP_("You are number {position} in line — about {count} minute.",
              "You are number {position} in line — about {count} minutes.")
NOBODY_ONLINE = N_("You are number {position} in line. No one from our team is online right "
                   "now; reply \"Leave a message\" to leave one, or keep chatting with our "
                   "assistant.")
# Where a notice is worth a message of its own: the web chat shows the person joining live.
JOINED_CHANNELS = ("whatsapp", "email")


def language_of(conversation: Conversation) -> str:
    """Return the language to tell the shopper things in."""
    return i18n.language_of(conversation.language, conversation.customer.language)


def tell(conversation: Conversation, msgid: str, *, now: datetime, kind: str,
         **values: Any) -> Message:
    """Store a notice to the shopper (no commit); deliver it after the commit."""
    body = i18n.text(language_of(conversation), msgid, **values)
    return store(conversation, body, now=now, kind=kind)


def tell_plural(conversation: Conversation, forms: tuple[str, str], count: int, *,
                now: datetime, kind: str, **values: Any) -> Message:
    """Store a notice with a plural form (no commit)."""
    body = i18n.plural(language_of(conversation), forms, count, **values)
    return store(conversation, body, now=now, kind=kind)


def queue_text(conversation: Conversation, position: int, minutes: int | None) -> str:
    """Return what the shopper is told of their place in line."""
    language = language_of(conversation)
    if minutes is None:
        return i18n.text(language, NOBODY_ONLINE, position=position)
    if position == 1:
        return i18n.text(language, NEXT_IN_LINE)
    return i18n.plural(language, IN_LINE, minutes, position=position)


def first_name(name: str) -> str:
    """Return the first name staff show to shoppers."""
    return (name.split() or ["—"])[0]


def store(conversation: Conversation, body: str, *, now: datetime, kind: str) -> Message:
    """Store a notice already in the shopper's words (no commit)."""
    message = add_message(conversation_id=conversation.id, customer_id=conversation.customer_id,
                          channel=conversation.channel, direction="out", sender="system",
                          body=body, created_at=now,
                          meta={"notice": kind, "language": language_of(conversation)})
    conversation.last_message_at = now
    return message


OUR_TEAM = N_("Our team")
