"""Fake mail senders: one that records, one that fails (as a temporary or a permanent error)."""

from __future__ import annotations

from email.message import EmailMessage

from automation.channels.email.smtp import SENT, MailSendError


class RecordingMailSender:
    """Send nothing; keep every email, as if an SMTP server had accepted it."""

    name = "fake"

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> str:
        self.sent.append(message)
        return SENT


class FailingMailSender:
    """Fail every send with `error`; count the attempts."""

    name = "failing"

    def __init__(self, error: str = "SMTPServerDisconnected: Connection unexpectedly closed",
                 *, permanent: bool = False) -> None:
        self.error, self.permanent, self.attempts = error, permanent, 0

    def send(self, message: EmailMessage) -> str:
        self.attempts += 1
        raise MailSendError(self.error, permanent=self.permanent)
