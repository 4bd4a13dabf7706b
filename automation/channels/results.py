"""What every sender answers: the provider's id and status, or an error."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendResult:
    """What the provider said about a message handed to it."""

    provider_id: str | None   # Twilio's message SID, Meta's wamid; None when nothing was sent
    status: str               # "queued", "accepted"… or "not_sent"


class SendError(Exception):
    """The provider refused the message, or could not be reached."""

    def __init__(self, message: str, *, status: int | None = None,
                 code: int | str | None = None) -> None:
        super().__init__(message)
        self.status, self.code = status, code
