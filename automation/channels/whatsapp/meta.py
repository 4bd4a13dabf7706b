"""WhatsApp through Meta's Cloud API: webhook JSON in, Graph API message payloads out.

One webhook may carry several entries, changes, messages and statuses; every one is parsed.
Senders are known by phone (`from`, `wa_id`) and, since 2026, by a business-scoped user id
(`from_user_id`, `contacts[].user_id`): the phone may be empty for shoppers with a username.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from automation.channels.whatsapp.identity import Sender, normalise_phone
from automation.conversations.turns import QuickReply
from automation.channels.whatsapp.common import (WhatsAppMessage, choices_as_text, decode_choice,
                                       encode_choice)

MEDIA_KINDS = ("image", "video", "audio", "document", "sticker")
ANSWERED_KINDS = ("text", "interactive", "button", "location", "contacts", *MEDIA_KINDS)
MAX_TEXT = 4096
MAX_BUTTON_BODY = 1024
MAX_BUTTONS = 3
MAX_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24


@dataclass(frozen=True)
class Status:
    """A delivery report about a message we sent."""

    provider_id: str           # the wamid our send call got back
    status: str                # sent | delivered | read | failed
    at: datetime | None
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Batch:
    """Everything one webhook delivery holds, and how many of its items were malformed."""

    messages: list[WhatsAppMessage] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    rejected: int = 0


def parse(payload: Any) -> Batch:
    """Return the shopper messages and delivery statuses in a Cloud API webhook payload."""
    batch = Batch()
    if not isinstance(payload, dict):
        return batch
    for entry in _list(payload.get("entry")):
        for change in _list(entry.get("changes") if isinstance(entry, dict) else None):
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict) or change.get("field", "messages") != "messages":
                continue
            if not _well_formed(value):
                # A signed change of a shape Meta never sends: nothing of it is read.
                batch.rejected += max(1, len(_list(value.get("messages")))
                                      + len(_list(value.get("statuses"))))
                continue
            contacts = [c for c in _list(value.get("contacts")) if isinstance(c, dict)]
            try:
                business = _str(_dict(value.get("metadata")).get("phone_number_id"))
            except TypeError:
                batch.rejected += max(1, len(_list(value.get("messages"))))
                continue
            for raw in _list(value.get("messages")):
                try:
                    message = _message(raw, contacts, business)
                except (TypeError, ValueError, AttributeError):
                    batch.rejected += 1  # a shape Meta never sends: rejected, never half-read
                    continue
                if message is not None:
                    batch.messages.append(message)
            for raw in _list(value.get("statuses")):
                try:
                    status = _status(raw)
                except TypeError:
                    status = None
                if status is None:
                    batch.rejected += 1
                else:
                    batch.statuses.append(status)
    return batch


def _well_formed(value: dict[str, Any]) -> bool:
    """Tell whether a change's envelope has the types Meta sends."""
    kinds = {"metadata": dict, "contacts": list, "messages": list, "statuses": list}
    return all(name not in value or isinstance(value[name], kind)
               for name, kind in kinds.items()) and all(
        isinstance(c, dict) for c in _list(value.get("contacts")))


def _status(raw: Any) -> Status | None:
    if not isinstance(raw, dict) or not _str(raw.get("id")) or not _str(raw.get("status")):
        return None
    errors = [e for e in _list(raw.get("errors")) if isinstance(e, dict)]
    return Status(provider_id=raw["id"], status=raw["status"], at=_time(raw.get("timestamp")),
                  errors=errors)



def format(reply: str, *, to: str,  # noqa: A001 - the channel's one formatter
           choices: Sequence[QuickReply] = ()) -> dict[str, Any]:
    """Return the Graph API payload answering `to`: reply buttons when they fit, else text."""
    buttons = _buttons(list(choices))
    if buttons and len(reply) <= MAX_BUTTON_BODY:
        return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
                "type": "interactive",
                "interactive": {"type": "button", "body": {"text": reply},
                                "action": {"buttons": buttons}}}
    return text_payload(choices_as_text(reply, list(choices)), to=to)


def text_payload(text: str, *, to: str) -> dict[str, Any]:
    """Return the Graph API payload of a plain text message."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - 1] + "…"
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "text", "text": {"preview_url": False, "body": text}}


def list_payload(body: str, *, to: str, choices: dict[str, Any]) -> dict[str, Any]:
    """Return an interactive list message: up to ten rows under one button (a rating 1–5)."""
    rows = [{"id": str(row["id"])[:200], "title": _clip(str(row["title"]), MAX_ROW_TITLE)}
            for row in choices.get("rows", [])[:MAX_ROWS]]
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "interactive",
            "interactive": {"type": "list", "body": {"text": _clip(body, MAX_BUTTON_BODY)},
                            "action": {"button": _clip(str(choices.get("button") or "…"),
                                                       MAX_TITLE),
                                       "sections": [{"title": _clip(
                                           str(choices.get("button") or "…"), MAX_ROW_TITLE),
                                           "rows": rows}]}}}


def template_payload(*, to: str, name: str, language: str,
                     values: Sequence[str]) -> dict[str, Any]:
    """Return a template message (the only kind Meta delivers past the 24-hour window), its
    body's parameters {{1}}, {{2}}… filled with `values`."""
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "template",
            "template": {"name": name, "language": {"code": language},
                         "components": [{"type": "body", "parameters": [
                             {"type": "text", "text": template_text(value)}
                             for value in values]}]}}


