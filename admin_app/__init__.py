"""The staff-facing app (port 5001): dashboard, live logs, agent workspace."""

from __future__ import annotations

from typing import Any

from flask import Flask

from automation.runtime import jobs
from automation.runtime.json_limits import DeskJSONProvider
from automation.runtime.settings import ROOT, Config
from database import setup as database_setup


def create_app(config: Any = None) -> Flask:
    """Build the staff-facing app from `config` (default: the environment)."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), static_url_path="/static")
    app.config.update(dict(config if config is not None else Config()))
    app.json = DeskJSONProvider(app)
    # Its own cookie: both apps may share a host name, and cookies ignore ports.
    app.config["SESSION_COOKIE_NAME"] = "desk_staff_session"
    app.config["REMEMBER_COOKIE_NAME"] = "desk_staff_remember"
    # Browsers ask for /favicon.ico on every page, whatever the <link> says.
    app.add_url_rule("/favicon.ico", "favicon",
                     lambda: app.send_static_file("favicon.ico"))

    database_setup.init_app(app)
    jobs.configure(app, redis_url=app.config.get("REDIS_URL"),
                   sqlite_path=app.config["JOBS_DB_PATH"],
                   immediate=app.config.get("JOBS_IMMEDIATE", False))

    from admin_app import account, auth, dashboard, errors, outbox, team, webhooks, workspace
    from admin_app import exchanges, health, knowledge, logs
    from admin_app import settings as settings_pages
    from admin_app.api import conversations as staff_api
    from automation.runtime import babel_setup, desk, live
    from database import db

    # Staff changes (assign, close…) wake the shoppers' chats in every process; the hub is
    # here for the live log and workspace to subscribe to.
    with app.app_context():
        app.extensions["live"] = live.attach(db.engine, redis_url=app.config.get("REDIS_URL"),
                                             channel=app.config.get("LIVE_CHANNEL", "desk:live"))
    # Staff replies leave through the same channel adapters as the AI's.
    desk.install(app)
    auth.init_app(app)
    errors.init_app(app)
    babel_setup.init_app(app)
    for blueprint in (account.bp, dashboard.bp, team.bp, outbox.bp, webhooks.bp,
                      staff_api.bp, logs.bp, exchanges.bp, health.bp, knowledge.bp,
                      settings_pages.bp):
        app.register_blueprint(blueprint)
    workspace.init_app(app)
    app.jinja_env.globals["has_page"] = lambda endpoint: endpoint in app.view_functions
    return app
