"""Sending email: the one module that speaks SMTP (`smtplib`), and owns its timeouts.

`SMTP_URL` chooses the adapter: `smtps://user:pass@host:465` (TLS from the first byte),
`smtp://user:pass@host:587` (STARTTLS, required unless the server is on this machine), or
`smtp://host:25` (plain, for a local relay). Unset, the null adapter keeps every email in the
staff outbox instead. Retrying is the caller's job (a background job with retries); this
module only tells a failure worth retrying from one that is not.
"""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

SENT = "sent"
OUTBOX = "outbox"


class MailSendError(Exception):
    """A send failed; `permanent` when trying again cannot help (a 5xx answer, bad setup)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class MailSender(Protocol):
    """Anything that can send an email and say where it went (`sent` or `outbox`)."""

    name: str

    def send(self, message: EmailMessage) -> str:
        """Send one email and return its delivery status, or raise `MailSendError`."""
        ...


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to reach the SMTP server, from `SMTP_URL`."""

    host: str
    port: int
    security: str            # "tls" (smtps) | "starttls" | "plain"
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        """Read `smtp://` or `smtps://` URLs; raise ValueError for anything else."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL: expected smtp://[user:pass@]host[:port] or smtps://…")
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        if parts.scheme == "smtps":
            return cls(parts.hostname, parts.port or 465, "tls", username, password)
        port = parts.port or (587 if username else 25)
        # Credentials or the submission port mean a mail provider: STARTTLS. Otherwise a local
        # relay, often with a self-signed certificate that opportunistic TLS would trip on.
        return cls(parts.hostname, port, "starttls" if username or port == 587 else "plain",
                   username, password)


class SmtpMailSender:
    """Send through an SMTP server, one connection per email (replies are not bulk)."""

    name = "smtp"

    def __init__(self, settings: SmtpSettings, *, timeout: float = 10.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()

    def send(self, message: EmailMessage) -> str:
        """Send one email over SMTP; raise `MailSendError` when the server or network fails."""
        settings = self.settings
        try:
            if settings.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host, settings.port, timeout=self.timeout, context=self.ssl_context)
            else:
                client = smtplib.SMTP(settings.host, settings.port, timeout=self.timeout)
            with client:
                client.ehlo()
                self._secure(client)
                if settings.username:
                    client.login(settings.username, settings.password or "")
                refused = client.send_message(message)
            if refused:
                raise MailSendError(f"recipients refused: {sorted(refused)}", permanent=True)
        except MailSendError:
            raise
        except smtplib.SMTPResponseException as exc:
            detail = exc.smtp_error.decode(errors="replace") if isinstance(
                exc.smtp_error, bytes) else str(exc.smtp_error)
            raise MailSendError(f"SMTP {exc.smtp_code}: {detail}"[:500],
                                permanent=500 <= exc.smtp_code < 600) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailSendError(f"recipients refused: {sorted(exc.recipients)}",
                                permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:  # network, TLS, timeouts
            raise MailSendError(f"{type(exc).__name__}: {exc}"[:500]) from exc
        return SENT

    def _secure(self, client: smtplib.SMTP) -> None:
        if self.settings.security != "starttls":
            return
        if client.has_extn("starttls"):
            client.starttls(context=self.ssl_context)
            client.ehlo()
        elif not _is_loopback(self.settings.host):
            # Never send a password or a shopper's email in clear text over the network.
            raise MailSendError(f"{self.settings.host} does not offer STARTTLS",
                                permanent=True)


class NullMailSender:
    """No SMTP configured: nothing leaves; the email stays in the staff outbox."""

    name = "null"

    def send(self, message: EmailMessage) -> str:
        """Keep the email for the outbox (its stored copy is the outbox)."""
        log.info("SMTP_URL is not set: email %s kept in the outbox", message["Message-ID"])
        return OUTBOX


def build_mail_sender(smtp_url: str | None, *, timeout: float = 10.0) -> MailSender:
    """Return the SMTP adapter for `smtp_url`, or the null adapter when it is unset."""
    if not smtp_url:
        # Said once by `make run` (`flask desk summary`) and on the health page, not per process.
        log.info("SMTP_URL is not set: email replies are kept in the staff outbox")
        return NullMailSender()
    try:
        settings = SmtpSettings.from_url(smtp_url)
    except ValueError as exc:
        # A typo in a setting must not take the desk down; the outbox keeps every reply.
        log.error("%s; email replies are kept in the staff outbox", exc)
        return NullMailSender()
    return SmtpMailSender(settings, timeout=timeout)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
