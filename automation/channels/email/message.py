"""Email: an inbound-parse payload in (`parse`), a reply email out (`format`).

Inbound-parse services (SendGrid, Mailgun, Postmark…) post the parts of a received email as
form fields or JSON; field names differ a little between them, so several spellings are read.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from email.policy import default as default_policy
from email.header import decode_header, make_header
from email.utils import format_datetime, formataddr, getaddresses, make_msgid
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from automation.runtime import json_limits
from automation.runtime.errors import validation_error
from automation.channels.email.text import html_to_text, reply_subject, strip_reply, tidy

MAX_REFERENCES = 20  # older ids add nothing to threading and bloat the header
# Envelope senders that mean "a machine wrote this" (RFC 3834 §2): never answer them.
MACHINE_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply",
                   "donotreply", "bounce", "bounces")
ALIASES = {"body-plain": "text", "stripped-text": "text", "textbody": "text",
           "body-html": "html", "htmlbody": "html", "message-headers": "headers",
           "messageid": "message-id", "replyto": "reply-to"}


@dataclass(frozen=True)
class InboundEmail:
    """One received email, reduced to what the desk needs."""

    sender: str                  # lower-case address; "" for a bounce's empty sender
    sender_name: str
    to: list[str]
    subject: str
    text: str                    # what the shopper wrote this time: no quotes, no signature
    original: str                # the whole text as received (HTML turned into text)
    html: str | None
    message_id: str              # "<…>", the de-duplication key
    in_reply_to: list[str]
    references: list[str]
    automatic: str | None = None  # why it must never be answered (auto-reply, bounce, list)

    @property
    def domain(self) -> str:
        """Return the sender's domain: what events may keep about an unknown sender."""
        return self.sender.rpartition("@")[2]

    @property
    def thread_ids(self) -> list[str]:
        """Return the Message-IDs this email answers, the most recent first."""
        ids = list(self.in_reply_to) + list(reversed(self.references))
        return list(dict.fromkeys(ids))[:MAX_REFERENCES]

    def metadata(self) -> dict[str, Any]:
        """Return what the stored inbound message keeps: the full original and its ids."""
        return {"email": {"from": self.sender, "name": self.sender_name, "to": self.to,
                          "subject": self.subject, "message_id": self.message_id,
                          "in_reply_to": self.in_reply_to, "references": self.references,
                          "original": self.original, "html": self.html}}


def parse(payload: Mapping[str, Any]) -> InboundEmail:
    """Return the email an inbound-parse service posted, or raise a validation error."""
    fields = _normalise(payload)
    headers = _raw_headers(fields.get("headers", ""))
    problems: dict[str, str] = {}
    if "from" not in fields and "from" not in headers:
        problems["from"] = "required"
    name, sender = _sender(fields.get("from") or headers.get("from", ""))
    if sender and not _valid_address(sender):
        problems["from"] = "not a valid address"
    text, markup = fields.get("text", ""), fields.get("html") or None
    subject = " ".join((fields.get("subject") or headers.get("subject", "")).split())[:300]
    if not text.strip() and not (markup or "").strip() and not subject:
        problems["text"] = "required (or html, or a subject)"
    if problems:
        raise validation_error(problems)

    original = tidy(text) if text.strip() else html_to_text(markup or "")
    cleaned = strip_reply(original) or subject or original
    message_id = (_ids(_value(fields, headers, "message-id"))
                  or [_derived_id(fields, headers)])[0]
    recipients = getaddresses([_value(fields, headers, "to")])
    return InboundEmail(
        sender=sender, sender_name=name, to=[a.lower() for _n, a in recipients if a],
        subject=subject, text=cleaned, original=original, html=markup,
        message_id=message_id, in_reply_to=_ids(_value(fields, headers, "in-reply-to")),
        references=_ids(_value(fields, headers, "references"))[-MAX_REFERENCES:],
        automatic=_automatic(sender, fields, headers))


def format(*, reply: str, to: str, to_name: str, subject: str, from_address: str,
           shop_name: str, language: str, in_reply_to: str | None,
           references: list[str], signed: bool = True, automatic: bool = True,
           signature: str | None = None) -> EmailMessage:
    """Return the reply email: plain text plus an escaped HTML alternative, threaded.

    `automatic` marks it as the desk's own answer (RFC 3834); a person's reply is not, and
    is signed `signature` ("Léa, Demo Shop") rather than the shop's name.
    """
    message = EmailMessage()
    message["From"] = formataddr((shop_name, from_address))
    message["To"] = formataddr((to_name, to))
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2])
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        chain = [ref for ref in references if ref != in_reply_to][-(MAX_REFERENCES - 1):]
        message["References"] = " ".join([*chain, in_reply_to])
    if automatic:
        # RFC 3834: this is an automatic answer; well-behaved auto-responders stay quiet.
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
    signed_by = signature or shop_name
    message.set_content(f"{reply.strip()}\n\n-- \n{signed_by}\n" if signed
                        else f"{reply.strip()}\n")
    message.add_alternative(_html(reply, shop_name=signed_by if signed else None,
                                  language=language), subtype="html")
    message["Content-Language"] = language  # after the bodies: set_content clears Content-*
    return message


