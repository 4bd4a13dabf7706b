"""Assembling the engine from settings: which agent, which rules."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from automation.agents import Agent, EngineSettings
from automation.agents.local import LocalAgent
from automation.conversations.engine import Engine
from database import db

log = logging.getLogger(__name__)


def engine_settings(config: Any) -> EngineSettings:
    """Return the engine's settings from an app's config mapping."""
    return EngineSettings(shop_name=config.get("SHOP_NAME", "Demo Shop"),
                          return_window_days=int(config.get("RETURN_WINDOW_DAYS", 30)))


def live_settings(app: Any) -> Callable[[], EngineSettings]:
    """Return what gives each turn the engine's settings with the admins' choices applied."""
    store, base = app.extensions["settings"], engine_settings(app.config)

    def current() -> EngineSettings:
        values = store.all()
        return replace(base, shop_name=values["shop_name"],
                       return_window_days=values["return_window_days"],
                       low_confidence=values["handoff_confidence"],
                       claude_enabled=values["claude_enabled"],
                       claude_model=values["claude_model"])

    return current


def warm_up(engine: Engine) -> None:
    """Load the NLU models and build the knowledge index now, before the first shopper waits.

    Called by the app factories before a worker accepts traffic (inside an app context).
    """
    from automation.nlu import analyse
    from automation.nlu import warm_up as warm_nlu

    warm_nlu()
    analyse("warm up")  # the first call also loads langid's and the pipeline's lazy parts
    try:
        engine.knowledge.search("warm up", language="en", limit=1)
    except SQLAlchemyError as exc:  # not migrated yet: the first question builds it instead
        log.warning("knowledge index not built at start-up: %s", exc)
    finally:
        db.session.remove()


def install(app: Any) -> None:
    """Give an app (either of the two) what every request may use, built once from settings:
    the channel adapters, the shop settings store, the login throttle, and the handler that
    sends its WARNING+ log lines to the live log."""
    from limits.storage import storage_from_string

    from automation.accounts.throttle import LoginThrottle
    from automation.channels.registry import Channels
    from automation.runtime import limits_storage  # noqa: F401  (desk+sqlite:// counters)
    from automation.runtime.shop_settings import ShopSettings

    app.extensions["channels"] = Channels.from_config(app.config)
    app.extensions["settings"] = ShopSettings(app.config)
    app.extensions["login_throttle"] = LoginThrottle(
        storage_from_string(app.config.get("RATELIMIT_STORAGE_URI") or "memory://"))
    if app.config.get("LOG_EVENTS"):
        from automation.runtime import log_events

        log_events.install(app, source=app.name)
    app.context_processor(lambda: {"shop_name": _shop_name(app.extensions["settings"])})


def _shop_name(store: Any) -> str:
    """Return the shop's name as admins last set it, for pages (the default if unreachable)."""
    try:
        return store.get("shop_name")
    except SQLAlchemyError:  # an error page about the database must still render
        db.session.rollback()
        return store.defaults["shop_name"]


def build_engine(config: Any, *, agent: Agent | None = None,
                 live: Callable[[], EngineSettings] | None = None) -> Engine:
    """Return the engine for an app: `default_agent(config)` unless another is given; `live`
    gives each turn its settings (`live_settings(app)`), else the config's stay."""
    return Engine(agent=agent or default_agent(config), settings=engine_settings(config),
                  live=live)


def default_agent(config: Any) -> Agent:
    """Return Claude backed by the local agent when `ANTHROPIC_API_KEY` is set, else local."""
    if not config.get("ANTHROPIC_API_KEY"):
        return LocalAgent()
    # Imported here: the Anthropic SDK is loaded only when a key turns Claude on.
    from automation.agents.breaker import CircuitBreaker
    from automation.agents.claude import claude_agent
    from automation.agents.fallback import FallbackAgent

    breaker = CircuitBreaker(
        threshold=int(config.get("ANTHROPIC_BREAKER_FAILURES") or 3),
        cool_down_s=float(config.get("ANTHROPIC_BREAKER_COOLDOWN_S") or 60))
    return FallbackAgent(claude_agent(config), LocalAgent(), breaker)
