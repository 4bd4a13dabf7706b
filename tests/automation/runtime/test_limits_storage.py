"""Rate-limit counters are shared by every process of the machine (embedded mode)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from automation.runtime import limits_storage  # noqa: F401  (registers desk+sqlite://)

ROOT = Path(__file__).resolve().parents[3]
HITS = """
import sys
from limits.storage import storage_from_string
from automation.runtime import limits_storage
storage = storage_from_string(sys.argv[1])
for _ in range(200):
    storage.incr("shared", 60)
"""
REGISTER = """
import json, sys
from automation.runtime.settings import TestConfig
from web_app import create_app
app = create_app(TestConfig(sys.argv[1], RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=sys.argv[2]))
client = app.test_client()
codes = [client.post("/api/register", json={"first_name": "A", "last_name": "B",
         "email": f"p{sys.argv[3]}-{n}@example.com", "password": "long-enough-1"}).status_code
         for n in range(8)]
print(json.dumps(codes))
"""


def test_two_processes_count_on_the_same_counter(tmp_path):
    uri = f"desk+sqlite:///{tmp_path / 'limits.db'}"
    runs = [subprocess.Popen([sys.executable, "-c", HITS, uri], cwd=ROOT) for _ in range(2)]
    assert [run.wait(timeout=60) for run in runs] == [0, 0]
    assert storage_from_string(uri).get("shared") == 400


def test_a_window_ends_and_a_new_one_starts(tmp_path):
    storage = storage_from_string(f"desk+sqlite:///{tmp_path / 'limits.db'}")
    limiter = FixedWindowRateLimiter(storage)
    item = parse("2 per second")
    assert [limiter.hit(item, "k") for _ in range(3)] == [True, True, False]
    storage.clear("LIMITER/k/2/1/second")
    assert limiter.hit(item, "k")


def test_two_web_processes_share_the_registration_limit(tmp_path, database_url):
    uri = f"desk+sqlite:///{tmp_path / 'limits.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", REGISTER, database_url, uri, str(n)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
            for n in range(2)]
    codes = [code for run in runs for code in json.loads(run.stdout.strip().splitlines()[-1])]
    # "10 per minute" per address for the whole machine, not for each process.
    assert codes.count(429) == 6 and len(codes) == 16
