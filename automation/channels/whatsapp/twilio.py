"""WhatsApp through Twilio: form fields in, TwiML (or a REST message body) out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from twilio.twiml.messaging_response import MessagingResponse

from automation.channels.whatsapp.identity import Sender, normalise_phone
from automation.conversations.turns import QuickReply
from automation.channels.whatsapp.common import WhatsAppMessage, choices_as_text, decode_choice

MAX_BODY = 1600  # Twilio refuses longer WhatsApp bodies
MAX_MEDIA = 10
# Characters XML 1.0 cannot carry at all, even escaped: dropped before building TwiML.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse(form: Mapping[str, Any]) -> WhatsAppMessage | None:
    """Return the shopper message in Twilio's webhook fields, or None when there is none."""
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    if not sid or parse_status(form) is not None:
        return None
    wa_id = (form.get("WaId") or "").strip()
    phone = normalise_phone(form.get("From")) or normalise_phone(wa_id)
    sender = Sender(phone=phone, profile_name=(form.get("ProfileName") or None))
    media = _media(form)
    kind = form.get("MessageType") or ("image" if media and _is_image(media) else
                                       "media" if media else "text")
    text, choice = _text(form)
    metadata: dict[str, Any] = {"whatsapp": {
        "provider": "twilio", "reply_to": form.get("From"), "business": form.get("To"),
        "wa_id": wa_id or None, "profile_name": sender.profile_name, "type": kind}}
    if media:
        metadata["media"] = media
    if choice is not None:
        metadata["choice"] = choice
    if form.get("Latitude") and form.get("Longitude"):
        metadata["location"] = {key.lower(): form.get(key) for key in
                                ("Latitude", "Longitude", "Address", "Label") if form.get(key)}
    if form.get("OriginalRepliedMessageSid"):
        metadata["context"] = {"id": form.get("OriginalRepliedMessageSid")}
    return WhatsAppMessage(provider="twilio", external_id=sid, sender=sender, text=text,
                           kind=kind, metadata=metadata)


def parse_status(form: Mapping[str, Any]) -> tuple[str, str] | None:
    """Return (message SID, status) when the fields are a status callback about our reply."""
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip().lower()
    sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
    if not sid or not status or status in ("received", "receiving"):
        return None
    return sid, status


def format(reply: str | None, choices: Sequence[QuickReply] = ()) -> str:  # noqa: A001
    """Return the TwiML answering with `reply` (an empty answer when there is none)."""
    response = MessagingResponse()
    if reply:
        response.message(text_body(reply, choices))
    return str(response)


def text_body(reply: str, choices: Sequence[QuickReply] = ()) -> str:
    """Return the message text Twilio sends: the reply, its choices written out, trimmed."""
    text = NOT_XML.sub("", choices_as_text(reply, list(choices)))
    return text if len(text) <= MAX_BODY else text[:MAX_BODY - 1] + "…"


def _text(form: Mapping[str, Any]) -> tuple[str, str | None]:
    """Return what the shopper said: a button's value or title, else the body (or caption)."""
    for payload_key, title_key in (("ButtonPayload", "ButtonText"), ("ListId", "ListTitle")):
        payload, title = form.get(payload_key), form.get(title_key)
        if payload or title:
            choice = decode_choice(payload)
            return (choice if choice is not None else title or payload or ""), payload
    return (form.get("Body") or "").strip(), None


def _media(form: Mapping[str, Any]) -> list[dict[str, str]]:
    try:
        count = min(int(form.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    return [{"url": form.get(f"MediaUrl{n}", ""), "content_type":
             form.get(f"MediaContentType{n}", "")} for n in range(count)
            if form.get(f"MediaUrl{n}")]


def _is_image(media: list[dict[str, str]]) -> bool:
    return any(m["content_type"].startswith("image/") for m in media)
