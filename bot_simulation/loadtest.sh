#!/usr/bin/env bash
# Load test of the whole desk with the simulator: start the desk as `make run` does (gunicorn
# web_app, 2 gthread workers, and the background worker) on a scratch database holding the
# demo shop, with every channel pointed at the simulator (fake Graph/Twilio API, SMTP sink),
# then run the simulator once per quoted argument string, and stop everything.
#
#   bot_simulation/loadtest.sh "--scenario burst --count 100 --channel mixed --max-turns 1"
#
# DATABASE_URL / REDIS_URL: leave unset for the embedded mode (SQLite in a temporary folder),
# or point them at a scratch PostgreSQL database (created here if missing) and Redis.
# Reports go to $OUT (default /tmp/desk-loadtest): run-<n>.json and .csv.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
OUT=${OUT:-/tmp/desk-loadtest}
PORT=${PORT:-5190}
FAKE_PORT=${FAKE_PORT:-5098}
SMTP_PORT=${SMTP_PORT:-5025}
WEB_WORKERS=${WEB_WORKERS:-2}
WEB_THREADS=${WEB_THREADS:-100}
JOB_THREADS=${JOB_THREADS:-2}
mkdir -p "$OUT"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$WORK/desk.db}"
export JOBS_DB_PATH="$WORK/jobs.db" SECRET_KEY=loadtest RATELIMIT_ENABLED=false WEB_THREADS
export TWILIO_AUTH_TOKEN=sim-twilio-token WHATSAPP_APP_SECRET=sim-meta-secret
export EMAIL_WEBHOOK_SECRET=sim-mail-secret WHATSAPP_VERIFY_TOKEN=sim
export WHATSAPP_ACCESS_TOKEN=sim-graph-token WHATSAPP_PHONE_NUMBER_ID=106540352242922
export TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000
export WHATSAPP_GRAPH_URL="http://127.0.0.1:$FAKE_PORT/v24.0"
export TWILIO_API_URL="http://127.0.0.1:$FAKE_PORT" SMTP_URL="smtp://127.0.0.1:$SMTP_PORT"
BIN=.venv/bin
FLASK="$BIN/flask --app web_app"
if [[ "$DATABASE_URL" == postgresql* ]]; then
  NAME=${DATABASE_URL##*/}
  ADMIN=${DATABASE_URL%/*}/postgres
  $BIN/python - "$ADMIN" "$NAME" <<'PY'
import sys, psycopg
url, name = sys.argv[1].replace("+psycopg", ""), sys.argv[2]
with psycopg.connect(url, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
PY
fi
$FLASK db upgrade >/dev/null 2>&1
$FLASK demo seed --if-empty --today "$(date -u +%F)" >/dev/null
export DESK_API_KEY=$($FLASK apikey create simulator --scope messages:write 2>/dev/null | tail -n1)
$BIN/gunicorn --bind 127.0.0.1:$PORT --workers "$WEB_WORKERS" --worker-class gthread \
  --threads "$WEB_THREADS" --no-control-socket --log-level warning 'web_app:create_app()' &
WEB=$!
$FLASK worker --workers "$JOB_THREADS" >"$WORK/worker.log" 2>&1 &
JOBS=$!
trap 'kill $WEB $JOBS 2>/dev/null; wait $WEB $JOBS 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
# Warm up: each worker builds its NLU and knowledge indexes on first use.
$BIN/python -m bot_simulation run --scenario burst --count 8 --channel api --max-turns 1 \
  --target "http://127.0.0.1:$PORT" --no-live >/dev/null
n=0
for args in "$@"; do
  n=$((n + 1))
  echo "== run $n: $args"
  # shellcheck disable=SC2086 # each argument string is one run's flags
  $BIN/python -m bot_simulation run $args --target "http://127.0.0.1:$PORT" \
    --fake-port "$FAKE_PORT" --smtp-sink "$SMTP_PORT" --no-live \
    --json "$OUT/run-$n.json" --csv "$OUT/run-$n.csv" || true
done
