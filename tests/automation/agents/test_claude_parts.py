"""The Claude agent's small parts, without a database or a server: which thinking a model
takes, what a reply costs, how history is trimmed, the breaker's states, the tool registry."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from automation.agents.breaker import CircuitBreaker
from automation.agents.claude.history import conversation, trim
from automation.agents.claude.pricing import cost_usd, prices
from automation.agents.claude.settings import ClaudeSettings
from automation.agents.claude.thinking import model_version, thinking_mode, thinking_params
from automation.agents.claude.tools import DEFINITIONS, ClaudeTools


@pytest.mark.parametrize("model, version, mode", [
    ("claude-sonnet-4-20250514", (4, 0), "manual"),
    ("claude-opus-4-1-20250805", (4, 1), "manual"),
    ("claude-3-7-sonnet-20250219", (3, 7), "manual"),
    ("claude-3-5-haiku-20241022", (3, 5), "none"),
    ("claude-haiku-4-5-20251001", (4, 5), "manual"),
    ("claude-sonnet-4-5", (4, 5), "manual"),
    ("claude-opus-4-6", (4, 6), "adaptive"),
    ("anthropic.claude-opus-4-6-v1", (4, 6), "adaptive"),
    ("claude-sonnet-4-6", (4, 6), "adaptive"),
    ("claude-opus-4-7", (4, 7), "adaptive"),
    ("claude-sonnet-5", (5, 0), "adaptive"),
    ("claude-opus-5-5", (5, 5), "adaptive"),
    ("claude-mythos-preview", None, "adaptive"),
])
def test_the_thinking_mode_follows_the_model_version(model, version, mode):
    assert model_version(model) == version and thinking_mode(model) == mode


@pytest.mark.parametrize("model, enabled, budget, max_tokens, expected", [
    ("claude-sonnet-4-20250514", False, 2048, 3000, {}),
    ("claude-opus-4-7", False, 2048, 3000, {}),  # never "disabled": 4.7+ reject it
    ("claude-sonnet-4-20250514", True, 2048, 3000,
     {"thinking": {"type": "enabled", "budget_tokens": 2048}}),
    ("claude-haiku-4-5", True, 500, 3000,
     {"thinking": {"type": "enabled", "budget_tokens": 1024}}),     # the API's minimum
    ("claude-haiku-4-5", True, 5000, 3000,
     {"thinking": {"type": "enabled", "budget_tokens": 2999}}),     # below max_tokens
    ("claude-haiku-4-5", True, 2048, 1000, {}),                      # no room to think
    ("claude-3-5-haiku-latest", True, 2048, 3000, {}),
    ("claude-sonnet-4-6", True, 1024, 3000,
     {"thinking": {"type": "adaptive"}, "output_config": {"effort": "low"}}),
    ("claude-opus-4-7", True, 4096, 3000,
     {"thinking": {"type": "adaptive"}, "output_config": {"effort": "medium"}}),
    ("claude-opus-5", True, 16000, 3000,
     {"thinking": {"type": "adaptive"}, "output_config": {"effort": "high"}}),
])
def test_thinking_params_are_what_the_model_accepts(model, enabled, budget, max_tokens,
                                                    expected):
    assert thinking_params(model, enabled=enabled, budget=budget,
                           max_tokens=max_tokens) == expected


def test_cost_is_estimated_from_the_token_counts():
    spent = {"input_tokens": 1000, "output_tokens": 200, "cache_creation_input_tokens": 2000,
             "cache_read_input_tokens": 4000}
    # Sonnet: $3 in, $15 out; cache write $3.75, cache read $0.30 per million tokens.
    assert cost_usd("claude-sonnet-4-20250514", spent) == pytest.approx(0.0147)
    assert prices("claude-opus-4-1") == (15.0, 75.0) and prices("claude-opus-4-6") == (5.0, 25.0)
    assert prices("claude-haiku-4-5") == (1.0, 5.0)
    assert cost_usd("claude-mythos-preview", spent) is None  # unknown price: not guessed


def _message(direction: str, body: str, sender: str | None = None):
    return SimpleNamespace(direction=direction, body=body,
                           sender=sender or ("customer" if direction == "in" else "ai"))


def test_history_keeps_the_newest_messages_within_the_budget():
    history = [_message("in", "a" * 400), _message("out", "b" * 400), _message("in", "c" * 40),
               _message("out", "d" * 40)]
    assert [text[0] for _, text in trim(history, budget_tokens=30)] == ["c", "d"]
    assert [role for role, _ in trim(history, budget_tokens=1000)] == [
        "user", "assistant", "user", "assistant"]
    (only,) = trim([_message("in", "x" * 400 + "END")], budget_tokens=10)
    assert only[1].endswith("END") and len(only[1]) == 41


def test_history_becomes_alternating_turns_that_open_with_the_shopper():
    history = [_message("out", "Welcome!"), _message("in", "first"), _message("in", "second"),
               _message("out", "Answer"), _message("out", "Taking over", sender="agent"),
               _message("in", "   ")]
    sent = conversation(history, "and now?", budget_tokens=1000)
    assert sent == [
        {"role": "user", "content": "first\n\nsecond"},
        {"role": "assistant",
         "content": "Answer\n\n[a person from the support team wrote] Taking over"},
        {"role": "user", "content": "and now?"}]
    assert conversation([], "  ", budget_tokens=100) == [
        {"role": "user", "content": "(empty message)"}]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_lets_a_single_trial_through_when_half_open():
    clock = Clock()
    breaker = CircuitBreaker(threshold=2, cool_down_s=10, clock=clock)
    assert breaker.allow() and not breaker.record_failure()
    assert breaker.record_failure() and not breaker.allow()
    clock.now = 10
    allowed = []
    threads = [threading.Thread(target=lambda: allowed.append(breaker.allow()))
               for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 1 and breaker.state()["state"] == "half_open"
    assert breaker.record_success() and breaker.state()["state"] == "closed"
    assert breaker.allow() and not breaker.record_success()


def test_a_trial_that_never_reports_back_is_given_up_after_a_cool_down():
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cool_down_s=10, clock=clock)
    breaker.record_failure()
    clock.now = 10
    assert breaker.allow() and not breaker.allow()
    clock.now = 20
    assert breaker.allow()


def test_every_tool_has_an_object_schema_and_a_description():
    for definition in DEFINITIONS:
        schema = definition["input_schema"]
        assert schema["type"] == "object" and definition["description"]
        assert "title" not in schema and "$defs" not in str(schema)
    schemas = {d["name"]: d["input_schema"] for d in DEFINITIONS}
    assert schemas["open_ticket"]["required"] == ["title"]
    assert schemas["change_address"]["properties"]["address"]["required"] == [
        "line1", "postcode", "city"]


def test_bad_tool_calls_are_error_results_not_exceptions():
    tools = ClaudeTools(turn=None)  # never reached: the call is refused before
    assert tools.run("drop_table", {}) == (
        "Unknown tool 'drop_table'. Available tools: lookup_order, list_orders, cancel_order, "
        "request_return, change_address, search_products, search_knowledge, open_ticket, "
        "request_handoff, decline_pending, set_newsletter.", True)
    content, is_error = tools.run("cancel_order", "CMD-1")
    assert is_error and content.startswith("Invalid arguments for cancel_order")
    content, is_error = tools.run("list_orders", {"limit": 500})
    assert is_error and "limit" in content and tools.called == []


def test_settings_come_from_the_config_mapping():
    settings = ClaudeSettings.from_config({"ANTHROPIC_THINKING": "on",
                                           "ANTHROPIC_TIMEOUT_S": "7.5",
                                           "ANTHROPIC_MODEL": ""})
    assert settings.thinking and settings.timeout_s == 7.5
    assert settings.model == "claude-sonnet-5-5" and settings.max_tokens == 3000
    assert not ClaudeSettings.from_config({}).thinking
