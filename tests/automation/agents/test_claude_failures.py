"""When Claude fails, the local agent answers within the same turn, an `agent.error` event
says why, nothing Claude's tool calls did survives, and a breaker stops calling a Claude that
keeps failing."""

from __future__ import annotations

import socket

import pytest

from automation.agents import EngineSettings
from automation.agents.breaker import CircuitBreaker
from automation.agents.claude import ClaudeAgent, ClaudeClient, ClaudeSettings
from automation.agents.fallback import FallbackAgent, breaker_state
from automation.agents.local import LocalAgent
from automation.runtime.desk import build_engine
from automation.conversations.engine import Engine
from automation.conversations.turns import Inbound, Outcome
from database import db
from database.models import Conversation, Event, Message, Order, Ticket
from tests.fakes.anthropic_api import (Answer, error, message, text, thinking,
                                       tool_use)


def claude_engine(base_url: str, **settings: object) -> Engine:
    return build_engine({"ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": base_url,
                         "ANTHROPIC_MAX_RETRIES": 0, "ANTHROPIC_MODEL": "claude-haiku-4-5",
                         **settings})


def say(engine: Engine, shopper, text_: str) -> Outcome:
    return engine.handle(Inbound(channel="api", customer_id=shopper.id, text=text_))


def kinds() -> list[str]:
    return [e.kind for e in db.session.query(Event).order_by(Event.id)]


def agent_error() -> dict:
    event = db.session.query(Event).filter_by(kind="agent.error").one()
    assert event.level == "error"
    return event.payload


def reply_usage(outcome: Outcome) -> dict:
    return db.session.get(Message, outcome.reply_message_id).meta["usage"]


def half_done() -> Answer:
    """Claude's first answer: a handoff and a ticket, before the failure that follows."""
    return message(tool_use("request_handoff", {"reason": "the shopper is upset"}),
                   tool_use("open_ticket", {"title": "Late order", "category": "complaint"}))


def assert_nothing_survived(outcome: Outcome) -> None:
    db.session.expire_all()
    conversation = db.session.get(Conversation, outcome.conversation_id)
    assert conversation.status == "ai" and "handoff" not in conversation.context
    assert db.session.query(Ticket).count() == 0
    assert not {"ticket.created", "handoff.requested"} & set(kinds())
    assert outcome.actions == [] and outcome.ticket is None and outcome.handoff is False


@pytest.mark.parametrize("failure, reason, error_type", [
    (error(401, "invalid x-api-key"), "auth", "authentication_error"),
    (error(429, "Number of request tokens has exceeded your rate limit"), "rate_limited",
     "rate_limit_error"),
    (error(529, "Overloaded"), "overloaded", "overloaded_error"),
    (error(500, "Internal server error"), "server_error", "api_error"),
    (error(404, "model: claude-sonnet-4-20250514"), "model_refused", "not_found_error"),
    (message(thinking("Nothing to say."), stop_reason="end_turn"), "malformed", None),
    (message(text("   ")), "malformed", None),
    (message(text("Your order is on its w"), stop_reason="max_tokens"), "malformed", None),
    (Answer(200, "<html>502 Bad Gateway</html>"), "malformed", "JSONDecodeError"),
], ids=["401", "429", "529", "500", "404", "no-text", "empty-text", "max-tokens", "not-json"])
def test_a_failed_claude_attempt_is_undone_and_the_local_agent_answers(
        app, shop, fake, failure, reason, error_type):
    engine = claude_engine(fake.url)
    number = shop.orders["en"]["shipped"]
    fake.answer(half_done(), failure)

    outcome = say(engine, shop.shoppers["en"], f"Where is my order {number}?")

    assert outcome.agent == "local" and number in outcome.reply and len(fake.requests) == 2
    payload = agent_error()
    assert payload["agent"] == "claude" and payload["reason"] == reason
    assert payload["fallback"] == "local"
    if error_type:
        assert payload["error_type"] == error_type
    if failure.status >= 400:
        assert payload["request_id"] == failure.headers["request-id"]
        assert payload["status"] == failure.status
    assert_nothing_survived(outcome)
    spent = reply_usage(outcome)
    assert spent["agent"] == "local" and spent["fallback_reason"] == reason
    assert spent["requests"] >= 1 and spent["input_tokens"] >= 1200  # the attempt was billed
    assert db.session.get(Message, outcome.reply_message_id).meta["agent"] == "local"