def template_text(value: str) -> str:
    """Return a template parameter as Meta accepts it: no new lines or tabs, no more than
    four spaces in a row, at most 1024 characters."""
    text = re.sub(r"[\t\r\n]+", " ", value or "").strip()
    text = re.sub(r" {4,}", "   ", text)
    return _clip(text, MAX_BUTTON_BODY) or "—"


def template_variables(first_name: str, body: str) -> str:
    """Return Twilio's `ContentVariables` for a template: {"1": first name, "2": the text}."""
    import json

    return json.dumps({"1": template_text(first_name), "2": template_text(body)},
                      ensure_ascii=False)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _buttons(choices: list[QuickReply]) -> list[dict[str, Any]] | None:
    """Return reply buttons for the choices, or None when WhatsApp's rules rule them out."""
    if not choices or len(choices) > MAX_BUTTONS:
        return None
    buttons, titles = [], set()
    for choice in choices:
        title = choice.label.strip()
        if len(title) > MAX_TITLE:
            title = title[:MAX_TITLE - 1].rstrip() + "…"
        button_id = encode_choice(choice)
        if not title or title in titles or button_id is None:
            return None  # shortened titles clash, or a value is too long: list them instead
        titles.add(title)
        buttons.append({"type": "reply", "reply": {"id": button_id, "title": title}})
    return buttons


def _message(raw: Any, contacts: list[dict[str, Any]],
             business: str | None) -> WhatsAppMessage | None:
    if not isinstance(raw, dict):
        raise TypeError("a message is not an object")
    kind = _str(raw.get("type")) or ""
    wamid = _str(raw.get("id"))
    if not wamid or kind not in ANSWERED_KINDS:
        return None  # reactions, system notices, unsupported types: nothing to answer
    for name in ("from", "from_user_id", "timestamp"):
        _str(raw.get(name))
    contact = _contact(raw, contacts)
    user_id = raw.get("from_user_id") or _str(contact.get("user_id")) or None
    phone = normalise_phone(raw.get("from") or _str(contact.get("wa_id")) or "")
    name = _str(_dict(contact.get("profile")).get("name")) or None
    sender = Sender(phone=phone, user_id=user_id, profile_name=name)
    text, extra = _content(kind, raw)
    metadata: dict[str, Any] = {"whatsapp": {
        "provider": "meta", "reply_to": raw.get("from") or user_id,
        "business": business, "user_id": user_id, "profile_name": name, "type": kind}, **extra}
    if isinstance(raw.get("context"), dict):
        metadata["context"] = {k: v for k, v in raw["context"].items()
                               if k in ("id", "from", "forwarded", "frequently_forwarded")}
    return WhatsAppMessage(provider="meta", external_id=str(wamid), sender=sender, text=text,
                           kind=kind, metadata=metadata,
                           received_at=_time(raw.get("timestamp")) or datetime.now(UTC))


def _content(kind: str, raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Return the shopper's words in a message, and what to keep beside them."""
    body = _dict(raw.get(kind))
    if kind == "text":
        return (_str(body.get("body")) or "").strip(), {}
    if kind == "interactive":
        reply = _dict(body.get(_str(body.get("type")) or ""))
        choice = decode_choice(_str(reply.get("id")))
        return (choice if choice is not None else _str(reply.get("title")) or ""), \
            {"choice": _str(reply.get("id"))}
    if kind == "button":  # a quick-reply button of a template message
        choice = decode_choice(_str(body.get("payload")))
        return (choice if choice is not None else _str(body.get("text")) or ""), \
            {"choice": _str(body.get("payload"))}
    if kind in MEDIA_KINDS:
        media = {"kind": kind, "id": body.get("id"), "content_type": body.get("mime_type"),
                 "sha256": body.get("sha256")}
        caption = str(body.get("caption") or "").strip()
        media.update({k: v for k, v in (("caption", caption), ("filename", body.get("filename")))
                      if v})
        return caption, {"media": [media]}
    if kind == "location":
        place = {k: body.get(k) for k in ("latitude", "longitude", "name", "address")
                 if body.get(k) is not None}
        return str(body.get("address") or body.get("name") or ""), {"location": place}
    return "", {"contacts_shared": len(_list(raw.get("contacts")))}


def _contact(raw: dict[str, Any], contacts: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the contact entry about this message's sender (by user id, then phone)."""
    for contact in contacts:
        _dict(contact.get("profile"))
        if raw.get("from_user_id") and contact.get("user_id") == raw.get("from_user_id"):
            return contact
        if raw.get("from") and contact.get("wa_id") == raw.get("from"):
            return contact
    return contacts[0] if len(contacts) == 1 else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    """Return an object, {} for nothing; a value of another type is a malformed payload."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


def _str(value: Any) -> str | None:
    """Return a string, None for nothing; a value of another type is a malformed payload."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
