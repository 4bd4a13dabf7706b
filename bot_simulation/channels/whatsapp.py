"""WhatsApp through the desk's webhooks, signed as Meta and Twilio sign them.

Meta: a Cloud API envelope with `X-Hub-Signature-256`; the desk acknowledges at once and
sends its reply to the Graph API, i.e. to the simulator's fake one (`WHATSAPP_GRAPH_URL`).
Twilio: form fields with `X-Twilio-Signature`; the reply is in the TwiML answer, or (REST
mode) comes to the simulator's fake Twilio API (`TWILIO_API_URL`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import re
import time

import httpx

from bot_simulation.channels import (ChannelError, Outgoing, Reply, Session, http_error,
                                     transport_error)
from bot_simulation.observers import digits

TWIML_MESSAGE = re.compile(r"<Message>(?:<Body>)?(.*?)(?:</Body>)?</Message>", re.DOTALL)


def meta_signature(body: bytes, secret: str) -> str:
    """Return the `X-Hub-Signature-256` header of a raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def twilio_signature(url: str, params: dict[str, str], token: str) -> str:
    """Return `X-Twilio-Signature`: HMAC-SHA1 of the URL and the sorted fields, base64."""
    signed = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
                            ).decode()


class WhatsAppSession(Session):
    channel = "whatsapp"

    async def open(self) -> None:
        if not self.shopper.phone:
            raise ChannelError("no_phone", self.shopper.email)
        settings = self.context.settings
        wanted = self.context.whatsapp_provider
        if wanted == "meta" or (wanted == "auto" and settings.whatsapp_app_secret and
                                (not settings.twilio_auth_token or self.shopper.id % 2)):
            self.provider = "meta"
        else:
            self.provider = "twilio"
        secret = (settings.whatsapp_app_secret if self.provider == "meta"
                  else settings.twilio_auth_token)
        if not secret:
            raise ChannelError("not_configured", f"no secret for {self.provider}")

    async def send(self, message: Outgoing) -> Reply:
        if self.provider is None:
            await self.open()
        if self.provider == "meta":
            return await self._send_meta(message)
        return await self._send_twilio(message)

    async def _send_meta(self, message: Outgoing) -> Reply:
        context, phone = self.context, digits(self.shopper.phone)
        wamid = f"wamid.{context.message_id(message.number)}"
        self.db_key = ("whatsapp", wamid)
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{
            "id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550002222",
                             "phone_number_id": context.settings.whatsapp_phone_number_id},
                "contacts": [{"profile": {"name": self.shopper.full_name}, "wa_id": phone}],
                "messages": [{"from": phone, "id": wamid, "timestamp": str(int(time.time())),
                              "type": "text", "text": {"body": message.text}}]}}]}]},
            ensure_ascii=False).encode()
        future = context.box.expect(phone)
        deadline = time.monotonic() + context.timeout
        try:
            response = await context.http.post(
                f"{context.settings.target}/webhooks/whatsapp/meta", content=body,
                headers={**context.headers, "Content-Type": "application/json",
                         "X-Hub-Signature-256": meta_signature(
                             body, context.settings.whatsapp_app_secret or "")},
                timeout=context.timeout)
        except httpx.HTTPError as exc:
            context.box.forget(phone, future)
            raise transport_error(exc) from exc
        if response.status_code != 200:
            context.box.forget(phone, future)
            raise http_error(response)
        observed = await self._wait(future, phone, deadline=deadline)
        return Reply(text=observed.text, at=observed.at)

    async def _send_twilio(self, message: Outgoing) -> Reply:
        context, settings = self.context, self.context.settings
        phone = digits(self.shopper.phone)
        sid = "SM" + (context.run_id + f"{message.number:024x}")[-32:].rjust(32, "0")
        self.db_key = ("whatsapp", sid)
        form = {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": self.shopper.full_name,
                "MessageType": "text", "SmsSid": sid, "WaId": phone, "SmsStatus": "received",
                "Body": message.text, "To": settings.twilio_number, "NumSegments": "1",
                "ReferralNumMedia": "0", "MessageSid": sid,
                "AccountSid": settings.twilio_account_sid, "From": f"whatsapp:+{phone}",
                "ApiVersion": "2010-04-01"}
        url = f"{settings.webhook_base}/webhooks/whatsapp/twilio"
        future = context.box.expect(phone)  # REST mode: the reply comes to the fake API
        deadline = time.monotonic() + context.timeout
        try:
            response = await context.http.post(
                f"{settings.target}/webhooks/whatsapp/twilio", data=form,
                headers={**context.headers, "X-Twilio-Signature": twilio_signature(
                    url, form, settings.twilio_auth_token or "")},
                timeout=context.timeout)
        except httpx.HTTPError as exc:
            context.box.forget(phone, future)
            raise transport_error(exc) from exc
        at = time.monotonic()
        if response.status_code != 200:
            context.box.forget(phone, future)
            raise http_error(response)
        found = TWIML_MESSAGE.search(response.text)
        if found is not None:
            context.box.forget(phone, future)
            if not future.done():
                future.cancel()
            return Reply(text=html.unescape(found.group(1)).strip(), at=at)
        observed = await self._wait(future, phone, deadline=deadline)
        return Reply(text=observed.text, at=observed.at)
