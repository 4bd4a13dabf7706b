"""The simulator signs and reads as the desk expects: Meta's and Twilio's signatures, the
report's keys (API.md)."""

from __future__ import annotations

from rich.console import Console

from bot_simulation.channels.whatsapp import TWIML_MESSAGE, meta_signature, twilio_signature
from bot_simulation.report import build_report, print_report, write_csv
from bot_simulation.stats import ANSWERED, ERROR, Exchange, percentile


def test_the_twilio_signature_is_the_one_twilio_computes():
    from twilio.request_validator import RequestValidator

    form = {"Body": "Où est ma commande CMD-1 ?", "From": "whatsapp:+351912345678",
            "MessageSid": "SM" + "a" * 32, "WaId": "351912345678"}
    url = "http://127.0.0.1:5000/webhooks/whatsapp/twilio"
    signature = twilio_signature(url, form, "token")
    assert RequestValidator("token").validate(url, form, signature)


def test_the_meta_signature_is_the_one_the_desk_checks():
    from web_app.webhooks.meta_whatsapp import signature_matches

    body = '{"text": "onde está? 🙂"}'.encode()
    assert signature_matches(body, meta_signature(body, "secret"), "secret")


def test_a_twiml_reply_is_read_whole():
    twiml = ('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hi &amp; bye\n'
             "1. A</Message></Response>")
    assert TWIML_MESSAGE.search(twiml).group(1) == "Hi &amp; bye\n1. A"


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == \
        (50.0, 95.0, 99.0)
    assert percentile([], 50) is None


def test_the_report_has_the_keys_api_md_names(tmp_path):
    answered = Exchange(1, "api", "a@x", "fr", "straight", "order_status", 1, "Où ?",
                        status=ANSWERED, latency_ms=120.0, intent="order_status",
                        desk_category="orders", reply_language="fr", handoff=True,
                        ticket="TCK-1", actions=[{"type": "order.cancelled", "order": "C-1"}])
    failed = Exchange(2, "web", "b@x", "en", "annoyed", "payment", 1, "Hi", status=ERROR,
                      error="timeout")
    report = build_report([answered, failed], run={
        "id": "abc", "scenario": "burst", "channel": "mixed", "duration_s": 1.0,
        "target": "http://desk"})
    assert {"sent", "answered", "errors", "latency_ms", "by_channel", "by_category",
            "handoffs", "tickets"} <= set(report)
    assert set(report["latency_ms"]) >= {"p50", "p95", "p99", "max"}
    assert (report["sent"], report["answered"], report["errors"]) == (2, 1, 1)
    assert report["errors_by_kind"] == {"timeout": 1}
    assert report["by_channel"]["web"]["errors_by_kind"] == {"timeout": 1}
    assert (report["handoffs"], report["tickets"]) == (1, 1)
    assert report["actions"] == {"order.cancelled": 1}
    print_report(report, Console(file=open(tmp_path / "out.txt", "w"), width=120))
    write_csv([answered, failed], tmp_path / "r.csv")
    assert len((tmp_path / "r.csv").read_text().splitlines()) == 3


def test_chat_bubbles_are_read_from_the_pushed_fragments():
    from bot_simulation.channels.web import BUBBLE

    fragment = ('<div id="chat-log" hx-swap-oob="beforeend"><div id="msg-12" class="bubble '
                'from-customer" data-id="12"><small class="who">You · <time>12:00</time>'
                '</small>\n  <p>Where &amp; when?</p>\n</div><div class="bubble from-ai" '
                'id="msg-13"><small>Assistant</small><p>Hello Emma</p></div></div>')
    assert BUBBLE.findall(fragment) == [("12", "customer", "Where &amp; when?"),
                                        ("13", "ai", "Hello Emma")]
