"""Assembling the engine from settings: which agent, which rules."""

from __future__ import annotations

from typing import Any

from automation.agents import Agent, EngineSettings
from automation.agents.local import LocalAgent
from automation.engine import Engine


def engine_settings(config: Any) -> EngineSettings:
    """Return the engine's settings from an app's config mapping."""
    return EngineSettings(shop_name=config.get("SHOP_NAME", "Demo Shop"),
                          return_window_days=int(config.get("RETURN_WINDOW_DAYS", 30)))


def build_engine(config: Any, *, agent: Agent | None = None) -> Engine:
    """Return the engine for an app: the local agent unless another is given."""
    return Engine(agent=agent or LocalAgent(), settings=engine_settings(config))
