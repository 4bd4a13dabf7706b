"""What every channel adapter answers: the provider's id and status, or an error."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendResult:
    """What the provider said about a message handed to it."""

    provider_id: str | None   # Twilio's message SID, Meta's wamid, our email's Message-ID…
    status: str               # "queued", "accepted", "sent", "delivered"… or "not_sent"
    detail: str | None = None  # why, when nothing was sent


class SendError(Exception):
    """The provider refused the message, or could not be reached.

    `permanent` says that trying again cannot help (a refused recipient, a message outside
    WhatsApp's 24-hour window); otherwise the delivery job tries again later.
    """

    def __init__(self, message: str, *, status: int | None = None,
                 code: int | str | None = None, permanent: bool | None = None) -> None:
        super().__init__(message)
        self.status, self.code = status, code
        if permanent is None:
            permanent = status is not None and 400 <= status < 500 and status not in (408, 429)
        self.permanent = permanent
