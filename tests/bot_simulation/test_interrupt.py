"""Ctrl-C stops a run cleanly: exchanges still waiting are counted in flight, and the report
(table, JSON, CSV) is still written."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bot_simulation.conftest import SECRETS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.one_database
def test_the_report_survives_ctrl_c(desk, tmp_path):
    report_path, csv_path = tmp_path / "report.json", tmp_path / "report.csv"
    env = {**os.environ, **SECRETS, "DATABASE_URL": desk.database_url,
           "DESK_API_KEY": desk.api_key, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot_simulation", "run", "--scenario", "endurance",
         "--speedup", "60", "--channel", "api", "--target", desk.url, "--think", "0,0",
         "--fake-port", "0", "--json", str(report_path), "--csv", str(csv_path),
         "--seed", "5", "--no-live"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(desk.stored_any()) < 5:
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, output
    report = json.loads(report_path.read_text())
    assert report["run"]["interrupted"] is True and report["run"]["scenario"] == "endurance"
    assert report["sent"] >= 5
    assert report["sent"] == report["answered"] + report["errors"] + report["in_flight"]
    assert "Exchanges" in output and report["run"]["id"] in output
    # Rows, not lines: a reply may hold line breaks inside its quoted cell.
    with csv_path.open(newline="") as rows:
        assert len(list(csv.reader(rows))) == report["sent"] + 1


@pytest.mark.one_database
def test_a_stopped_run_counts_waiting_exchanges_in_flight(desk, tmp_path):
    import asyncio

    from rich.console import Console

    from bot_simulation.runner import Simulation
    from bot_simulation.scenarios import RunOptions

    # No fake Graph API: the desk's reply goes nowhere, so the exchange waits until stopped.
    options = RunOptions(scenario="burst", count=2, channel="whatsapp", timeout=30,
                         whatsapp_provider="meta", fake_port=None, live=False, seed=1,
                         json_path=str(tmp_path / "report.json"))
    with open(tmp_path / "console.txt", "w") as out:
        simulation = Simulation(options, desk.settings(), console=Console(file=out))

        async def stop_soon() -> dict:
            asyncio.get_running_loop().call_later(1.0, simulation.stop)
            return await simulation.run()

        started = time.monotonic()
        report = asyncio.run(stop_soon())
    assert time.monotonic() - started < 10
    assert report["in_flight"] == report["sent"] == 2 and report["answered"] == 0
    assert json.loads((tmp_path / "report.json").read_text())["run"]["interrupted"] is True


@pytest.mark.one_database
def test_the_menu_asks_then_runs(desk, tmp_path):
    report_path = tmp_path / "menu.json"
    env = {**os.environ, **SECRETS, "DATABASE_URL": desk.database_url,
           "DESK_API_KEY": desk.api_key, "DESK_URL": desk.url}
    answers = "\n".join(["", "single", "api", "fr,pt", "1", "100", str(report_path)]) + "\n"
    result = subprocess.run([sys.executable, "-m", "bot_simulation"], cwd=ROOT, env=env,
                            input=answers, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(report_path.read_text())
    assert report["run"]["scenario"] == "single" and report["run"]["languages"] == ["fr", "pt"]
    assert report["answered"] == report["sent"] >= 1
