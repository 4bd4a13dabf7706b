"""Canned replies: saved answers staff insert by shortcode ("/hello"), one per language.

Placeholders are filled for the conversation at hand: `{first_name}` (the shopper's),
`{order}` (the order under discussion, else their latest), `{agent_name}` (the staff
member's first name). Supervisors and admins manage them; every change is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from automation.runtime import i18n
from automation.runtime.errors import DeskError, validation_error
from database import db, events
from database.canned import (add_canned_reply, delete_canned_reply, find_canned_reply,
                             get_canned_reply, list_canned_replies)
from database.catalog import list_customer_orders
from database.models import CannedReply, Conversation, StaffUser
from database.models.choices import LANGUAGES

SHORTCODE = re.compile(r"^/?[a-z0-9][a-z0-9_-]{0,38}$")
PLACEHOLDERS = ("first_name", "order", "agent_name")
MANAGERS = ("supervisor", "admin")


@dataclass(frozen=True)
class Suggestion:
    """A canned reply ready to insert: its body filled for this conversation."""

    id: int
    shortcode: str
    language: str
    title: str
    text: str


def suggestions(prefix: str, *, conversation: Conversation, staff: StaffUser,
                limit: int = 8) -> list[Suggestion]:
    """Return the canned replies whose shortcode starts with `prefix`, in the shopper's
    language when there is one (else English, else any), filled for this conversation."""
    prefix = prefix.lstrip("/").lower()
    language = i18n.language_of(conversation.language, conversation.customer.language)
    chosen: dict[str, CannedReply] = {}
    rank = {language: 0, "en": 1}
    for reply in list_canned_replies(prefix=prefix):
        best = chosen.get(reply.shortcode)
        if best is None or rank.get(reply.language, 2) < rank.get(best.language, 2):
            chosen[reply.shortcode] = reply
    values = placeholder_values(conversation, staff)
    return [Suggestion(r.id, r.shortcode, r.language, r.title, fill(r.body, values))
            for r in sorted(chosen.values(), key=lambda r: r.shortcode)[:limit]]


def placeholder_values(conversation: Conversation, staff: StaffUser) -> dict[str, str]:
    """Return what each placeholder stands for in this conversation."""
    context = conversation.context or {}
    order = context.get("current_order") or next(
        iter((context.get("handoff") or {}).get("orders_discussed") or []), None)
    if order is None:
        latest = list_customer_orders(conversation.customer_id, limit=1)
        order = latest[0].number if latest else ""
    return {"first_name": conversation.customer.first_name, "order": order or "",
            "agent_name": (staff.name.split() or [""])[0]}


def fill(body: str, values: dict[str, str]) -> str:
    """Fill the known placeholders; leave anything else (and stray braces) as written."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values and values[name] else match.group(0)
    return re.sub(r"\{(\w+)\}", replace, body)


def save(*, actor: StaffUser, shortcode: str, language: str, body: str, title: str = "",
         reply_id: int | None = None) -> CannedReply:
    """Create or change a canned reply (supervisors and admins) and commit."""
    _may_manage(actor)
    code = (shortcode or "").strip().lower().lstrip("/")
    problems = {}
    if not SHORTCODE.match(code):
        problems["shortcode"] = "letters, digits, - and _, up to 39 characters"
    if language not in LANGUAGES:
        problems["language"] = "one of " + ", ".join(LANGUAGES)
    if not (body or "").strip() or len(body) > 5000:
        problems["body"] = "1 to 5000 characters"
    if len(title or "") > 120:
        problems["title"] = "120 characters at most"
    unknown = set(re.findall(r"\{(\w+)\}", body or "")) - set(PLACEHOLDERS)
    if unknown and "body" not in problems:
        problems["body"] = "unknown placeholder: " + ", ".join(sorted(unknown))
    if problems:
        raise validation_error(problems)
    reply = get_canned_reply(reply_id) if reply_id is not None else None
    if reply_id is not None and reply is None:
        raise DeskError("not_found", f"no canned reply {reply_id}")
    clash = find_canned_reply(code, language)
    if clash is not None and (reply is None or clash.id != reply.id):
        raise DeskError("conflict", f"/{code} exists already in {language}",
                        fields={"shortcode": "exists already in this language"})
    if reply is None:
        reply = add_canned_reply(shortcode=code, language=language, title=title.strip(),
                                 body=body.strip(), created_by_id=actor.id)
    else:
        reply.shortcode, reply.language = code, language
        reply.title, reply.body = title.strip(), body.strip()
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DeskError("conflict", f"/{code} exists already in {language}") from None
    events.record(events.CANNED_REPLY_SAVED, payload={"id": reply.id, "shortcode": code,
                                                      "language": language,
                                                      "staff_id": actor.id})
    db.session.commit()
    return reply


def delete(reply_id: int, *, actor: StaffUser) -> None:
    """Delete a canned reply (supervisors and admins) and commit."""
    _may_manage(actor)
    reply = get_canned_reply(reply_id)
    if reply is None:
        raise DeskError("not_found", f"no canned reply {reply_id}")
    payload: dict[str, Any] = {"id": reply.id, "shortcode": reply.shortcode,
                               "language": reply.language, "staff_id": actor.id}
    delete_canned_reply(reply)
    events.record(events.CANNED_REPLY_DELETED, payload=payload)
    db.session.commit()


def _may_manage(actor: StaffUser) -> None:
    if actor.role not in MANAGERS:
        raise DeskError("forbidden", "only supervisors and admins manage canned replies")
