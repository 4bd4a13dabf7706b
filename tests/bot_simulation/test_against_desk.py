"""The simulator against a desk started in the test: every channel answered, counts that
match what the database received, plausible latencies, compressed scenarios."""

from __future__ import annotations

import asyncio
import csv
import json
import time

import pytest
from rich.console import Console

from bot_simulation.runner import Simulation
from bot_simulation.scenarios import RunOptions

API_KEYS = {"sent", "answered", "errors", "latency_ms", "by_channel", "by_category",
            "handoffs", "tickets"}


def simulate(desk, tmp_path, **options):
    """Run the simulator against the desk as a library; return (simulation, JSON report)."""
    options.setdefault("seed", 7)
    options.setdefault("fake_port", desk.fake_port)
    options.setdefault("think", (0.0, 0.0))
    options.setdefault("timeout", 20.0)
    options.setdefault("live", False)
    options.setdefault("json_path", str(tmp_path / "report.json"))
    options.setdefault("csv_path", str(tmp_path / "report.csv"))
    with open(tmp_path / "console.txt", "w") as out:
        simulation = Simulation(RunOptions(**options), desk.settings(),
                                console=Console(file=out, width=140))
        asyncio.run(simulation.run())
    return simulation, json.loads((tmp_path / "report.json").read_text())


def assert_plausible(latency: dict, *, timeout_ms: float) -> None:
    assert 0 < latency["p50"] <= latency["p95"] <= latency["p99"] <= latency["max"]
    assert latency["max"] < timeout_ms


@pytest.mark.parametrize("channel, count, provider", [
    ("api", 20, "auto"), ("web", 10, "auto"), ("whatsapp", 10, "auto")])
def test_a_burst_is_answered_and_the_report_matches_the_database(desk, tmp_path, channel,
                                                                  count, provider):
    started = time.monotonic()
    simulation, report = simulate(desk, tmp_path, scenario="burst", count=count,
                                  channel=channel, whatsapp_provider=provider)
    took_ms = (time.monotonic() - started) * 1000

    assert API_KEYS <= set(report)
    first_messages = [e for e in simulation.stats.exchanges if e.turn == 1]
    assert len(first_messages) == count
    assert report["answered"] == report["sent"] >= count, report["errors_by_kind"]
    assert report["errors"] == 0 and report["in_flight"] == 0
    assert report["by_channel"][channel]["sent"] == report["sent"]
    # What the desk stored under the run's ids is exactly what the report says was sent.
    stored = desk.stored(simulation.run_id)
    assert len(stored) == report["sent"] == report["database"]["received"]
    assert {m.channel for m in stored} == {channel}
    assert len(desk.replies_to(stored)) >= report["answered"]
    assert_plausible(report["latency_ms"], timeout_ms=took_ms)
    assert sum(report["by_category"].values()) == report["answered"]
    if channel == "whatsapp":
        assert set(report["by_channel"]["whatsapp"]["providers"]) == {"meta", "twilio"}
    rows = list(csv.DictReader(open(tmp_path / "report.csv", encoding="utf-8")))
    assert len(rows) == report["sent"] and all(r["status"] == "answered" for r in rows)


@pytest.mark.one_database
@pytest.mark.parametrize("sink", [True, False], ids=["smtp-sink", "outbox"])
def test_email_replies_come_from_the_sink_or_the_outbox(desk, tmp_path, sink):
    simulation, report = simulate(desk, tmp_path, scenario="burst", count=4, channel="email",
                                  max_turns=2, smtp_port=desk.smtp_port if sink else None)
    assert report["run"]["email_replies"] == ("smtp" if sink else "outbox")
    assert report["answered"] == report["sent"] >= 4, report["errors_by_kind"]
    assert len(desk.stored(simulation.run_id)) == report["sent"]
    # Follow-ups stay in the thread of their first email.
    threads = {}
    for message in desk.stored(simulation.run_id):
        threads.setdefault(message.conversation.customer_id, set()).add(
            message.conversation_id)
    assert all(len(ids) == 1 for ids in threads.values())


@pytest.mark.one_database
def test_mixed_uses_every_channel_and_tags_every_message(desk, tmp_path):
    simulation, report = simulate(desk, tmp_path, scenario="burst", count=8, channel="mixed",
                                  max_turns=2, smtp_port=desk.smtp_port)
    assert set(report["by_channel"]) == {"api", "web", "whatsapp", "email"}
    assert report["answered"] == report["sent"], report["errors_by_kind"]
    assert "unknown" not in report["by_intent"]  # the database filled in what replies lack
    assert all(f"{simulation.run_id}" in m.channel_message_id
               for m in desk.stored(simulation.run_id))


@pytest.mark.one_database
def test_a_sped_up_quick_run_takes_seconds(desk, tmp_path):
    started = time.monotonic()
    simulation, report = simulate(desk, tmp_path, scenario="quick", speedup=300,
                                  think=(3.0, 12.0))
    took = time.monotonic() - started
    shoppers = sum(1 for e in simulation.stats.exchanges if e.turn == 1)
    # Five minutes at five shoppers a minute, compressed 300 times: one second.
    assert shoppers == 25
    assert took < 15
    assert report["answered"] == report["sent"], report["errors_by_kind"]
    assert report["run"]["planned_duration_s"] == 300 and report["run"]["rate_per_min"] == 5


@pytest.mark.one_database
def test_a_single_shopper_is_followed_to_the_end(desk, tmp_path):
    simulation, report = simulate(desk, tmp_path, scenario="single", seed=3)
    turns = [e.turn for e in simulation.stats.exchanges]
    assert turns == list(range(1, len(turns) + 1))
    assert len({e.shopper for e in simulation.stats.exchanges}) == 1
    assert report["answered"] == report["sent"] == len(turns)


@pytest.mark.one_database
def test_intruders_are_flagged_and_learn_nothing(desk, tmp_path):
    simulation, report = simulate(desk, tmp_path, scenario="burst", count=4, intruders=1.0,
                                  max_turns=1)
    assert report["intruders"] == {"sent": 4, "answered": 4, "flagged": True}
    for exchange in simulation.stats.exchanges:
        assert exchange.persona == "intruder"
        victim_order = [t for t in exchange.text.split() if t.startswith("CMD-")]
        tracking = "6A%08d" % ((int(victim_order[0][4:9]) - 61000) // 2) if victim_order \
            else None
        assert tracking is None or tracking not in (exchange.reply or "")
