"""Which thinking configuration a Claude model accepts, from its name.

Claude up to 4.5 takes manual thinking (`{"type": "enabled", "budget_tokens": N}`, with
1024 ≤ N < max_tokens); 4.6 deprecates it and 4.7 and later reject it, wanting
`{"type": "adaptive"}` with `output_config={"effort": …}`. Some adaptive-only models also
reject `{"type": "disabled"}`, so "off" sends no thinking parameter at all.
"""

from __future__ import annotations

import re
from typing import Any

MIN_BUDGET = 1024
_VERSION = re.compile(r"claude-(?:[a-z]+-)?(\d+)(?:[-.](\d{1,2})(?!\d))?")
# The effort an adaptive model is given for the budget a manual model would get.
_EFFORTS = ((2048, "low"), (8192, "medium"))


def model_version(model: str) -> tuple[int, int] | None:
    """Return (major, minor) from a model name ("claude-opus-4-5" → (4, 5)), None if absent."""
    match = _VERSION.search(model.lower())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def thinking_mode(model: str) -> str:
    """Return "manual", "adaptive" or "none": how this model thinks, if at all."""
    version = model_version(model)
    if version is None:
        return "adaptive"  # a name without a version (a preview): a model newer than ours
    if version < (3, 7):
        return "none"
    return "manual" if version <= (4, 5) else "adaptive"


def effort_for(budget: int) -> str:
    """Return the adaptive effort that matches a thinking budget in tokens."""
    return next((effort for limit, effort in _EFFORTS if budget <= limit), "high")


def thinking_params(model: str, *, enabled: bool, budget: int,
                    max_tokens: int) -> dict[str, Any]:
    """Return the `thinking` (and `output_config`) arguments to send, or {} for none."""
    if not enabled:
        return {}
    mode = thinking_mode(model)
    if mode == "adaptive":
        return {"thinking": {"type": "adaptive"},
                "output_config": {"effort": effort_for(budget)}}
    if mode == "manual" and max_tokens > MIN_BUDGET:
        budget = max(MIN_BUDGET, min(budget, max_tokens - 1))
        return {"thinking": {"type": "enabled", "budget_tokens": budget}}
    return {}  # the model cannot think, or max_tokens leaves no room to
