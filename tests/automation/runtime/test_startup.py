"""The desk starts as `make run` starts it, from the environment alone, on a fresh machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FLASK = [sys.executable, "-m", "flask", "--app", "web_app"]
CHECK = """
import gc, json, runpy, types
from web_app import create_app as web
from admin_app import create_app as admin
shop, staff = web(), admin()
# What gunicorn does once a worker has loaded the app: warm up, then freeze the heap.
runpy.run_path("gunicorn.conf.py")["post_worker_init"](types.SimpleNamespace(wsgi=shop))
from automation.runtime import jobs
print(json.dumps({"status": shop.test_client().get("/api/status").status_code,
                  "admin": staff.test_client().get("/healthz").status_code,
                  "icon": shop.test_client().get("/favicon.ico").status_code,
                  "queue": type(jobs.queue.storage).__name__,
                  "frozen": gc.get_freeze_count() > 10000}))
"""


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_apps_start_on_a_custom_database_with_no_data_folder(database_url, tmp_path):
    # The job queue's file lives in a folder that does not exist yet, as data/ on a fresh clone.
    env = {**os.environ, "DATABASE_URL": database_url,
           "JOBS_DB_PATH": str(tmp_path / "fresh" / "data" / "jobs.db")}
    env.pop("REDIS_URL", None)
    upgraded = _run([*FLASK, "db", "upgrade"], env)
    assert upgraded.returncode == 0, upgraded.stderr
    started = _run([sys.executable, "-c", CHECK], env)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().endswith(
        '{"status": 200, "admin": 200, "icon": 200, "queue": "SqliteStorage", "frozen": true}')
    assert (tmp_path / "fresh" / "data" / "jobs.db").exists()


def test_make_run_says_each_setting_once(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.db'}",
           "JOBS_DB_PATH": str(tmp_path / "jobs.db")}
    assert _run([*FLASK, "db", "upgrade"], env).returncode == 0
    summary = _run([*FLASK, "desk", "summary", "--logins"], env)
    assert summary.returncode == 0, summary.stderr
    text = summary.stdout + summary.stderr
    assert text.count("SMTP_URL") == 1
    assert text.count("TWILIO_AUTH_TOKEN") == 1
    assert text.count("admin@demo.shop") == 1
    # Building the apps (every process does) says nothing of what is not configured.
    quiet = _run([sys.executable, "-c", "from web_app import create_app; create_app()"], env)
    assert "not configured" not in quiet.stderr and "SMTP_URL" not in quiet.stderr
