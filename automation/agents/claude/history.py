"""The conversation so far as Messages API turns: trimmed to a token budget, roles alternating.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from database.models import Message

CHARS_PER_TOKEN = 4  # a rough estimate, good enough to bound what we send
EMPTY = "(empty message)"


def estimate_tokens(text: str) -> int:
    """Return a rough token count for `text` (about four characters a token)."""
    return len(text) // CHARS_PER_TOKEN + 1


def _role_and_text(message: Message) -> tuple[str, str]:
    body = (message.body or "").strip()
    if message.direction == "in":
        return "user", body
    if message.sender == "agent":
        return "assistant", f"[a person from the support team wrote] {body}"
    return "assistant", body


def trim(history: Sequence[Message], *, budget_tokens: int) -> list[tuple[str, str]]:
    """Return the newest (role, text) pairs of `history` that fit the budget, oldest first."""
    kept: list[tuple[str, str]] = []
    used = 0
    for message in reversed(history):
        role, body = _role_and_text(message)
        if not body:
            continue
        cost = estimate_tokens(body)
        if used + cost > budget_tokens:
            if not kept and budget_tokens > 0:
                # The latest message alone is too long: keep its end rather than nothing.
                kept.append((role, "…" + body[-budget_tokens * CHARS_PER_TOKEN:]))
            break
        kept.append((role, body))
        used += cost
    return list(reversed(kept))


def conversation(history: Sequence[Message], current: str, *,
                 budget_tokens: int) -> list[dict[str, Any]]:
    """Return the messages to send: trimmed history, then the shopper's current message."""
    pairs = [*trim(history, budget_tokens=budget_tokens), ("user", current.strip() or EMPTY)]
    turns: list[dict[str, Any]] = []
    for role, text in pairs:
        if turns and turns[-1]["role"] == role:
            # The API wants user and assistant to alternate: same-role neighbours become one.
            turns[-1]["content"] = f"{turns[-1]['content']}\n\n{text}"
        else:
            turns.append({"role": role, "content": text})
    while turns and turns[0]["role"] != "user":
        turns.pop(0)  # the conversation sent must open with the shopper
    return turns
