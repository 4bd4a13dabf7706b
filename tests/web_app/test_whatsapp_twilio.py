"""WhatsApp through Twilio: signed webhooks in, TwiML (or a REST message) out, once each."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from twilio.request_validator import RequestValidator

from automation.channels.results import SendError
from automation.channels.whatsapp.twilio_sender import RestTwilioSender
from automation.conversations.turns import QuickReply
from database.models import Conversation, Customer
from tests.fakes.whatsapp_apis import FakeTwilioAPI, twilio_error
from tests.web_app.whatsapp_setup import (ScriptedAgent, demo_shopper, events, fixture, joao,
                                          make_app, messages, use_agent)
from automation.channels.whatsapp import twilio as twilio_whatsapp
from web_app.webhooks.twilio_whatsapp import reply_mode

__all__ = ["make_app"]  # the fixture, imported for pytest

TOKEN = "twilio-auth-token-for-tests"
SID = "AC" + "a" * 32
PATH = "/webhooks/whatsapp/twilio"
LOCAL_URL = "http://localhost" + PATH


@pytest.fixture
def twilio_api() -> Iterator[FakeTwilioAPI]:
    with FakeTwilioAPI() as fake:
        yield fake


@pytest.fixture
def client(make_app):
    return make_app(TWILIO_AUTH_TOKEN=TOKEN).test_client()


def post(client, fields: dict[str, str], *, url: str = LOCAL_URL, token: str = TOKEN,
         path: str = PATH, headers: dict[str, str] | None = None):
    """POST form fields signed as Twilio signs them (the real RequestValidator)."""
    signature = RequestValidator(token).compute_signature(url, fields)
    return client.post(path, data=fields,
                       headers={"X-Twilio-Signature": signature, **(headers or {})})


def text_from(shopper, body: str, sid: str = "SM" + "1" * 32) -> dict[str, str]:
    fields = fixture("twilio_text.json")
    fields.update(Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid,
                  From=f"whatsapp:{shopper.phone}", WaId=shopper.phone.lstrip("+"))
    return fields


def twiml_text(response) -> str | None:
    """Return the text of the TwiML answer's message (None for an empty answer)."""
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "Response"
    message = root.find("Message")
    return None if message is None else message.text


def test_known_shopper_gets_personal_answer_in_twiml(client):
    shopper = demo_shopper()
    response = post(client, text_from(shopper, f"onde está a minha encomenda {shopper.order}"))
    reply = twiml_text(response)
    assert shopper.first_name in reply and shopper.carrier in reply
    inbound, outbound = messages()
    assert (inbound.channel, inbound.direction, outbound.direction) == ("whatsapp", "in", "out")
    assert inbound.channel_message_id == "SM" + "1" * 32 and outbound.body == reply
    assert inbound.meta["whatsapp"]["provider"] == "twilio"
    assert inbound.meta["whatsapp"]["profile_name"] == "João Silva"


@pytest.mark.parametrize("tamper", ["missing", "wrong_token", "changed_field", "added_field",
                                    "other_url"])
