"""The quality score (0–100) of an AI reply, and the reasons behind it, stored with the reply.

What a good reply is made of, out of 100:
- understanding (20): how sure the NLU was of the ask (its confidence);
- grounding (20): the reply rests on the shop's data (a tool answered) or on a strong
  knowledge-base article;
- resolution (30): how far it got with the ask — answered (30), a read-back awaiting the
  shopper's yes (27), handed to a person (21), a question to go on (15), "no such order" (9),
  not understood (0);
- personal (10): it speaks to this shopper about their own things;
- language (10): it is in the language the shopper wrote in;
- fresh (10): it does not repeat an earlier reply of the conversation.
A reply that repeats an earlier one scores at most 40; the polite apology sent when the agent
failed scores 5. The reasons name every part that was missing, for the admins' review.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

RESOLUTION = {"answered": 1.0, "confirming": 0.9, "handed_off": 0.7, "asked": 0.5,
              "not_found": 0.3, "not_understood": 0.0}
REPEAT_CAP, FALLBACK = 40, 5


def is_repeat(text: str, earlier: list[str]) -> bool:
    """Tell whether `text` says again what one of the `earlier` replies said."""
    plain = " ".join(text.casefold().split())
    for previous in earlier:
        before = " ".join(previous.casefold().split())
        if plain == before:
            return True
        matcher = SequenceMatcher(None, plain, before, autojunk=False)
        # The quick upper bounds rule most pairs out before the costly exact ratio.
        if matcher.real_quick_ratio() >= 0.9 and matcher.quick_ratio() >= 0.9 \
                and matcher.ratio() >= 0.9:
            return True
    return False


def score(*, confidence: float, used_tool: bool, knowledge_score: float | None,
          personalised: bool, language_match: bool, resolution: str, repeated: bool,
          fallback: bool = False) -> tuple[int, dict[str, Any]]:
    """Return the score of a reply and what it is made of (parts and reasons)."""
    if fallback:
        return FALLBACK, {"parts": {}, "reasons": ["fallback"]}
    grounding = 1.0 if used_tool else min(1.0, (knowledge_score or 0.0) / 0.6)
    parts = {
        "understanding": 20 * max(0.0, min(confidence, 1.0)),
        "grounding": 20 * grounding,
        "resolution": 30 * RESOLUTION.get(resolution, 0.5),
        "personal": 10.0 * personalised,
        "language": 10.0 * language_match,
        "fresh": 10.0 * (not repeated),
    }
    reasons = []
    if confidence < 0.7:
        reasons.append("low_confidence")
    if grounding < 0.5:
        reasons.append("not_grounded")
    if resolution != "answered":
        reasons.append(resolution)
    if not personalised:
        reasons.append("not_personal")
    if not language_match:
        reasons.append("wrong_language")
    total = sum(parts.values())
    if repeated:
        reasons.append("repeat")
        total = min(total, REPEAT_CAP)
    value = int(round(max(0.0, min(total, 100.0))))
    return value, {"parts": {name: round(part, 1) for name, part in parts.items()},
                   "reasons": reasons}