def rendered(message: EmailMessage) -> dict[str, Any]:
    """Return the email as stored for staff: headers, both bodies and the raw source."""
    bodies = {part.get_content_subtype(): part.get_content() for part in message.walk()
              if part.get_content_maintype() == "text"}
    return {"headers": [[name, str(value)] for name, value in message.items()],
            "to": str(message["To"]), "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]), "text": bodies.get("plain", ""),
            "html": bodies.get("html", ""), "raw": message.as_string()}


def support_address(config: Mapping[str, Any]) -> str:
    """Return the shop's support address: SUPPORT_EMAIL, else support@<public host>."""
    if config.get("SUPPORT_EMAIL"):
        return str(config["SUPPORT_EMAIL"]).strip().lower()
    host = urlsplit(config.get("PUBLIC_BASE_URL") or "").hostname or "localhost"
    return f"support@{host.lower()}"


def subject_for(subject: str | None, *, shop_name: str) -> str:
    """Return the subject of our reply to `subject`."""
    return reply_subject(subject or "", fallback=f"{shop_name} customer support")


def _html(text: str, *, shop_name: str | None, language: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = "\n".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if shop_name:
        body += f'\n<p style="color: #666">— {html.escape(shop_name)}</p>'
    return (f'<!doctype html>\n<html lang="{html.escape(language)}"><body '
            f'style="font-family: sans-serif; line-height: 1.5">\n{body}\n</body></html>\n')


def _normalise(payload: Mapping[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key, value in payload.items():
        name = str(key).strip().lower().replace("_", "-")
        name = ALIASES.get(name, name)
        if isinstance(value, list) and name == "headers":
            value = "\n".join(f"{pair[0]}: {pair[1]}" for pair in value
                              if isinstance(pair, list) and len(pair) == 2)
        if value is None:
            continue
        if not isinstance(value, str):
            raise validation_error({name: "must be a string"})
        if name not in fields or not fields[name]:  # the first non-empty spelling wins
            fields[name] = value
    return fields


def _valid_address(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _sender(raw: str) -> tuple[str, str]:
    """Return the display name and lower-case address of a From value ("", "" when empty)."""
    pairs = getaddresses([raw])
    # An unquoted comma ("Dubois, Camille <c@x.fr>") splits the name into a fake address.
    name, address = next(((n, a) for n, a in pairs if "@" in a), pairs[0] if pairs else ("", ""))
    if "<" in raw and "@" in address:
        name = raw.split("<", 1)[0].strip().strip('"').strip() or name
    try:
        name = str(make_header(decode_header(name)))  # "=?UTF-8?Q?Jo=C3=A3o?=" → "João"
    except (ValueError, LookupError):
        pass
    return name.strip(), address.strip().lower()


def _raw_headers(raw: str) -> dict[str, str]:
    """Return the headers of a raw block (or Mailgun's JSON list of pairs), lower-cased."""
    if raw.lstrip().startswith("["):
        try:
            pairs = json_limits.loads(raw)
            raw = "\n".join(f"{name}: {value}" for name, value in pairs)
        except (ValueError, TypeError):
            return {}
    parsed: Message = HeaderParser(policy=default_policy).parsestr(raw.strip() + "\n\n")
    headers: dict[str, str] = {}
    for name, value in parsed.items():
        headers.setdefault(name.lower(), " ".join(str(value).split()))
    return headers


def _ids(value: str) -> list[str]:
    """Return the Message-IDs of a header value, each as "<…>" and at most 255 characters."""
    found = re.findall(r"<([^<>\s]+)>", value)
    if not found and value.strip() and " " not in value.strip():
        found = [value.strip()]  # some services post the id without its angle brackets
    ids = []
    for raw in found:
        token = f"<{raw}>"
        if len(token) > 255:  # the column holds 255; a digest keeps it unique
            token = f"<{hashlib.sha256(raw.encode()).hexdigest()}@long-id.invalid>"
        ids.append(token)
    return ids


def _derived_id(fields: dict[str, str], headers: dict[str, str]) -> str:
    """Return a stable id for an email that came without one, so retries are still caught."""
    source = "\x00".join((fields.get("from", ""), fields.get("to", ""),
                          fields.get("subject", ""), headers.get("date", ""),
                          fields.get("text", ""), fields.get("html", "")))
    return f"<{hashlib.sha256(source.encode()).hexdigest()[:40]}@no-message-id.invalid>"


def _value(fields: dict[str, str], headers: dict[str, str], name: str) -> str:
    """Return a posted field, else the same header from the raw block, else ""."""
    return fields.get(name) or headers.get(name, "")


def _automatic(sender: str, fields: dict[str, str], headers: dict[str, str]) -> str | None:
    """Return why an email was written by a machine (and must not be answered), or None."""
    def value(name: str) -> str:
        return _value(fields, headers, name).strip().lower()

    local_part = sender.partition("@")[0]
    if not sender or local_part in MACHINE_SENDERS or value("return-path") == "<>" \
            or "multipart/report" in value("content-type"):
        return "bounce"
    if value("auto-submitted") not in ("", "no"):
        return "auto_submitted"
    if value("precedence") in ("bulk", "junk", "list", "auto_reply"):
        return "bulk"
    if value("x-autoreply") or value("x-autorespond") or value("x-auto-response-suppress") in (
            "all", "oof", "autoreply"):
        return "auto_reply"
    if value("list-id") or value("list-unsubscribe"):
        return "list"
    return None
