"""The dashboard's figures over a range: every count, rate and percentile, from the rows and
from the hourly counters alike, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from automation.monitoring.rollup import roll_up
from database import db, events
from database.metrics import range_figures
from database.metrics.tally import percentile, rounded_ms
from database.models import Conversation, Event, Message, MetricDay, MetricHour
from tests import factories

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def _conversation(shopper, channel="web", **fields) -> Conversation:
    conversation = Conversation(customer_id=shopper.id, channel=channel, status="closed",
                                **fields)
    db.session.add(conversation)
    db.session.flush()
    return conversation


def _turn(conversation, *, at, intent="order_status", latency_ms=100, resolution="answered",
          meta=None) -> Message:
    """A shopper's message and the AI's reply `latency_ms` later."""
    common = {"conversation_id": conversation.id, "customer_id": conversation.customer_id,
              "channel": conversation.channel, "intent": intent}
    asked = Message(direction="in", sender="customer", body="?", created_at=at, **common)
    db.session.add(asked)
    db.session.flush()
    reply = Message(direction="out", sender="ai", body="!", latency_ms=latency_ms,
                    reply_to_id=asked.id, created_at=at + timedelta(milliseconds=latency_ms),
                    meta={"resolution": resolution, "agent": "local", **(meta or {})},
                    **common)
    db.session.add(reply)
    return reply


def _event(kind, *, at, **payload) -> None:
    db.session.add(Event(kind=kind, payload=payload, created_at=at))


def test_response_times_are_nearest_rank_percentiles(app):
    conversation = _conversation(factories.customer())
    for i in range(1, 21):  # 10, 20, … 200 ms
        _turn(conversation, at=NOW - timedelta(minutes=i), latency_ms=10 * i)
    for seconds in range(1, 11):  # staff first replies of 1 … 10 s
        _event(events.MESSAGE_SENT, at=NOW - timedelta(minutes=seconds), first_reply=True,
               first_reply_s=seconds)
    _event(events.MESSAGE_SENT, at=NOW - timedelta(minutes=2))  # a later reply: not a first
    db.session.commit()
    times = range_figures(NOW - timedelta(hours=1), NOW, now=NOW)["response_time_ms"]
    assert times["ai"] == {"avg": 105.0, "p50": 100, "p95": 190}
    assert times["staff"] == {"avg": 5500.0, "p50": 5000, "p95": 10000}


def test_nothing_in_range_gives_zeros_and_no_averages(app):
    figures = range_figures(NOW - timedelta(hours=24), NOW, now=NOW)
    assert figures["messages"]["inbound"] == 0 and figures["messages"]["peak"] is None
    assert len(figures["messages"]["per_hour"]) == 25  # the hours begun in the range
    assert figures["response_time_ms"]["ai"] == {"avg": None, "p50": None, "p95": None}
    assert figures["resolution"]["rate"] is None and figures["csat"]["avg"] is None
    assert figures["channels"]["web"] == {"inbound": 0, "outbound": 0}


@pytest.mark.parametrize("value, rounded", [(0, 0), (99, 99), (100, 100), (1234, 1200),
                                            (1299, 1200), (98765, 98000)])
def test_times_are_rounded_down_to_two_significant_digits(value, rounded):
    assert rounded_ms(value) == rounded


def test_percentile_by_nearest_rank():
    assert percentile({}, 50) is None
    assert percentile({100: 1, 200: 1, 300: 1, 400: 1}, 50) == 200
    assert percentile({100: 1, 200: 1, 300: 1, 400: 1}, 95) == 400
    assert percentile({5: 99, 900: 1}, 95) == 5


def test_messages_by_hour_channel_and_topic_within_the_range(app):
    shopper = factories.customer()
    web, whatsapp = _conversation(shopper), _conversation(shopper, "whatsapp")
    for minutes in (5, 10, 15):
        _turn(web, at=NOW - timedelta(minutes=minutes))
    _turn(whatsapp, at=NOW - timedelta(hours=2, minutes=10), intent="return_refund")
    _turn(whatsapp, at=NOW - timedelta(hours=25), intent="return_refund")  # out of range
    db.session.add(Message(conversation_id=web.id, customer_id=shopper.id, channel="web",
                           direction="out", sender="agent", body="note", private=True,
                           created_at=NOW - timedelta(minutes=3)))  # staff only: not counted
    db.session.commit()
    figures = range_figures(NOW - timedelta(hours=24), NOW, now=NOW)
    messages = figures["messages"]
    assert (messages["inbound"], messages["outbound"]) == (4, 4)
    assert figures["channels"]["web"] == {"inbound": 3, "outbound": 3}
    assert figures["channels"]["whatsapp"] == {"inbound": 1, "outbound": 1}
    assert figures["categories"] == {"order_status": {"count": 3, "percent": 75.0},
                                     "return_refund": {"count": 1, "percent": 25.0}}
    by_hour = {h["hour"]: (h["inbound"], h["outbound"]) for h in messages["per_hour"]}
    assert len(by_hour) == 25  # 14:30 yesterday … 15:30 today: 25 hours begun
    assert by_hour["2026-11-20T15:00:00+00:00"] == (3, 3)
    assert by_hour["2026-11-20T13:00:00+00:00"] == (1, 1)
    assert messages["peak"] == {"hour": "2026-11-20T15:00:00+00:00", "total": 6}
    assert messages["avg_per_hour"] == round(8 / 25, 1)
    last_hour = range_figures(NOW - timedelta(hours=1), NOW, now=NOW)
    assert last_hour["messages"]["inbound"] == 3 and last_hour["channels"]["whatsapp"] == {
        "inbound": 0, "outbound": 0}


def test_resolution_confirmed_is_kept_apart_from_assumed(app):
    alice, bruno, chloe, dora = (factories.customer() for _ in range(4))
    # Answered four days ago and never came back: confirmed by silence.
    _turn(_conversation(alice), at=NOW - timedelta(days=4))
    # Answered two hours ago: assumed while the 72 hours run.
    _turn(_conversation(bruno), at=NOW - timedelta(hours=2), intent="delivery_info")
    # Answered, and the next message thanks: confirmed at once.
    thanked = _conversation(chloe)
    _turn(thanked, at=NOW - timedelta(hours=3), intent="invoice")
    _turn(thanked, at=NOW - timedelta(hours=3) + timedelta(minutes=1), intent="thanks")
    # Answered, but back on the same topic the next day: not resolved.
    _turn(_conversation(dora), at=NOW - timedelta(days=5), intent="return_refund")
    _turn(_conversation(dora, "email"), at=NOW - timedelta(days=4), intent="return_refund")
    # Rated 5 and rated 1; a handoff; a greeting (nothing to solve).
    _turn(_conversation(alice, "email", rating=5), at=NOW - timedelta(hours=5), intent="payment")
    _turn(_conversation(bruno, "email", rating=1), at=NOW - timedelta(hours=5), intent="account")
    _turn(_conversation(chloe, "email"), at=NOW - timedelta(hours=6), intent="human_agent",
          resolution="handed_off")
    _turn(_conversation(dora, "whatsapp"), at=NOW - timedelta(hours=1), intent="greeting")
    # Asking a question back settles nothing yet.
    _turn(_conversation(alice, "whatsapp"), at=NOW - timedelta(hours=1), resolution="asked")
    db.session.commit()
    resolution = range_figures(NOW - timedelta(days=30), NOW, now=NOW)["resolution"]
    # confirmed: alice (silence), chloe (thanks), alice (rated 5), dora's second answer (silence)
    assert resolution == {"confirmed": 4, "assumed": 1, "unresolved": 3, "settled": 8,
                          "rate": 0.625, "confirmed_rate": 0.5}


def test_handoffs_errors_csat_llm_and_flags(app):
    shopper = factories.customer()
    conversation = _conversation(shopper)
    at = NOW - timedelta(minutes=30)
    for channel in ("web", "web", "whatsapp", "email"):
        _event(events.CONVERSATION_STARTED, at=at, channel=channel)
    _event(events.HANDOFF_REQUESTED, at=at, priority="normal", priority_reasons=[],
           summary={"reason": "shopper asked for a person", "intent": "human_agent"})
    _event(events.HANDOFF_REQUESTED, at=at, priority="urgent", priority_reasons=["complaint"],
           summary={"reason": "complaint (urgent)", "intent": "complaint"})
    _event(events.AGENT_ERROR, at=at, agent="claude", reason="overloaded")
    _event(events.MESSAGE_DELIVERY, at=at, status="failed")
    _event(events.MESSAGE_DELIVERY, at=at, status="undelivered")
    _event(events.MESSAGE_DELIVERY, at=at, status="delivered")
    _event(events.MESSAGE_DELIVERY, at=at)  # no status: not a failure either
    for rating in (5, 4, 2):
        _event(events.CSAT_SUBMITTED, at=at, rating=rating, channel="web")
    _event("exchange.flagged", at=at, message_id=1, note="wrong order")
    usage = {"model": "claude-sonnet-4-5", "input_tokens": 1000, "output_tokens": 200,
             "cache_read_input_tokens": 300, "cost_usd": 0.00609}
    _turn(conversation, at=at, meta={"agent": "claude", "usage": usage})
    _turn(conversation, at=at, meta={"agent": "local", "fallback": True})
    _turn(conversation, at=at, meta={"agent": "local",
                                     "usage": {**usage, "fallback_reason": "timeout"}})
    _turn(conversation, at=at)
    db.session.commit()
    figures = range_figures(NOW - timedelta(hours=1), NOW, now=NOW)
    assert figures["handoffs"] == {"count": 2, "conversations": 4, "rate": 0.5,
                                   "reasons": {"asked_for_person": 1, "complaint": 1}}
    assert figures["errors"] == {"count": 5, "replies": 4, "rate": 1.25, "by_kind": {
        "agent_error": 1, "fallback": 2, "delivery_failed": 2}}
    assert figures["csat"]["avg"] == 3.67 and figures["csat"]["count"] == 3
    assert figures["csat"]["by_rating"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert figures["llm"]["tokens"] == 3000
    assert figures["llm"]["cost_usd"] == pytest.approx(0.01218)
    assert figures["llm"]["by_model"]["claude-sonnet-4-5"]["replies"] == 2
    assert figures["flags"] == {"count": 1}


def test_stored_counters_give_the_same_figures_as_the_rows(app):
    shoppers = [factories.customer() for _ in range(3)]
    for i in range(40):
        shopper = shoppers[i % 3]
        conversation = _conversation(shopper, ("web", "whatsapp", "email", "api")[i % 4])
        _turn(conversation, at=NOW - timedelta(hours=i * 3, minutes=7 * i + 1),
              intent=("order_status", "payment", "thanks")[i % 3], latency_ms=40 + 37 * i,
              resolution=("answered", "answered", "not_found")[i % 3])
        _event(events.MESSAGE_SENT, at=NOW - timedelta(hours=i * 3), first_reply_s=i * 7)
        _event(events.HANDOFF_REQUESTED, at=NOW - timedelta(hours=i * 5), summary={})
    for seconds in (20 * 60, 40, 10):  # the current hour: before and after the rollup's minute
        _turn(_conversation(shoppers[0], "web"), at=NOW - timedelta(seconds=seconds))
    db.session.commit()
    ranges = [(NOW - timedelta(days=7), NOW), (NOW - timedelta(hours=24), NOW),
              (NOW - timedelta(days=2, minutes=13), NOW - timedelta(hours=5, minutes=1)),
              (NOW - timedelta(hours=3), NOW - timedelta(minutes=25)),  # ends before 15:29
              (NOW.replace(minute=0), NOW), (NOW - timedelta(hours=1), NOW)]
    from_rows = [range_figures(start, end, now=NOW) for start, end in ranges]
    assert from_rows[0]["messages"]["inbound"] == 43
    assert roll_up(now=NOW) > 0
    rolled = db.session.query(MetricHour.hour, MetricHour.total).filter(
        MetricHour.metric == "rolled").all()
    # Every finished hour, from the oldest event's (a handoff 195 hours ago), and the current
    # hour up to a minute ago (15:29: 29 minutes of it).
    first = datetime(2026, 11, 12, 12, tzinfo=UTC)
    assert dict(rolled) == {**{first + timedelta(hours=h): 3600.0 for h in range(195)},
                            datetime(2026, 11, 20, 15, tzinfo=UTC): 29 * 60.0}
    # Whole days are summed too: 13 to 19 November (the 12th began before the first hour).
    days = db.session.query(MetricDay.day).filter(MetricDay.metric == "rolled").all()
    assert {day for (day,) in days} == {datetime(2026, 11, d, tzinfo=UTC) for d in range(13, 20)}
    assert [range_figures(start, end, now=NOW) for start, end in ranges] == from_rows
    assert roll_up(now=NOW) > 0  # the last 73 hours are counted again, the rest kept
    assert [range_figures(start, end, now=NOW) for start, end in ranges] == from_rows


def test_demo_bulk_makes_history_with_events_and_rolls_it_up(app):
    result = app.test_cli_runner().invoke(args=["demo", "bulk", "--messages", "300",
                                                "--days", "3"])
    assert result.exit_code == 0, result.output
    messages = db.session.query(Message).count()
    assert 300 <= messages < 310 and f"Added {messages} messages" in result.output
    assert db.session.query(Event).count() > messages  # received, replied, delivered…
    assert db.session.query(MetricHour).filter(MetricHour.metric == "rolled").count() >= 72
    now = datetime.now(UTC)
    figures = range_figures(now - timedelta(days=3), now, now=now)
    assert figures["messages"]["inbound"] + figures["messages"]["outbound"] == messages
    assert figures["llm"]["tokens"] > 0 and figures["resolution"]["settled"] > 0


def test_today_beside_a_month_reads_the_counters_they_share_once(app):
    conversation = _conversation(factories.customer())
    for hours in range(0, 24 * 10, 5):
        _turn(conversation, at=NOW - timedelta(hours=hours, minutes=3))
    db.session.commit()
    roll_up(now=NOW)
    month, midnight = NOW.replace(minute=0) - timedelta(days=30), NOW.replace(hour=0, minute=0)
    alone = range_figures(midnight, NOW, now=NOW)
    statements = []

    def listener(*_args) -> None:
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        reads: dict = {}
        range_figures(month, NOW, now=NOW, reads=reads)
        before = len(statements)
        today = range_figures(midnight, NOW, now=NOW, reads=reads)
        shared = len(statements) - before
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    # Today's hours and the current hour were read for the month: only today's chart is left.
    assert today == alone and shared == 1
