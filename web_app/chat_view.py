"""What the web chat shows, and its fragments: the same templates render the first page, the
htmx swaps and the WebSocket pushes (with `hx-swap-oob`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from markupsafe import Markup

from automation.channels.web import CHANNEL, MAX_CHARS
from automation.conversations import queue
from database.base import utcnow
from automation.runtime import i18n
from automation.agents.local.speaker import A_PERSON
from database.conversations import (first_inbound_bodies, latest_conversation,
                                    list_conversations, recent_messages)
from database.models import Conversation, Message
from database.staff import get_staff
from automation.runtime.babel_setup import current_language

PAGE_MESSAGES = 50   # the page shows the latest ones; earlier ones are in the transcript
HISTORY = 20         # earlier conversations listed beside the chat


@dataclass
class ChatState:
    """One conversation as the shopper sees it at this moment."""

    conversation: Conversation | None
    messages: list[Message] = field(default_factory=list)
    staff_names: dict[int, str] = field(default_factory=dict)
    position: int | None = None      # in the queue for a person, when waiting
    minutes: int | None = None       # the queue's estimate
    agent_name: str | None = None    # the person holding the conversation

    @property
    def status(self) -> str:
        return self.conversation.status if self.conversation is not None else "ai"

    @property
    def conversation_id(self) -> int | None:
        return self.conversation.id if self.conversation is not None else None

    @property
    def last_message_id(self) -> int:
        return self.messages[-1].id if self.messages else 0

    @property
    def quick_replies(self) -> list[dict[str, str]]:
        """Return the buttons the latest AI reply offers, while they still make sense."""
        if not self.messages or self.status in ("closed", "active"):
            return []
        last = self.messages[-1]
        return list((last.meta or {}).get("quick_replies") or []) if last.sender == "ai" else []

    @property
    def rateable(self) -> bool:
        return self.status == "closed" and self.conversation.rating is None


def load_state(conversation: Conversation | None, *,
               messages: Sequence[Message] | None = None) -> ChatState:
    """Return what the chat shows of `conversation` (None: the shopper has not chatted yet)."""
    if conversation is None:
        return ChatState(None)
    if messages is None:
        messages = recent_messages(conversation.id, limit=PAGE_MESSAGES)
    state = ChatState(conversation, list(messages))
    state.staff_names = staff_names(state.messages)
    if conversation.status == "waiting":
        # The place and estimate staff see too: priority first, from the people online.
        state.position, state.minutes = queue.place(conversation, utcnow())
    if conversation.status == "active" and conversation.assigned_staff_id:
        state.agent_name = staff_first_name(conversation.assigned_staff_id)
    return state


def current_state(customer_id: int) -> ChatState:
    """Return the state of the shopper's current web conversation (open, else the latest)."""
    return load_state(latest_conversation(customer_id, CHANNEL))


def staff_first_name(staff_id: int) -> str:
    """Return the first name staff show to shoppers."""
    staff = get_staff(staff_id)
    return (staff.name.split() or ["—"])[0] if staff is not None else "—"


def staff_names(messages: Iterable[Message]) -> dict[int, str]:
    """Return the first names of the staff who wrote `messages`, by staff id."""
    ids = {m.staff_id for m in messages if m.staff_id is not None}
    return {staff_id: staff_first_name(staff_id) for staff_id in ids}


def person_phrase() -> str:
    """Return what the "Talk to a person" button says for the shopper, in their language."""
    return i18n.text(current_language(), A_PERSON)


# --- fragments ----------------------------------------------------------------------------

def fragment(name: str, state: ChatState, *, oob: bool = False, **extra: Any) -> str:
    """Render one chat fragment (`chat/_<name>.html`) of `state`."""
    return render_template(f"chat/_{name}.html", state=state, oob=oob,
                           person_phrase=person_phrase(), max_chars=MAX_CHARS,
                           page_messages=PAGE_MESSAGES, **extra)


def history(customer_id: int, state: ChatState, *, oob: bool = False) -> str:
    """Render the list of the shopper's earlier conversations (a closed one is listed too)."""
    shown_open = state.conversation_id if state.status != "closed" else None
    past = list_conversations(customer_id, CHANNEL, limit=HISTORY, exclude_id=shown_open)
    return Markup(render_template("chat/_history.html", past=past, oob=oob,
                                  previews=first_inbound_bodies([c.id for c in past])))


def appended(messages: Sequence[Message], state: ChatState) -> str:
    """Render messages to add at the bottom of the log (a repeat swaps in place: same id)."""
    names = {**state.staff_names, **staff_names(messages)}
    return render_template("chat/_append.html", messages=messages, staff_names=names)


def notice(text: str, key: str) -> str:
    """Render a bubble that is not a message (an error, a limit), appended to the log."""
    return render_template("chat/_notice.html", text=text, key=key)


def typing(on: bool, *, person: str | None = None) -> str:
    """Render the "typing…" line: the assistant working on a reply, or a person writing."""
    return render_template("chat/_typing.html", typing=on, oob=True, person=person)
