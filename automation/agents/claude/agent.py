"""The Claude agent: the same tools and policy as the local agent, driven by the Messages API.

One shopper message is a short tool-use loop: Claude answers with tool calls, the Toolbox runs
them (and enforces the policy), their results go back, until Claude writes the reply or the
iteration bound is hit. Any failure is raised as `AgentFailure` with what it cost so far.
"""

from __future__ import annotations

import time
from typing import Any

from automation.agents import AgentReply, Turn
from automation.agents.claude.client import ClaudeClient
from automation.agents.claude.history import conversation
from automation.agents.claude.pricing import TOKEN_FIELDS, cost_usd
from automation.agents.claude.prompt import Context, system_blocks, turn_context
from automation.agents.claude.settings import ClaudeSettings
from automation.agents.claude.thinking import thinking_params
from automation.agents.claude.tools import ClaudeTools, tool_definitions
from automation.agents.failure import AgentFailure
from automation.runtime import i18n
from automation.agents.local.speaker import NO, YES
from automation.knowledge.search import Match
from automation.orders.confirmation import is_no, is_yes
from automation.conversations.turns import QuickReply

KB_USED = 0.30  # a help article shown in the prompt this strong is taken as the one used
FINAL_STOPS = ("end_turn", "stop_sequence")
ORDER_TOOLS = ("lookup_order", "list_orders", "cancel_order", "request_return",
               "change_address")


class Tally:
    """Tokens, requests and time spent on one shopper message."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.tokens = dict.fromkeys(TOKEN_FIELDS, 0)
        self.requests = 0
        self.request_ids: list[str] = []
        self.started = time.perf_counter()

    def add(self, response: Any) -> None:
        """Count one Messages API response."""
        self.requests += 1
        usage = getattr(response, "usage", None)
        for name in TOKEN_FIELDS:
            self.tokens[name] += int(getattr(usage, name, 0) or 0)
        request_id = getattr(response, "_request_id", None)
        if request_id:
            self.request_ids.append(request_id)

    def summary(self, **extra: Any) -> dict[str, Any]:
        """Return the accounting stored on the reply message (`meta["usage"]`)."""
        return {"model": self.model, "requests": self.requests, **self.tokens,
                "latency_ms": int((time.perf_counter() - self.started) * 1000),
                "cost_usd": cost_usd(self.model, self.tokens) if self.requests else 0.0,
                "request_ids": self.request_ids, **extra}


class ClaudeAgent:
    """Answers a turn with Claude, calling the turn's Toolbox through tool use."""

    name = "claude"

    def __init__(self, client: ClaudeClient, settings: ClaudeSettings | None = None) -> None:
        self.client = client
        self.settings = settings or ClaudeSettings()

    def reply(self, turn: Turn) -> AgentReply:
        """Answer one shopper message (raises `AgentFailure` when Claude cannot)."""
        settings = self.settings
        model = turn.settings.claude_model or settings.model  # an admin's choice wins
        tally = Tally(model)
        tools = ClaudeTools(turn)
        try:
            _drop_stale_confirmation(turn)
            context = turn_context(turn)
            params: dict[str, Any] = {
                "model": model, "max_tokens": settings.max_tokens,
                "system": system_blocks(turn, context), "tools": tool_definitions(),
                **thinking_params(model, enabled=settings.thinking,
                                  budget=settings.thinking_budget,
                                  max_tokens=settings.max_tokens)}
            messages = conversation(turn.history, turn.message.body,
                                    budget_tokens=settings.history_tokens)
            for _ in range(settings.max_iterations):
                response = self.client.create(messages=messages, timeout_s=_time_left(turn),
                                              **params)
                tally.add(response)
                blocks = _blocks(response)
                if response.stop_reason != "tool_use":
                    return self._answer(turn, response, blocks, tools, context, tally)
                calls = [b for b in blocks if b.type == "tool_use"]
                if not calls or any(not (b.id and b.name) for b in calls):
                    raise AgentFailure("malformed", "stop_reason tool_use without a tool call")
                # Echoed as received: thinking blocks must come back with their signatures.
                messages.append(response.to_param())
                messages.append({"role": "user",
                                 "content": [_run(tools, block) for block in calls]})
            raise AgentFailure("iteration_limit",
                               f"still calling tools after {settings.max_iterations} requests")
        except AgentFailure as failure:
            failure.usage = tally.summary(tools=tools.called)
            raise
        except Exception as exc:  # noqa: BLE001 - a bug of ours still cost tokens: keep them
            raise AgentFailure("internal", str(exc)[:300], error_type=type(exc).__name__,
                               usage=tally.summary(tools=tools.called)) from exc

    def _answer(self, turn: Turn, response: Any, blocks: list[Any], tools: ClaudeTools,
                context: Context, tally: Tally) -> AgentReply:
        if response.stop_reason not in FINAL_STOPS:
            raise AgentFailure("malformed", f"stop_reason {response.stop_reason}")
        text = "\n\n".join(b.text.strip() for b in blocks
                           if b.type == "text" and isinstance(b.text, str)).strip()
        if not text:
            raise AgentFailure("malformed", "no text in the final answer")
        knowledge = tools.knowledge or _strong(context.matches)
        if knowledge is not None:
            turn.knowledge.use(knowledge, question=turn.message)
        first_name = (turn.customer.first_name or "").lower()
        return AgentReply(
            text, quick_replies=_confirm_buttons(turn, tools), knowledge=knowledge,
            used_tool=bool(tools.called),
            personalised=bool(first_name and first_name in text.lower())
            or any(name in ORDER_TOOLS for name in tools.called),
            clarifying=not tools.called and text.endswith("?"), agent=self.name,
            usage=tally.summary(agent=self.name, tools=tools.called))


def _drop_stale_confirmation(turn: Turn) -> None:
    """Forget an action awaiting a yes when this message is neither a yes nor a no."""
    pending = (turn.conversation.context or {}).get("pending")
    body = turn.message.body
    if pending and pending.get("asked_in", 0) < turn.message.id \
            and not (is_yes(body) or is_no(body)):
        turn.toolbox.forget("pending")  # they moved on: a later "yes" must not act on it


def _time_left(turn: Turn) -> float | None:
    """Return the seconds left before the turn's deadline (None when it has none)."""
    if turn.deadline is None:
        return None
    left = turn.deadline - time.monotonic()
    if left <= 0:
        raise AgentFailure("timeout", "the turn's deadline passed")
    return left


def _blocks(response: Any) -> list[Any]:
    content = getattr(response, "content", None)
    if not isinstance(content, list) or not all(hasattr(b, "type") for b in content):
        raise AgentFailure("malformed", "the response has no content blocks")
    return content


def _run(tools: ClaudeTools, block: Any) -> dict[str, Any]:
    content, is_error = tools.run(block.name, block.input)
    return {"type": "tool_result", "tool_use_id": block.id, "content": content,
            "is_error": is_error}


def _strong(matches: list[Match]) -> Match | None:
    return matches[0] if matches and matches[0].score >= KB_USED else None


def _confirm_buttons(turn: Turn, tools: ClaudeTools) -> list[QuickReply]:
    """Offer yes/no buttons when a tool has just asked for the shopper's confirmation."""
    if "needs_confirmation" not in tools.codes:
        return []
    words = [i18n.text(turn.language, msgid) for msgid in (YES, NO)]
    return [QuickReply(label=word, value=word) for word in words]
