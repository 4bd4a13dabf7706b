"""The shopper-facing app (port 5000): pages, chat, the integration API, channel webhooks."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from automation.runtime import jobs
from automation.runtime.json_limits import DeskJSONProvider
from automation.runtime.settings import ROOT, Config
from database import setup as database_setup


def create_app(config: Any = None) -> Flask:
    """Build the shopper-facing app from `config` (default: the environment)."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), static_url_path="/static")
    app.config.update(dict(config if config is not None else Config()))
    app.json = DeskJSONProvider(app)
    app.config["SESSION_COOKIE_NAME"] = "desk_shop_session"
    app.config["REMEMBER_COOKIE_NAME"] = "desk_shop_remember"
    app.config["STARTED_AT"] = time.monotonic()
    proxies = int(app.config.get("TRUST_PROXY_HEADERS") or 0)
    if proxies:
        # Behind that many reverse proxies, their X-Forwarded-Proto/Host are the client's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies)

    # Browsers ask for /favicon.ico on every page, whatever the <link> says.
    app.add_url_rule("/favicon.ico", "favicon",
                     lambda: app.send_static_file("favicon.ico"))
    database_setup.init_app(app)
    jobs.configure(app, redis_url=app.config.get("REDIS_URL"),
                   sqlite_path=app.config["JOBS_DB_PATH"],
                   immediate=app.config.get("JOBS_IMMEDIATE", False))

    from automation.runtime import babel_setup, desk
    from web_app import auth, chat_socket, cli, errors, extensions
    from web_app.api import catalog as catalog_api
    from web_app.api import messages as messages_api
    from web_app.api import status as status_api
    from web_app.api import reports as reports_api
    from web_app.api import tickets as tickets_api
    from web_app.views import account, chat, pages, rating
    from web_app.webhooks import email as email_webhook
    from web_app.webhooks import whatsapp as whatsapp_webhooks

    extensions.init_app(app)
    desk.install(app)
    app.extensions["engine"] = desk.build_engine(app.config, live=desk.live_settings(app))
    auth.init_app(app)
    errors.init_app(app)
    babel_setup.init_app(app)
    chat_socket.init_app(app)
    app.register_blueprint(chat.bp)
    cli.init_app(app)
    for blueprint in (pages.bp, account.bp, status_api.bp, catalog_api.bp, messages_api.bp,
                      tickets_api.bp, reports_api.bp, rating.bp):
        app.register_blueprint(blueprint)
    email_webhook.init_app(app)
    whatsapp_webhooks.init_app(app)
    app.extensions["warm_up"] = lambda: _warm_up(app)
    return app


def _warm_up(app: Flask) -> None:
    """Load models and indexes before serving (gunicorn's post_worker_init, the worker)."""
    if not app.config.get("WARM_UP"):
        return
    from automation.runtime.desk import warm_up

    started = time.monotonic()
    with app.app_context():
        warm_up(app.extensions["engine"])
    app.logger.info("warmed up in %.1f s", time.monotonic() - started)