def test_a_slow_claude_times_out_and_the_local_agent_answers(app, shop, fake):
    engine = claude_engine(fake.url, ANTHROPIC_TIMEOUT_S=0.3)
    slow = message(text("too late"))
    slow.delay_s = 1.0  # longer than the client's timeout
    fake.answer(half_done(), slow)

    outcome = say(engine, shop.shoppers["fr"], "bonjour")

    assert outcome.agent == "local" and "Camille" in outcome.reply
    payload = agent_error()
    assert (payload["reason"], payload["error_type"]) == ("timeout", "APITimeoutError")
    assert_nothing_survived(outcome)


def test_an_unreachable_api_is_a_connection_failure(app, shop):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    engine = claude_engine(f"http://127.0.0.1:{port}")

    outcome = say(engine, shop.shoppers["pt"], "olá")

    assert outcome.agent == "local" and "João" in outcome.reply
    assert agent_error()["reason"] == "connection"


def test_a_claude_that_keeps_calling_tools_stops_at_the_iteration_bound(app, shop, fake):
    engine = claude_engine(fake.url, ANTHROPIC_MAX_ITERATIONS=3)
    number = shop.orders["en"]["recent"]
    fake.handler = lambda request: message(tool_use("lookup_order", {"order_number": number}))

    outcome = say(engine, shop.shoppers["en"], f"status of {number}?")

    assert len(fake.requests) == 3 and outcome.agent == "local"
    assert agent_error()["reason"] == "iteration_limit"
    assert reply_usage(outcome)["tools"] == ["lookup_order"] * 3


def test_a_yes_whose_claude_attempt_failed_is_completed_once_by_the_local_agent(
        app, shop, fake):
    engine = claude_engine(fake.url)
    number, shopper = shop.orders["en"]["pending"], shop.shoppers["en"]
    fake.answer(message(tool_use("cancel_order", {"order_number": number})),
                message(text(f"Emma, shall I cancel {number}?")))
    say(engine, shopper, f"please cancel order {number}")
    # Claude cancels, then the API fails: the cancellation is rolled back with the attempt…
    fake.reset().answer(message(tool_use("cancel_order", {"order_number": number})),
                        error(529, "Overloaded"))

    outcome = say(engine, shopper, "yes")

    # …and the local agent, seeing the same yes to the same read-back, cancels it once.
    assert outcome.agent == "local"
    assert outcome.actions == [{"type": "order.cancelled", "order": number}]
    assert db.session.query(Order.status).filter_by(number=number).scalar() == "cancelled"
    assert kinds().count("order.cancelled") == 1


class BuggyAgent:
    name = "claude"

    def reply(self, turn):
        turn.toolbox.request_handoff("about to crash")
        raise KeyError("a bug of ours")


def test_a_bug_in_the_primary_agent_is_an_internal_failure_undone_like_the_others(app, shop):
    agent = FallbackAgent(BuggyAgent(), LocalAgent(), CircuitBreaker())
    outcome = say(Engine(agent=agent), shop.shoppers["en"], "hello")
    assert outcome.agent == "local" and "Emma" in outcome.reply
    payload = agent_error()
    assert (payload["reason"], payload["error_type"]) == ("internal", "KeyError")
    assert_nothing_survived(outcome)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guarded(app, fake, clock) -> Engine:
    client = ClaudeClient(api_key="sk-ant-test", base_url=fake.url, max_retries=0)
    agent = FallbackAgent(ClaudeAgent(client, ClaudeSettings(model="claude-haiku-4-5")),
                          LocalAgent(), CircuitBreaker(threshold=3, cool_down_s=60, clock=clock))
    return Engine(agent=agent, settings=EngineSettings())