def test_bad_or_missing_signature_is_refused_and_nothing_stored(client, tamper):
    shopper = joao()
    fields = text_from(shopper, "olá")
    signature = RequestValidator(TOKEN).compute_signature(LOCAL_URL, fields)
    headers = {"X-Twilio-Signature": signature}
    if tamper == "missing":
        headers = {}
    elif tamper == "wrong_token":
        headers["X-Twilio-Signature"] = RequestValidator("other").compute_signature(
            LOCAL_URL, fields)
    elif tamper == "changed_field":
        fields["Body"] = "cancel everything"
    elif tamper == "added_field":
        fields["Injected"] = "1"
    else:
        headers["X-Twilio-Signature"] = RequestValidator(TOKEN).compute_signature(
            "https://evil.example" + PATH, fields)
    response = client.post(PATH, data=fields, headers=headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "invalid_signature"
    assert messages() == [] and events() == []


def test_every_posted_field_is_signed_including_new_ones(client):
    fields = text_from(joao(), "olá")
    fields["FieldTwilioAddedToday"] = "surprise"
    assert twiml_text(post(client, fields))


def test_without_auth_token_the_channel_is_not_configured(make_app):
    response = make_app().test_client().post(PATH, data={"Body": "hi"})
    assert response.status_code == 503
    assert response.json["error"]["code"] == "not_configured"
    assert "TWILIO_AUTH_TOKEN" in response.json["error"]["message"]


def test_public_base_url_is_the_url_that_is_checked(make_app):
    app = make_app(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL="https://help.example.com/")
    client, shopper = app.test_client(), joao()
    public = "https://help.example.com" + PATH + "?shop=1"
    assert twiml_text(post(client, text_from(shopper, "olá"), url=public, path=PATH + "?shop=1"))
    other = text_from(shopper, "olá", sid="SM" + "2" * 32)
    assert post(client, other, url=LOCAL_URL).status_code == 403


@pytest.mark.parametrize("trusted", [True, False])
def test_forwarded_headers_count_only_behind_a_trusted_proxy(make_app, trusted):
    client = make_app(TWILIO_AUTH_TOKEN=TOKEN, TRUST_PROXY_HEADERS=trusted).test_client()
    response = post(client, text_from(joao(), "olá"), url="https://desk.example.org" + PATH,
                    headers={"X-Forwarded-Proto": "https",
                             "X-Forwarded-Host": "desk.example.org"})
    assert response.status_code == (200 if trusted else 403)


def test_reply_with_xml_special_characters_stays_valid_twiml(make_app):
    app = make_app(TWILIO_AUTH_TOKEN=TOKEN)
    tricky = 'Order <CMD-1> & "gifts" ]]> <![CDATA[x]]> done'
    use_agent(app, ScriptedAgent(tricky))
    reply = twiml_text(post(app.test_client(), text_from(joao(), "olá")))
    assert reply == tricky


def test_format_writes_quick_replies_out_as_text():
    root = ET.fromstring(twilio_whatsapp.format(
        "Cancel it?", [QuickReply("Yes", "sim"), QuickReply("No", "não")]))
    assert root.find("Message").text == "Cancel it?\n\n• Yes\n• No"
    assert ET.fromstring(twilio_whatsapp.format(None)).find("Message") is None
    # Characters XML 1.0 cannot carry at all are dropped rather than breaking the document.
    assert ET.fromstring(twilio_whatsapp.format("a\x00b\x1bc")).find("Message").text == "abc"


def test_same_message_sid_three_times_gets_one_reply(client):
    fields = text_from(joao(), "olá")
    answers = [twiml_text(post(client, fields)) for _ in range(3)]
    assert answers[0] and answers[1:] == [None, None]
    assert [m.direction for m in messages()] == ["in", "out"]


def test_picture_without_caption_gets_polite_acknowledgement(client):
    joao()
    reply = twiml_text(post(client, fixture("twilio_image.json")))
    assert "recebemos a sua fotografia" in reply and "João" in reply
    inbound, outbound = messages()
    assert inbound.meta["media"] == [{
        "url": fixture("twilio_image.json")["MediaUrl0"], "content_type": "image/jpeg"}]
    assert outbound.body == reply and outbound.meta["agent"] == "acknowledgement"
    assert twiml_text(post(client, fixture("twilio_image.json"))) is None


def test_picture_with_caption_is_acknowledged_and_answered(client):
    shopper = joao()
    fields = fixture("twilio_image.json")
    fields["Body"] = f"a caixa de {shopper.order} chegou assim"
    reply = twiml_text(post(client, fields))
    assert reply.startswith("Obrigado João, recebemos a sua fotografia.")
    stored = messages("out")[0].body
    # The TwiML text is the stored reply, then its quick replies as "• …" lines, if any.
    assert len(stored) > 60 and reply.startswith(stored)
    assert all(line.startswith("• ") for line in reply[len(stored):].split("\n") if line)


def test_button_payload_comes_back_as_the_shoppers_choice(client):
    joao()
    assert twiml_text(post(client, fixture("twilio_button.json")))
    inbound = messages("in")[0]
    assert inbound.body == "quero falar com uma pessoa"
    assert inbound.meta["context"] == {"id": "SM9923456789abcdef0123456789abcdef"}


def test_unknown_number_is_invited_to_register_and_nothing_is_stored(make_app):
    app = make_app(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL="https://shop.example")
    client, public = app.test_client(), "https://shop.example" + PATH
    joao()
    fields = fixture("twilio_text.json")
    fields.update(From="whatsapp:+351935550123", WaId="351935550123")
    reply = twiml_text(post(client, fields, url=public))
    assert "https://shop.example/register" in reply and "Olá" in reply
    assert "João" not in reply and "CMD-10203" not in reply
    assert messages() == [] and Conversation.query.count() == 0
    assert [e.payload["external_id"] for e in events("message.unregistered")] == [
        fields["MessageSid"]]
    assert "+351935550123" not in str(events()[0].payload)
    assert twiml_text(post(client, fields, url=public)) is None  # retried: invited once


def test_rest_mode_acknowledges_at_once_and_sends_one_reply(make_app, twilio_api):
    app = make_app(TWILIO_AUTH_TOKEN=TOKEN, TWILIO_ACCOUNT_SID=SID, TWILIO_REPLY_MODE="rest",
                   TWILIO_API_URL=twilio_api.url, TWILIO_WHATSAPP_NUMBER="whatsapp:+14155238886")
    shopper = joao()
    fields = text_from(shopper, f"onde está a minha encomenda {shopper.order}")
    for _ in range(3):
        assert twiml_text(post(app.test_client(), fields)) is None
    [sent] = twilio_api.sent
    assert sent["From"] == "whatsapp:+14155238886" and sent["To"] == "whatsapp:+351912345678"
    assert "João" in sent["Body"] and shopper.carrier in sent["Body"]
    assert twilio_api.requests[0].path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert twilio_api.basic_auth() == (SID, TOKEN)
    outbound = messages("out")
    assert len(outbound) == 1 and outbound[0].body == sent["Body"]
    assert outbound[0].channel_message_id.startswith("SM")
    assert outbound[0].delivery_status == "queued"


def test_status_callbacks_move_the_rest_reply_forward_never_back(make_app, twilio_api):
    public = "https://help.example.com"
    app = make_app(TWILIO_AUTH_TOKEN=TOKEN, TWILIO_ACCOUNT_SID=SID, TWILIO_REPLY_MODE="rest",
                   TWILIO_API_URL=twilio_api.url, PUBLIC_BASE_URL=public)
    client = app.test_client()
    post(client, text_from(joao(), "olá"), url=public + PATH)
    assert twilio_api.sent[0]["StatusCallback"] == public + PATH
    sid = messages("out")[0].channel_message_id
    for state in ("delivered", "sent", "read", "delivered"):
        callback = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": state, "SmsStatus": state,
                    "AccountSid": SID, "From": "whatsapp:+14155238886",
                    "To": "whatsapp:+351912345678", "ApiVersion": "2010-04-01"}
        assert twiml_text(post(client, callback, url=public + PATH)) is None
    assert messages("out")[0].delivery_status == "read"
    assert [e.payload.get("reported") for e in events("message.delivery")] == [
        None, "delivered", "sent", "read"]
    assert len(messages()) == 2 and events("message.unregistered") == []


