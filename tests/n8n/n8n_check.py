"""`make n8n-test`: the five workflows in a real n8n, and one path through it end to end.

    python -m tests.n8n.n8n_check --n8n ~/.cache/desk-n8n/node_modules/.bin/n8n [--keep]

In a scratch directory: a desk (SQLite, migrated, its web app under gunicorn), an SMTP sink,
and n8n with its own SQLite. The desk gets an API key and one webhook subscription per
webhook-started workflow; n8n gets the credentials the workflows name (the key, the four
signing secrets, the SMTP server), imports every `workflows/*.json` and publishes (activates)
each one, which is where an unknown node type or a bad parameter shows. Then:

1. a POST with a wrong signature to the SLA workflow gets 401 and changes nothing;
2. a ticket goes past its due time, the desk's SLA check records `sla.breached`, the
   dispatcher POSTs it signed to n8n, n8n checks the signature, raises the ticket to urgent
   through `PATCH /api/tickets/<reference>` and emails the supervisor; the desk records the
   change (`ticket.updated`, source api, with the note) and the delivery as delivered;
3. the ticket is resolved: after its wait (shortened here to seconds) the follow-up reads the
   ticket through the API and asks the shopper whether all is well, through the admin app's
   conversation API or, when that refuses, by email;
4. a conversation closes unrated, and a shopper left waiting goes quiet: after their waits the
   CSAT reminder and the nudge read the conversation and write to the shopper (or email them
   when the API refuses). Without the admin app's conversation API (another issue builds it),
   a stand-in that answers API.md's shapes from the desk's database takes its place;
5. the daily digest (its schedule shortened to seconds) reads the digest API and emails the
   support lead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.n8n import scenarios
from tests.n8n.scenarios import step
from tests.n8n.stand_in import ConversationStandIn

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "workflows"
SIGNED = {"sla-escalation": "sla.breached", "ticket-resolved-follow-up": "ticket.resolved",
          "csat-reminder": "conversation.closed", "abandoned-conversation": "handoff.requested"}
PATHS = {"sla.breached": "desk-sla-breached", "ticket.resolved": "desk-ticket-resolved",
         "conversation.closed": "desk-conversation-closed",
         "handoff.requested": "desk-handoff-requested"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, *, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{url}: the process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def run(command: list[str], *, env: dict[str, str], what: str) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise SystemExit(f"{what} failed ({result.returncode}):\n{output}")
    return output


class Check:
    """The scratch desk, SMTP sink and n8n of one run."""

    def __init__(self, n8n: Path, work: Path) -> None:
        self.n8n = n8n
        self.work = work
        self.desk_port, self.admin_port, self.n8n_port = free_port(), free_port(), free_port()
        self.processes: list[subprocess.Popen] = []
        self.desk_env = {**os.environ,
                         "DATABASE_URL": f"sqlite:///{work / 'desk.db'}",
                         "JOBS_DB_PATH": str(work / "jobs.db"),
                         "LIMITS_DB_PATH": str(work / "limits.db"),
                         "WARM_UP": "false", "REDIS_URL": "",
                         "ADMIN_BASE_URL": f"http://127.0.0.1:{self.admin_port}",
                         "SECRET_KEY": "n8n-test", "NOTION_TOKEN": "",
                         "WEBHOOK_TIMEOUT_S": "30"}
        self.n8n_env = {**os.environ,
                        "N8N_USER_FOLDER": str(work / "n8n"), "GENERIC_TIMEZONE": "UTC",
                        "TZ": "UTC", "N8N_PORT": str(self.n8n_port),
                        "N8N_LISTEN_ADDRESS": "127.0.0.1", "N8N_HOST": "127.0.0.1",
                        "WEBHOOK_URL": f"http://127.0.0.1:{self.n8n_port}/",
                        "N8N_ENCRYPTION_KEY": "desk-n8n-test-encryption-key",
                        "N8N_DIAGNOSTICS_ENABLED": "false",
                        "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
                        "N8N_TEMPLATES_ENABLED": "false", "N8N_PERSONALIZATION_ENABLED": "false",
                        "N8N_SECURE_COOKIE": "false", "N8N_HIRING_BANNER_ENABLED": "false",
                        "N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS": "false",
                        "DB_TYPE": "sqlite",
                        "EXECUTIONS_DATA_SAVE_ON_SUCCESS": "all"}

    # --- the desk ---------------------------------------------------------------------------

    def desk(self) -> Any:
        """Return the desk app (in this process), migrated, with the key and subscriptions."""
        os.environ.update({k: v for k, v in self.desk_env.items() if k not in os.environ
                           or k in ("DATABASE_URL", "JOBS_DB_PATH", "LIMITS_DB_PATH",
                                    "WARM_UP", "REDIS_URL", "ADMIN_BASE_URL", "NOTION_TOKEN",
                                    "WEBHOOK_TIMEOUT_S", "SECRET_KEY")})
        from flask_migrate import upgrade

        from web_app import create_app

        app = create_app()
        app.config["JOBS_IMMEDIATE"] = True
        from automation.runtime import jobs

        jobs.queue.immediate = True  # the check drives the dispatcher itself
        with app.app_context():
            upgrade()
        return app

    def seed(self, app: Any) -> dict[str, Any]:
        from database import db, events
        from database.api_keys import create_api_key
        from database.models import StaffUser
        from tests import factories, ticket_factories
        from workflows.subscriptions import add_subscription

        with app.app_context():
            from database.api_keys import SCOPES

            # The conversation scopes exist once the admin app's conversation API does.
            wanted = ("tickets:read", "tickets:write", "admin:read", "conversations:read",
                      "conversations:write")
            _row, key = create_api_key("n8n", [s for s in wanted if s in SCOPES])
            db.session.add(StaffUser(name="Sam Supervisor", email="supervisor@demo.shop",
                                     role="supervisor", password_hash="x"))
            events.record(events.API_KEY_CREATED, payload={"name": "n8n"})
            db.session.commit()
            secrets = {}
            for kind, path in PATHS.items():
                subscription = add_subscription(
                    f"http://127.0.0.1:{self.n8n_port}/webhook/{path}", [kind],
                    description=f"n8n: {kind}")
                secrets[kind] = subscription.secret
            shopper = factories.customer(first_name="Camille", email="camille@example.com")
            ticket = ticket_factories.ticket(shopper, title="Parcel lost for two weeks",
                                             priority="normal")
            return {"key": key, "secrets": secrets, "reference": ticket.reference}

    def serve_desk(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        for port, factory in ((self.desk_port, "web_app:create_app()"),
                              (self.admin_port, "admin_app:create_app()")):
            process = subprocess.Popen(
                [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", "1",
                 "--threads", "4", "--worker-class", "gthread", "--log-level", "warning",
                 "--no-control-socket", factory], cwd=ROOT, env=self.desk_env)
            self.processes.append(process)
            wait_for(f"http://127.0.0.1:{port}/healthz", timeout=60, process=process)

    # --- n8n --------------------------------------------------------------------------------

    def credentials(self, seeded: dict[str, Any], smtp_port: int) -> Path:
        rows = [{"id": "deskApiKey000001", "name": "Desk API key", "type": "httpHeaderAuth",
                 "data": {"name": "Authorization", "value": f"Bearer {seeded['key']}"}},
                {"id": "deskSmtp00000001", "name": "Desk SMTP", "type": "smtp",
                 "data": {"user": "", "password": "", "host": "127.0.0.1",
                          "port": smtp_port, "secure": False, "disableStartTls": True}}]
        for number, (kind, secret) in enumerate(seeded["secrets"].items(), start=1):
            rows.append({"id": f"deskSecret{number:06d}", "name": f"Desk signing secret: {kind}",
                         "type": "crypto", "data": {"hmacSecret": secret}})
        path = self.work / "credentials.json"
        path.write_text(json.dumps(rows))
        return path

    def workflows(self, admin_url: str) -> Path:
        """Copy the workflows with their Settings pointing at this run's desk, their waits
        shortened to seconds and the digest's schedule to every ten seconds."""
        settings = {"desk_url": f"http://127.0.0.1:{self.desk_port}", "admin_url": admin_url,
                    "wait_hours": 0.002, "quiet_minutes": 0.1,
                    "lead_email": "lead@demo.shop"}
        folder = self.work / "workflows"
        folder.mkdir()
        for source in sorted(WORKFLOWS.glob("*.json")):
            document = json.loads(source.read_text())
            for node in document["nodes"]:
                if node["name"] == "Settings":
                    for assignment in node["parameters"]["assignments"]["assignments"]:
                        if assignment["name"] in settings:
                            assignment["value"] = settings[assignment["name"]]
                if node["type"] == "n8n-nodes-base.scheduleTrigger":
                    node["parameters"]["rule"] = {"interval": [{"field": "seconds",
                                                                "secondsInterval": 10}]}
            (folder / source.name).write_text(json.dumps(document))
        return folder

    def n8n_command(self, *args: str, what: str) -> str:
        return run([str(self.n8n), *args], env=self.n8n_env, what=what)

    def install_workflows(self, credentials: Path, folder: Path) -> list[tuple[str, str]]:
        self.n8n_command("import:credentials", f"--input={credentials}",
                         what="n8n import:credentials")
        self.n8n_command("import:workflow", "--separate", f"--input={folder}",
                         what="n8n import:workflow")
        listed = self.n8n_command("list:workflow", what="n8n list:workflow")
        found = [tuple(line.split("|", 1)) for line in listed.splitlines() if "|" in line]
        names = {json.loads(p.read_text())["name"] for p in folder.glob("*.json")}
        imported = [(i, n) for i, n in found if n in names]
        if len(imported) != len(names):
            raise SystemExit(f"imported {imported}, expected {sorted(names)}:\n{listed}")
        for workflow_id, name in imported:
            output = self.n8n_command("publish:workflow", f"--id={workflow_id}",
                                      what=f"n8n publish:workflow {name}")
            if "error" in output.lower() and "0 error" not in output.lower():
                raise SystemExit(f"publishing {name}: {output}")
            step(f"published {name}")
        return imported

    def start_n8n(self) -> None:
        log = open(self.work / "n8n.log", "w")
        process = subprocess.Popen([str(self.n8n), "start"], env=self.n8n_env,
                                   stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        wait_for(f"http://127.0.0.1:{self.n8n_port}/healthz", timeout=180, process=process)
        # Webhooks are registered as the active workflows load, just after /healthz answers.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.post_unsigned()[0] != 404:
                return
            time.sleep(1)
        raise SystemExit("n8n never registered the SLA webhook: see " +
                         str(self.work / "n8n.log"))

    def post_unsigned(self) -> tuple[int, str]:
        body = json.dumps({"id": 1, "event": "sla.breached", "created_at": "2026-01-01T00:00Z",
                           "data": {"ticket": {"reference": "TCK-2026-000001"}}}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.n8n_port}/webhook/{PATHS['sla.breached']}", data=body,
            method="POST", headers={"Content-Type": "application/json",
                                    "X-Desk-Signature": f"t={int(time.time())},v1=" + "0" * 64,
                                    "X-Desk-Event": "sla.breached",
                                    "X-Desk-Delivery": "dlv_forged"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n8n", type=Path, required=True, help="the n8n executable")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    options = parser.parse_args()
    if not options.n8n.exists():
        raise SystemExit(f"{options.n8n} is not there: run `make n8n-install`")
    began = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="desk-n8n-test-"))
    check = Check(options.n8n.resolve(), work)
    from tests.fakes.smtp_server import SmtpServer

    try:
        with SmtpServer() as smtp:
            app = check.desk()
            seeded = check.seed(app)
            step(f"desk ready in {work}, ticket {seeded['reference']}")
            check.serve_desk()
            from admin_app import create_app as admin_factory

            routes = {rule.rule for rule in admin_factory().url_map.iter_rules()}
            stand_in = None
            admin_url = f"http://127.0.0.1:{check.admin_port}"
            if not any(r.startswith("/api/conversations/<") for r in routes):
                stand_in = ConversationStandIn(app)
                admin_url = f"http://127.0.0.1:{stand_in.port}"
                step("the admin app has no conversation API yet: a stand-in answers")
            imported = check.install_workflows(check.credentials(seeded, smtp.port),
                                               check.workflows(admin_url))
            step(f"{len(imported)} workflows imported and published")
            check.start_n8n()
            status, body = check.post_unsigned()
            if status != 401:
                raise SystemExit(f"a forged signature got {status}: {body}")
            step("a forged signature is refused with 401")
            with app.app_context():
                from database import db
                from database.models import Event

                assert db.session.query(Event).filter_by(kind="ticket.updated").count() == 0
            scenarios.check_path(app, seeded, smtp)
            scenarios.check_follow_up(app, seeded, smtp, stand_in)
            scenarios.check_conversation_workflows(app, smtp, stand_in)
            scenarios.check_digest(smtp)
        step(f"passed in {time.monotonic() - began:.0f} s")
    except BaseException:
        log = work / "n8n.log"
        if log.exists():
            print(log.read_text()[-6000:], file=sys.stderr)
        raise
    finally:
        check.stop()
        if options.keep:
            step(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
