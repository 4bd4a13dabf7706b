"""Email through the desk's inbound webhook (shared secret), as an inbound-parse service
posts it; the reply is read from the simulator's SMTP sink (the desk's `SMTP_URL`) or from
the desk's outbox in the database.
"""

from __future__ import annotations

import time

import httpx

from bot_simulation.channels import (ChannelError, Outgoing, Reply, Session, http_error,
                                     transport_error)

SUBJECTS = {"fr": "Question sur ma commande", "en": "Question about my order",
            "pt": "Pergunta sobre a minha encomenda"}
DOMAIN = "simulator.invalid"


class EmailSession(Session):
    channel = "email"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.thread: list[str] = []   # Message-IDs of this conversation, ours and the desk's
        self.subject: str | None = None

    async def send(self, message: Outgoing) -> Reply:
        context, settings = self.context, self.context.settings
        if not settings.email_webhook_secret:
            raise ChannelError("not_configured", "EMAIL_WEBHOOK_SECRET")
        message_id = f"<{context.message_id(message.number)}@{DOMAIN}>"
        self.db_key = ("email", message_id)
        if self.subject is None:
            self.subject = message.subject or SUBJECTS.get(self.shopper.language,
                                                           SUBJECTS["en"])
        payload = {"from": f'"{self.shopper.full_name}" <{self.shopper.email}>',
                   "to": settings.support_email,
                   "subject": ("Re: " if self.thread else "") + self.subject,
                   "text": message.text, "Message-ID": message_id}
        if self.thread:
            payload["In-Reply-To"] = self.thread[-1]
            payload["References"] = " ".join(self.thread[-10:])
        smtp = context.email_replies == "smtp"
        future = context.box.expect(message_id) if smtp else None
        deadline = time.monotonic() + context.timeout
        try:
            response = await context.http.post(
                f"{settings.target}/webhooks/email", json=payload,
                headers={**context.headers, "X-Webhook-Secret": settings.email_webhook_secret},
                timeout=context.timeout)
        except httpx.HTTPError as exc:
            if future is not None:
                context.box.forget(message_id, future)
            raise transport_error(exc) from exc
        answer = response.json() if response.status_code == 200 else None
        if answer is None or answer.get("status") != "accepted" or answer.get("duplicate"):
            if future is not None:
                context.box.forget(message_id, future)
            if answer is None:
                raise http_error(response)
            raise ChannelError(f"email_{answer.get('status')}", str(answer.get("reason", "")))
        self.thread.append(message_id)
        if future is None:
            future = context.outbox.expect("email", message_id)  # polled
        observed = await self._wait(future, message_id, deadline=deadline)
        if observed.raw.get("message_id"):
            self.thread.append(observed.raw["message_id"])
        return Reply(text=observed.text, at=observed.at)
