"""The Claude agent (Anthropic Messages API), used when `ANTHROPIC_API_KEY` is set.

Importing this package imports the Anthropic SDK; the desk only does so when a key is set.
"""

from __future__ import annotations

import logging
from typing import Any

from automation.agents.claude.agent import ClaudeAgent
from automation.agents.claude.client import ClaudeClient, deprecation
from automation.agents.claude.settings import ClaudeSettings

__all__ = ["ClaudeAgent", "ClaudeClient", "ClaudeSettings", "claude_agent"]

log = logging.getLogger(__name__)


def claude_agent(config: Any) -> ClaudeAgent:
    """Return the Claude agent configured from an app's config mapping (`ANTHROPIC_*`)."""
    settings = ClaudeSettings.from_config(config)
    end_of_life = deprecation(settings.model)
    if end_of_life:
        log.info(
            "ANTHROPIC_MODEL %s is deprecated (end of life %s): the API may refuse it, and "
            "then the local agent answers every message", settings.model, end_of_life)
    client = ClaudeClient(api_key=config["ANTHROPIC_API_KEY"],
                          base_url=config.get("ANTHROPIC_BASE_URL"),
                          timeout_s=settings.timeout_s, max_retries=settings.max_retries)
    return ClaudeAgent(client, settings)
