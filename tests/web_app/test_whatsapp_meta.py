"""WhatsApp through Meta's Cloud API: signed webhooks acknowledged at once, replies sent through
a local fake of the Graph API, delivery reports applied in any order, strangers invited."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from automation.runtime import jobs
from automation.channels.whatsapp.meta_sender import GraphSender, NullMetaSender
from automation.channels.results import SendError
from automation.conversations.turns import QuickReply
from database.models import Conversation
from tests.fakes.whatsapp_apis import FakeGraphAPI, graph_error
from tests.web_app.whatsapp_setup import (ScriptedAgent, emma, events, fixture,
                                          joao, make_app, messages, use_agent)
from automation.channels.whatsapp import meta as meta_whatsapp

__all__ = ["make_app"]  # the fixture, imported for pytest

PATH = "/webhooks/whatsapp/meta"
SECRET = "meta-app-secret-for-tests"
VERIFY = "verify-me-please"
NUMBER_ID = "106540352242922"
EMMA, JOAO = "+447700900123", "+351912345678"


@pytest.fixture
def graph() -> Iterator[FakeGraphAPI]:
    with FakeGraphAPI() as fake:
        yield fake


def settings(graph: FakeGraphAPI, **more: object) -> dict[str, object]:
    return {"WHATSAPP_APP_SECRET": SECRET, "WHATSAPP_VERIFY_TOKEN": VERIFY,
            "WHATSAPP_ACCESS_TOKEN": "EAAG-test-token", "WHATSAPP_PHONE_NUMBER_ID": NUMBER_ID,
            "WHATSAPP_GRAPH_URL": graph.url + "/v24.0", **more}


@pytest.fixture
def app(make_app, graph):
    return make_app(**settings(graph))


@pytest.fixture
def client(app):
    return app.test_client()


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, payload: Any, *, raw: bytes | None = None, signature: str | None = None):
    """POST a payload signed over its exact bytes, as Meta does."""
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    return client.post(PATH, data=body, content_type="application/json",
                       headers={"X-Hub-Signature-256": signature or sign(body)})


def text(phone: str, body: str, wamid: str = "wamid.IN0001") -> dict[str, Any]:
    """Return the text webhook fixture, sent from `phone`."""
    payload = fixture("meta_text.json")
    value = payload["entry"][0]["changes"][0]["value"]
    digits = phone.lstrip("+")
    value["contacts"][0]["wa_id"] = value["messages"][0]["from"] = digits
    value["messages"][0].update(id=wamid, text={"body": body})
    if phone != EMMA:  # the fixture's user id is Emma's
        value["contacts"][0]["user_id"] = value["messages"][0]["from_user_id"] = "US.77" + digits
    return payload


def status(wamid: str, state: str, at: int = 1767225605) -> dict[str, Any]:
    payload = fixture("meta_status.json")
    report = payload["entry"][0]["changes"][0]["value"]["statuses"][0]
    report.update(id=wamid, status=state, timestamp=str(at))
    return payload


# --- verification and signatures -------------------------------------------------------------

def test_verification_echoes_the_challenge(client):
    response = client.get(f"{PATH}?hub.mode=subscribe&hub.challenge=1158201444"
                          f"&hub.verify_token={VERIFY}")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.data == b"1158201444"


@pytest.mark.parametrize("query", [
    "hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope",
    f"hub.mode=unsubscribe&hub.challenge=1&hub.verify_token={VERIFY}",
    "hub.challenge=1"])
def test_verification_with_wrong_token_or_mode_is_refused(client, query):
    response = client.get(f"{PATH}?{query}")
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"


def test_without_secrets_the_channel_is_not_configured(make_app):
    client = make_app().test_client()
    for response in (client.get(f"{PATH}?hub.mode=subscribe&hub.verify_token=x"),
                     post(client, fixture("meta_text.json"))):
        assert response.status_code == 503
        assert response.json["error"]["code"] == "not_configured"


@pytest.mark.parametrize("tamper", ["missing", "wrong_secret", "body_changed", "sha1", "junk"])
def test_bad_or_missing_signature_is_refused_and_nothing_stored(client, graph, tamper):
    emma()
    body = json.dumps(fixture("meta_text.json")).encode()
    headers = {"X-Hub-Signature-256": {
        "missing": "", "wrong_secret": sign(body, "other-secret"), "sha1": "sha1=" + "0" * 40,
        "body_changed": sign(body.replace(b"where", b"WHERE")), "junk": "sha256=zz\u00e9"}[tamper]}
    response = client.post(PATH, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "invalid_signature"
    assert messages() == [] and events() == [] and graph.requests == []


def test_signature_is_over_the_raw_bytes_not_reserialised_json(client, graph):
    emma()
    # Escaped unicode and odd spacing: re-serialising would change the bytes Meta signed.
    raw = json.dumps(text(EMMA, "caf\u00e9 \U0001f600 where is CMD-10102?"),
                     ensure_ascii=True, indent=3).encode()
    assert post(client, None, raw=raw).status_code == 200
    assert messages("in")[0].body == "café 😀 where is CMD-10102?"


def test_broken_json_is_a_validation_error(client):
    response = post(client, None, raw=b"{not json")
    assert response.status_code == 400 and response.json["error"]["code"] == "validation_error"


def test_body_over_64_kib_is_refused_with_413(client):
    emma()
    response = post(client, text(EMMA, "x" * (65 * 1024)))
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    assert messages() == []


# --- answers through the Graph API ------------------------------------------------------------

def test_known_shopper_gets_personal_answer_through_the_graph_api(client, graph):
    shopper = joao()
    response = post(client, text(shopper.phone, f"onde está a minha encomenda {shopper.order}"))
    assert response.status_code == 200
    [sent] = graph.requests
    assert sent.path == f"/v24.0/{NUMBER_ID}/messages"
    assert sent.headers["authorization"] == "Bearer EAAG-test-token"
    assert sent.body["type"] == "text" and sent.body["to"] == shopper.phone.lstrip("+")
    assert shopper.first_name in sent.body["text"]["body"]
    assert shopper.carrier in sent.body["text"]["body"]
    inbound, outbound = messages()
    assert outbound.body == sent.body["text"]["body"]
    assert outbound.channel_message_id.startswith("wamid.OUT")
    assert outbound.delivery_status == "accepted"
    assert inbound.meta["whatsapp"]["provider"] == "meta"


def test_same_wamid_three_times_gets_one_reply(client, graph):
    emma()
    for _ in range(3):
        assert post(client, text(EMMA, "where is my order CMD-10102?")).status_code == 200
    assert len(graph.sent) == 1
    assert [m.direction for m in messages()] == ["in", "out"]


def test_every_entry_and_change_is_read(client, graph):
    emma(), joao()
    payload = text(EMMA, "hello", wamid="wamid.A")
    second = text(JOAO, "olá", wamid="wamid.B")
    payload["entry"].append(second["entry"][0])
    assert post(client, payload).json == {"messages": 2, "statuses": 0, "rejected": 0}
    assert sorted(s["to"] for s in graph.sent) == ["351912345678", "447700900123"]


def test_quick_replies_become_reply_buttons_of_at_most_20_characters(app, client, graph):
    emma()
    use_agent(app, ScriptedAgent("Shall I pass you to a colleague?", [
        ("Yes, talk to a person right now", "I want to talk to a person"),
        ("No thanks", "no")]))
    post(client, text(EMMA, "help"))
    [sent] = graph.sent
    assert sent["type"] == "interactive" and sent["interactive"]["type"] == "button"
    assert sent["interactive"]["body"]["text"] == "Shall I pass you to a colleague?"
    buttons = [b["reply"] for b in sent["interactive"]["action"]["buttons"]]
    assert [b["title"] for b in buttons] == ["Yes, talk to a pers…", "No thanks"]
    assert all(len(b["title"]) <= 20 for b in buttons)
    assert [b["id"] for b in buttons] == ["qr:I want to talk to a person", "qr:no"]


@pytest.mark.parametrize("choices, kind", [
    ([("One", "1"), ("Two", "2"), ("Three", "3"), ("Four", "4")], "text"),  # more than 3
    ([("Same long title here A", "a"), ("Same long title here B", "b")], "text"),  # clash
    ([("Long value", "v" * 300)], "text"),  # the id would pass 256 characters
    ([("Yes", "yes"), ("No", "no"), ("Later", "later")], "interactive")])
def test_buttons_only_when_whatsapp_rules_allow(choices, kind):
    payload = meta_whatsapp.format("Choose:", to="15550001111",
                                   choices=[QuickReply(label, value) for label, value in choices])
    assert payload["type"] == kind
    if kind == "text":
        assert payload["text"]["body"].startswith("Choose:\n\n• ")


@pytest.mark.parametrize("name, said", [
    ("meta_button_reply.json", "I want to talk to a person"),
    ("meta_list_reply.json", "CMD-10102"),
    ("meta_template_button.json", "Track my order")])
def test_a_tapped_button_comes_back_as_the_shoppers_choice(client, name, said):
    emma()
    assert post(client, fixture(name)).status_code == 200
    inbound = messages("in")[0]
    assert inbound.body == said and inbound.meta["context"]["from"] == "15550002222"


def test_picture_with_caption_keeps_it_and_gets_the_engine_answer(client, graph):
    emma()
    payload = fixture("meta_image.json")
    image = payload["entry"][0]["changes"][0]["value"]["messages"][0]["image"]
    image["caption"] = "my parcel CMD-10102 arrived like this"
    post(client, payload)
    [sent] = graph.sent
    assert sent["text"]["body"].startswith("Thank you Emma, we have received your picture.\n\n")
    inbound = messages("in")[0]
    assert inbound.body == image["caption"] == inbound.meta["media"][0]["caption"]


def test_picture_is_stored_and_answered_politely(client, graph):
    emma()
    post(client, fixture("meta_image.json"))
    [sent] = graph.sent
    assert sent["text"]["body"].startswith("Thank you Emma, we have received your picture.")
    assert "person from our team" in sent["text"]["body"]
    media = messages("in")[0].meta["media"]
    assert media == [{"kind": "image", "id": "1003383421387256", "content_type": "image/jpeg",
                      "sha256": "HgxbOh4ZxxQIfVmrgmRt6Pfrz6VXvhvIeUP0Yb8lHXw="}]


def test_shopper_known_by_user_id_once_the_number_is_hidden(client, graph):
    emma()
    post(client, text(EMMA, "hello"))  # by phone: the user id is remembered
    post(client, fixture("meta_username_only.json"))  # no phone any more
    assert [s["to"] for s in graph.sent] == ["447700900123", "US.1000000000000001"]
    assert len(messages("in")) == 2


@pytest.mark.parametrize("phone, greeting", [("+351935550123", "Olá!"),
                                             ("+33655501234", "Bonjour !"),
                                             ("+447700900999", "Hello!")])
def test_unknown_number_is_invited_once_and_nothing_is_stored(client, graph, phone, greeting):
    emma()
    payload = text(phone, "where is my order CMD-10102?")
    for _ in range(2):
        assert post(client, payload).status_code == 200
    [sent] = graph.sent
    assert sent["to"] == phone.lstrip("+") and sent["text"]["body"].startswith(greeting)
    assert "Emma" not in sent["text"]["body"] and "CMD-10102" not in sent["text"]["body"]
    assert messages() == [] and Conversation.query.count() == 0
    assert len(events("message.unregistered")) == 1


# --- delivery reports ------------------------------------------------------------------------

def _reply_wamid(client) -> str:
    emma()
    post(client, text(EMMA, "hello"))
    return messages("out")[0].channel_message_id


def test_statuses_move_the_reply_forward_never_back(client):
    wamid = _reply_wamid(client)
    for state, at in (("read", 30), ("sent", 10), ("delivered", 20), ("read", 30)):
        assert post(client, status(wamid, state, 1767225600 + at)).status_code == 200
        assert messages("out")[0].delivery_status == "read"
    reports = [e.payload.get("reported") for e in events("message.delivery")]
    assert reports == [None, "read", "sent", "delivered"]  # the repeated "read" is ignored
    assert set(messages("out")[0].meta["statuses"]) == {"sent", "delivered", "read"}


def test_statuses_in_order_end_read(client):
    wamid = _reply_wamid(client)
    seen = []
    for state in ("sent", "delivered", "read"):
        post(client, status(wamid, state))
        seen.append(messages("out")[0].delivery_status)
    assert seen == ["sent", "delivered", "read"]


def test_failed_status_is_recorded_with_its_error(client):
    wamid = _reply_wamid(client)
    payload = fixture("meta_status_failed.json")
    payload["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] = wamid
    post(client, payload)
    assert messages("out")[0].delivery_status == "failed"
    failed = events("message.delivery")[-1]
    assert failed.level == "error" and failed.payload["errors"][0]["code"] == 131047


def test_status_about_an_unknown_message_is_harmless(client):
    assert post(client, status("wamid.NOT-OURS", "delivered")).status_code == 200
    assert events() == []


# --- speed, limits and the sender ------------------------------------------------------------

def test_acknowledgement_is_fast_and_the_answer_follows_from_the_queue(make_app, graph,
                                                                       tmp_path):
    app = make_app(**settings(graph), JOBS_IMMEDIATE=False,
                   JOBS_DB_PATH=str(tmp_path / "jobs.db"))
    client = app.test_client()
    emma()
    post(client, text(EMMA, "hello", wamid="wamid.WARM"))  # first-request costs
    timings = []
    for n in range(7):
        started = time.perf_counter()
        response = post(client, text(EMMA, f"hello {n}", wamid=f"wamid.FAST{n}"))
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    assert graph.sent == [] and len(messages("in")) == 8  # stored, not answered yet
    median = sorted(timings)[len(timings) // 2]
    assert median < 0.1, f"acknowledgement took {median * 1000:.0f} ms"
    while (task := jobs.queue.dequeue()) is not None:
        jobs.queue.execute(task)
    assert len(graph.sent) == 8 and len(messages("out")) == 8


def test_over_the_rate_limit_is_acknowledged_but_not_answered(make_app, graph):
    client = make_app(**settings(graph), RATELIMIT_ENABLED=True,
                      WHATSAPP_RATE_LIMIT="2/minute").test_client()
    emma()
    payload = text(EMMA, "hello", wamid="wamid.R0")
    value = payload["entry"][0]["changes"][0]["value"]
    for n in (1, 2):
        extra = copy.deepcopy(value["messages"][0])
        extra["id"] = f"wamid.R{n}"
        value["messages"].append(extra)
    assert post(client, payload).status_code == 200
    assert len(messages("in")) == 2 and len(graph.sent) == 2
    [limited] = events("message.rate_limited")
    assert limited.payload["external_id"] == "wamid.R2"
    assert "447700900123" not in str(limited.payload)


def test_sender_retries_server_errors_and_rate_limits(graph):
    sender = GraphSender(graph_url=graph.url, phone_number_id="1", access_token="t", backoff=0)
    graph.answer(graph_error(500, 1, "Unknown"), graph_error(429, 130429, "Throughput"))
    assert sender.send({"to": "1"}).provider_id.startswith("wamid.")
    assert len(graph.requests) == 3
    graph.reset()
    graph.answer(*[graph_error(503, 2, "Unavailable")] * 3)
    with pytest.raises(SendError, match="503"):
        sender.send({"to": "1"})
    assert len(graph.requests) == 3


def test_sender_does_not_retry_a_refusal(graph):
    sender = GraphSender(graph_url=graph.url, phone_number_id="1", access_token="t", backoff=0)
    graph.answer(graph_error(400, 131047, "Re-engagement message"))
    with pytest.raises(SendError) as refused:
        sender.send({"to": "1"})
    assert refused.value.code == 131047 and len(graph.requests) == 1


def test_refused_reply_is_marked_failed(client, graph):
    graph.answer(graph_error(400, 131047, "Re-engagement message"))
    emma()
    post(client, text(EMMA, "hello"))
    assert messages("out")[0].delivery_status == "failed"


def test_without_access_token_replies_are_not_sent_but_kept(make_app, graph):
    client = make_app(**settings(graph, WHATSAPP_ACCESS_TOKEN=None)).test_client()
    emma()
    post(client, text(EMMA, "hello"))
    assert graph.requests == [] and messages("out")[0].delivery_status == "not_sent"
    assert NullMetaSender().send({}).status == "not_sent"