def test_the_breaker_opens_after_repeated_failures_then_lets_one_trial_through(
        guarded, shop, fake, clock):
    shopper = shop.shoppers["en"]
    fake.answer(*[error(529, "Overloaded") for _ in range(3)])
    for _ in range(3):
        assert say(guarded, shopper, "hello").agent == "local"
    assert kinds().count("agent.breaker_opened") == 1
    state = breaker_state(guarded.agent)
    assert (state["state"], state["failures"]) == ("open", 3) and state["opened_at"]

    clock.now += 30  # still cooling down: Claude is not called at all
    outcome = say(guarded, shopper, "hello again")
    assert len(fake.requests) == 3 and outcome.agent == "local"
    assert reply_usage(outcome)["fallback_reason"] == "breaker_open"

    clock.now += 31  # cooled down: one trial, which fails, so it opens again
    fake.answer(error(500))
    assert breaker_state(guarded.agent)["state"] == "half_open"
    assert say(guarded, shopper, "anyone there?").agent == "local"
    assert len(fake.requests) == 4 and kinds().count("agent.breaker_opened") == 2
    assert breaker_state(guarded.agent)["state"] == "open"

    clock.now += 61  # a successful trial closes it
    fake.answer(message(text("Hello Emma, how can I help with your orders?")))
    assert say(guarded, shopper, "hello?").agent == "claude"
    assert breaker_state(guarded.agent) | {"opened_at": None} == {
        "state": "closed", "failures": 0, "opened_at": None, "threshold": 3,
        "cool_down_s": 60}
    assert kinds().count("agent.breaker_closed") == 1


def test_the_status_endpoint_shows_the_breaker(database_url, fake, client):
    from automation.runtime.settings import TestConfig
    from web_app import create_app

    assert client.get("/api/status").json["agent_breaker"] is None
    claude_app = create_app(TestConfig(database_url, ANTHROPIC_API_KEY="sk-ant-test",
                                       ANTHROPIC_BASE_URL=fake.url))
    body = claude_app.test_client().get("/api/status").json
    assert body["agent"] == "claude" and body["agent_breaker"]["state"] == "closed"
    with claude_app.app_context():
        db.engine.dispose()


def test_a_refused_model_is_said_on_the_status_and_the_dashboard(database_url, fake, shop):
    from admin_app import create_app as create_admin
    from automation.runtime.settings import TestConfig
    from tests import factories
    from web_app import create_app

    settings = dict(ANTHROPIC_API_KEY="sk-ant-test", ANTHROPIC_BASE_URL=fake.url,
                    ANTHROPIC_MODEL="claude-sonnet-4-20250514", ANTHROPIC_MAX_RETRIES=0)
    claude_app = create_app(TestConfig(database_url, **settings))
    fake.answer(error(404, "model: claude-sonnet-4-20250514", error_type="not_found_error"))
    with claude_app.app_context():
        outcome = say(claude_app.extensions["engine"], shop.shoppers["en"], "hello")
        assert outcome.agent == "local"  # the shopper is answered anyway
    status = claude_app.test_client().get("/api/status").json
    assert status["agent_model"]["refused"] is True
    assert status["agent_model"]["model"] == "claude-sonnet-4-20250514"
    admin = create_admin(TestConfig(database_url, **settings))
    staff_client = admin.test_client()
    factories.staff(email="admin@demo.shop", role="admin")
    staff_client.post("/login", data={"email": "admin@demo.shop",
                                      "password": factories.PASSWORD})
    page = staff_client.get("/").get_data(as_text=True)
    assert 'id="claude-model"' in page and "claude-sonnet-4-20250514" in page
    fake.answer(message(text("Hello Emma!")))
    with claude_app.app_context():
        assert say(claude_app.extensions["engine"], shop.shoppers["en"], "hi").agent == "claude"
    assert claude_app.test_client().get("/api/status").json["agent_model"]["refused"] is False
    for each in (claude_app, admin):
        with each.app_context():
            db.engine.dispose()


def test_the_default_model_is_a_current_sonnet_the_sdk_knows():
    from typing import get_args

    from anthropic.resources.messages.messages import DEPRECATED_MODELS
    from anthropic.types.model_param import ModelParam

    from automation.agents.claude.settings import DEFAULT_MODEL
    from automation.runtime.settings import Config

    known = get_args(get_args(ModelParam)[0])
    assert DEFAULT_MODEL in known and "sonnet" in DEFAULT_MODEL
    assert DEFAULT_MODEL not in DEPRECATED_MODELS
    assert Config().ANTHROPIC_MODEL == DEFAULT_MODEL or "ANTHROPIC_MODEL" in __import__("os").environ
