"""What the Claude agent is configured with (from the app's config mapping, by desk.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The current Sonnet (anthropic 2.10 knows it; claude-sonnet-4-20250514 was retired on
# 15 June 2026 and claude-sonnet-4-5 on 30 November 2026).
DEFAULT_MODEL = "claude-sonnet-5-5"


@dataclass(frozen=True)
class ClaudeSettings:
    """The model, its limits and the agent's bounds."""

    model: str = DEFAULT_MODEL
    max_tokens: int = 3000
    timeout_s: float = 20.0          # per HTTP request to the Messages API
    # The SDK's own retries (429, 5xx, 529, timeouts): one rides out a blip; more would keep
    # the shopper waiting when the local agent can answer at once.
    max_retries: int = 1
    thinking: bool = False
    thinking_budget: int = 1024      # tokens (manual thinking) or the matching adaptive effort
    history_tokens: int = 4000       # earlier messages sent, estimated at ~4 chars a token
    max_iterations: int = 6          # Messages API calls per shopper message (tool rounds)

    @classmethod
    def from_config(cls, config: Any) -> ClaudeSettings:
        """Return the settings from an app's config mapping (`ANTHROPIC_*` keys)."""
        def get(name: str, default: Any) -> Any:
            value = config.get(name)
            return default if value in (None, "") else value

        return cls(
            model=str(get("ANTHROPIC_MODEL", DEFAULT_MODEL)),
            max_tokens=int(get("ANTHROPIC_MAX_TOKENS", 3000)),
            timeout_s=float(get("ANTHROPIC_TIMEOUT_S", 20.0)),
            max_retries=int(get("ANTHROPIC_MAX_RETRIES", 1)),
            thinking=str(get("ANTHROPIC_THINKING", "off")).lower() in ("on", "true", "1", "yes"),
            thinking_budget=int(get("ANTHROPIC_THINKING_BUDGET", 1024)),
            history_tokens=int(get("ANTHROPIC_HISTORY_TOKENS", 4000)),
            max_iterations=max(1, int(get("ANTHROPIC_MAX_ITERATIONS", 6))))
