"""`POST /api/process-message` with a Bearer key: the reply is in the answer."""

from __future__ import annotations

import time

import httpx

from bot_simulation.channels import (ChannelError, Outgoing, Reply, Session, http_error,
                                     transport_error)


class ApiSession(Session):
    channel = "api"

    async def send(self, message: Outgoing) -> Reply:
        context = self.context
        message_id = context.message_id(message.number)
        self.db_key = ("api", message_id)
        try:
            response = await context.http.post(
                f"{context.settings.target}/api/process-message",
                json={"email": self.shopper.email, "message": message.text, "channel": "api",
                      "message_id": message_id},
                headers={**context.headers,
                         "Authorization": f"Bearer {context.settings.api_key}"},
                timeout=context.timeout)
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        at = time.monotonic()
        if response.status_code != 200:
            raise http_error(response)
        data = response.json()
        if not data.get("reply"):
            raise ChannelError("no_reply", f"status {data.get('status')}")
        ticket = data.get("ticket") or {}
        return Reply(text=data["reply"], at=at, intent=data.get("intent"),
                     category=data.get("category"), language=data.get("language"),
                     handoff=bool(data.get("handoff")), ticket=ticket.get("reference"),
                     actions=list(data.get("actions") or []),
                     conversation_id=data.get("conversation_id"))