def test_unreachable_twilio_is_a_send_error():
    sender = RestTwilioSender(account_sid=SID, auth_token=TOKEN, api_url="http://127.0.0.1:9",
                              retries=0)
    with pytest.raises(SendError, match="unreachable"):
        sender.send(to="whatsapp:+351912345678", from_="whatsapp:+14155238886", body="olá")


def test_rest_mode_refused_send_marks_the_reply_failed(make_app, twilio_api):
    twilio_api.answer(twilio_error(400, 63016, "Outside the allowed window"))
    app = make_app(TWILIO_AUTH_TOKEN=TOKEN, TWILIO_ACCOUNT_SID=SID, TWILIO_REPLY_MODE="rest",
                   TWILIO_API_URL=twilio_api.url)
    assert twiml_text(post(app.test_client(), text_from(joao(), "olá"))) is None
    [outbound] = messages("out")
    assert outbound.delivery_status == "failed" and outbound.channel_message_id is None
    [delivery] = events("message.delivery")
    assert delivery.level == "error" and "Outside the allowed window" in delivery.payload["error"]
    assert twilio_api.sent[0]["From"] == "whatsapp:+14155238886"  # the number written to


def test_rest_mode_without_account_marks_the_reply_not_sent(make_app):
    app = make_app(TWILIO_AUTH_TOKEN=TOKEN, TWILIO_REPLY_MODE="rest")
    assert twiml_text(post(app.test_client(), text_from(joao(), "olá"))) is None
    [outbound] = messages("out")
    assert outbound.delivery_status == "not_sent" and outbound.channel_message_id is None
    [delivery] = events("message.delivery")
    assert delivery.level == "warning" and delivery.payload["status"] == "not_sent"


@pytest.mark.parametrize("config, mode", [
    ({}, "twiml"), ({"ANTHROPIC_API_KEY": "sk-ant-x"}, "rest"),
    ({"TWILIO_REPLY_MODE": "rest"}, "rest"),
    ({"TWILIO_REPLY_MODE": "twiml", "ANTHROPIC_API_KEY": "sk-ant-x"}, "twiml")])
def test_reply_mode_is_rest_when_answers_may_be_slow(make_app, config: dict[str, Any], mode):
    app = make_app()
    app.config.update(config)
    with app.test_request_context():
        assert reply_mode() == mode


def test_over_the_rate_limit_is_acknowledged_but_not_answered(make_app):
    client = make_app(TWILIO_AUTH_TOKEN=TOKEN, RATELIMIT_ENABLED=True,
                      WHATSAPP_RATE_LIMIT="2/minute").test_client()
    shopper = joao()
    answers = [twiml_text(post(client, text_from(shopper, "olá", sid=f"SM{n:032d}")))
               for n in range(3)]
    assert answers[0] and answers[1] and answers[2] is None
    assert len(messages("in")) == 2
    [limited] = events("message.rate_limited")
    assert limited.payload["external_id"] == f"SM{2:032d}"
    assert shopper.phone not in str(limited.payload)
    assert Customer.query.count() == 1
