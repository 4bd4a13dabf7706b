#!/usr/bin/env bash
# Load test of a full message turn over HTTP: gunicorn serving web_app on a fresh SQLite
# database with the demo shop, wrk posting /api/process-message as its ~200 shoppers (every
# request a new message).
# Usage: bench/http.sh [seconds] [connections]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-20}
CONNECTIONS=${2:-16}
PORT=${PORT:-5190}
WORK=$(mktemp -d)
export DATABASE_URL="${DATABASE_URL:-sqlite:///$WORK/bench.db}"
export SECRET_KEY=bench RATELIMIT_ENABLED=false
FLASK=".venv/bin/flask --app web_app"
$FLASK db upgrade >/dev/null 2>&1
$FLASK demo seed --today 2026-11-20 >/dev/null
KEY=$($FLASK apikey create bench --scope messages:write 2>/dev/null)
EMAILS=$(.venv/bin/python - <<'PY'
from sqlalchemy import select
from web_app import create_app
from database import db
from database.models import Customer
app = create_app()
with app.app_context():
    rows = db.session.scalars(select(Customer.email).where(Customer.status == "active"))
    print(",".join(rows))
PY
)
export KEY EMAILS
.venv/bin/gunicorn --bind 127.0.0.1:$PORT --workers ${WORKERS:-2} --worker-class gthread \
  --threads ${THREADS:-8} --no-control-socket --log-level warning 'web_app:create_app()' &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
# Warm up: the NLU and knowledge indexes build on first use in each worker.
wrk -t2 -c4 -d3s -s bench/process_message.lua "http://127.0.0.1:$PORT" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s bench/process_message.lua \
  "http://127.0.0.1:$PORT"
