"""What the settings turn on, and what stays off and why (no network calls)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import make_url


@dataclass(frozen=True)
class Part:
    """One outside part of the desk, as its settings configure it."""

    name: str
    configured: bool
    detail: str


def configured_parts(config: Any) -> list[Part]:
    """Return what the settings turn on, and what stays off and why (no network calls)."""
    url = make_url(config.get("SQLALCHEMY_DATABASE_URI") or "sqlite://")
    database = f"{url.get_backend_name()} {url.render_as_string(hide_password=True)}"
    twilio = bool(config.get("TWILIO_AUTH_TOKEN"))
    meta = bool(config.get("WHATSAPP_APP_SECRET") and config.get("WHATSAPP_VERIFY_TOKEN"))
    return [
        Part("database", True, database),
        Part("redis", bool(config.get("REDIS_URL")),
             "jobs, live updates and limits through Redis" if config.get("REDIS_URL")
             else "not set: jobs, live updates and limits stay on this machine"),
        Part("claude", bool(config.get("ANTHROPIC_API_KEY")),
             f"model {config.get('ANTHROPIC_MODEL')}" if config.get("ANTHROPIC_API_KEY")
             else "not set (ANTHROPIC_API_KEY): the local agent answers"),
        Part("whatsapp_twilio", twilio,
             ("webhook on; replies by REST" if config.get("TWILIO_ACCOUNT_SID")
              else "webhook on; replies in TwiML") if twilio
             else "not set (TWILIO_AUTH_TOKEN): its webhook answers 503"),
        Part("whatsapp_meta", meta,
             ("webhook on; replies through the Graph API" if config.get("WHATSAPP_ACCESS_TOKEN")
              else "webhook on; no WHATSAPP_ACCESS_TOKEN, replies are not sent") if meta
             else "not set (WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN): its webhook answers 503"),
        Part("email", bool(config.get("EMAIL_WEBHOOK_SECRET")),
             "inbound webhook on" if config.get("EMAIL_WEBHOOK_SECRET")
             else "not set (EMAIL_WEBHOOK_SECRET): the inbound webhook answers 503"),
        Part("smtp", bool(config.get("SMTP_URL")),
             "replies leave by SMTP" if config.get("SMTP_URL")
             else "not set (SMTP_URL): emails wait in the staff outbox"),
        Part("notion", bool(config.get("NOTION_TOKEN")),
             "ticket sync on" if config.get("NOTION_TOKEN")
             else "not set (NOTION_TOKEN): tickets stay in the desk"),
    ]


def configured(config: Any) -> dict[str, Part]:
    """Return `configured_parts` by name."""
    return {part.name: part for part in configured_parts(config)}
