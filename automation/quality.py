"""The quality score (0–100) of an AI reply, stored with it for the admin's review."""

from __future__ import annotations

from typing import Any


def score(*, confidence: float, used_tool: bool, knowledge_score: float | None,
          personalised: bool, language_match: bool, clarifying: bool,
          fallback: bool = False) -> int:
    """Score a reply: sure of the ask, grounded in data, personal, in the shopper's language."""
    if fallback:
        return 5
    grounding = 1.0 if used_tool else min(1.0, (knowledge_score or 0.0) / 0.6)
    total = (30 * max(0.0, min(confidence, 1.0))
             + 25 * grounding
             + 15 * personalised
             + 15 * language_match
             + 15 * (not clarifying))
    return int(round(max(0.0, min(total, 100.0))))


def breakdown(**parts: Any) -> dict[str, Any]:
    """Return the inputs of the score, stored beside it so a reviewer can see why."""
    return {name: (round(value, 3) if isinstance(value, float) else value)
            for name, value in parts.items()}
