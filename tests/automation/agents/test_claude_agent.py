"""The Claude agent, driven through the real `anthropic` SDK against a local fake of the
Messages API: what it sends, how tool calls reach the Toolbox, and that the shop's policy
holds whatever Claude asks for."""

from __future__ import annotations

import json

import pytest

from automation.agents.claude import ClaudeClient
from automation.runtime.desk import build_engine
from automation.conversations.engine import Engine
from automation.conversations.turns import Inbound, Outcome
from database import db
from database.models import Event, Message, Order
from tests.fakes.anthropic_api import (FakeAnthropic, error, message, text, thinking, tool_use,
                                       usage)

TOOL_NAMES = {"lookup_order", "list_orders", "cancel_order", "request_return", "change_address",
              "search_products", "search_knowledge", "open_ticket", "request_handoff",
              "decline_pending", "set_newsletter"}


def claude_engine(fake: FakeAnthropic, **settings: object) -> Engine:
    config = {"ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": fake.url,
              "ANTHROPIC_MAX_RETRIES": 0, "ANTHROPIC_MODEL": "claude-haiku-4-5",
              "RETURN_WINDOW_DAYS": 30, **settings}
    return build_engine(config)


@pytest.fixture
def engine(app, fake) -> Engine:
    return claude_engine(fake)


def say(engine: Engine, shopper, text_: str) -> Outcome:
    return engine.handle(Inbound(channel="api", customer_id=shopper.id, text=text_))


def tool_results(body: dict) -> list[dict]:
    """Return the tool_result blocks of a request's last (user) message."""
    return [b for b in body["messages"][-1]["content"] if b["type"] == "tool_result"]


def status_of(number: str) -> str:
    db.session.expire_all()
    return db.session.query(Order.status).filter_by(number=number).scalar()


def test_an_order_question_is_answered_from_a_lookup_order_call(engine, fake, shop):
    number = shop.orders["en"]["shipped"]
    final = f"Emma, your order {number} left with Colissimo and arrives tomorrow."
    fake.answer(
        message(thinking("The shopper wants a status: look the order up."),
                text("Let me check that order."),
                tool_use("lookup_order", {"order_number": number}, "toolu_01Status"),
                tokens=usage(1500, 120, cache_write=2100)),
        message(text(final), tokens=usage(1700, 60, cache_read=2100)))

    outcome = say(engine, shop.shoppers["en"], f"Where is my order {number}?")

    assert outcome.reply == final and outcome.agent == "claude"
    first, second = fake.requests
    assert first.headers["authorization"] == "Bearer sk-ant-test"
    body = first.body
    assert {t["name"] for t in body["tools"]} == TOOL_NAMES
    assert all(t["input_schema"]["type"] == "object" for t in body["tools"])
    assert "temperature" not in body and "top_p" not in body and "thinking" not in body
    assert body["model"] == "claude-haiku-4-5" and body["max_tokens"] == 3000
    static, context = body["system"]
    assert static["cache_control"] == {"type": "ephemeral"} and "cache_control" not in context
    assert "Demo Shop" in static["text"] and "within 30 days" in static["text"]
    assert "Emma" in context["text"] and number in context["text"]
    assert '"intent": "order_status"' in context["text"] and "Reply language: English" in \
        context["text"]
    assert body["messages"] == [{"role": "user", "content": f"Where is my order {number}?"}]
    # The assistant turn goes back unchanged (thinking and its signature), then the result.
    echoed = second.body["messages"][1]
    assert echoed["role"] == "assistant"
    assert echoed["content"][0] == {"type": "thinking", "signature": "EqQBCkgIARABGAIiQFake==",
                                    "thinking": "The shopper wants a status: look the order up."}
    (result,) = tool_results(second.body)
    assert result["tool_use_id"] == "toolu_01Status" and result["is_error"] is False
    order = json.loads(result["content"])["order"]
    assert order["number"] == number and order["status"] == "shipped"

    reply = db.session.get(Message, outcome.reply_message_id)
    spent = reply.meta["usage"]
    assert reply.meta["agent"] == "claude" and spent["agent"] == "claude"
    assert spent["model"] == "claude-haiku-4-5" and spent["requests"] == 2
    assert (spent["input_tokens"], spent["output_tokens"]) == (3200, 180)
    assert (spent["cache_creation_input_tokens"], spent["cache_read_input_tokens"]) == \
        (2100, 2100)
    # Haiku 4.5: $1 in, $5 out per million; cache writes 1.25×, reads 0.1×.
    assert spent["cost_usd"] == pytest.approx((3200 + 2100 * 1.25 + 2100 * 0.1 + 180 * 5) / 1e6)
    assert spent["tools"] == ["lookup_order"] and spent["latency_ms"] >= 0


@pytest.mark.parametrize("model, sent", [
    ("claude-opus-4-5", {"thinking": {"type": "enabled", "budget_tokens": 2000}}),
    ("claude-sonnet-4-6", {"thinking": {"type": "adaptive"},
                           "output_config": {"effort": "low"}}),
])
def test_thinking_is_configured_the_way_the_model_accepts(app, fake, shop, model, sent):
    engine = claude_engine(fake, ANTHROPIC_MODEL=model, ANTHROPIC_THINKING="on",
                           ANTHROPIC_THINKING_BUDGET=2000)
    fake.answer(message(thinking("Short greeting."), text("Hello Emma!")))
    assert say(engine, shop.shoppers["en"], "hello").reply == "Hello Emma!"
    body = fake.bodies[0]
    assert {key: body[key] for key in sent} == sent
    assert "output_config" in body if "output_config" in sent else "output_config" not in body


def test_another_shoppers_order_is_not_found_and_nothing_changes(engine, fake, shop):
    fake.answer(message(tool_use("cancel_order", {"order_number": shop.stranger_order})),
                message(text("Emma, I can't find that order among yours.")))

    outcome = say(engine, shop.shoppers["en"], f"Cancel order {shop.stranger_order} now")

    (result,) = tool_results(fake.bodies[1])
    data = json.loads(result["content"])
    assert data["code"] == "not_found" and "Marseille" not in result["content"]
    assert status_of(shop.stranger_order) == "shipped" and outcome.actions == []
    assert db.session.query(Event).filter_by(kind="order.cancelled").count() == 0


def test_a_shipped_order_cannot_be_cancelled_whatever_claude_asks(engine, fake, shop):
    number = shop.orders["fr"]["shipped"]
    fake.answer(message(tool_use("cancel_order", {"order_number": number, "reason": "urgent"})),
                message(text(f"Camille, la commande {number} est déjà expédiée.")))

    outcome = say(engine, shop.shoppers["fr"], f"Annulez la commande {number}")

    data = json.loads(tool_results(fake.bodies[1])[0]["content"])
    assert (data["code"], data["order"]["status"]) == ("not_allowed", "shipped")
    assert status_of(number) == "shipped" and outcome.actions == []


def test_a_cancellation_waits_for_the_shoppers_yes_on_a_later_message(engine, fake, shop):
    number, shopper = shop.orders["pt"]["pending"], shop.shoppers["pt"]
    ask = f"João, confirma que quer cancelar a encomenda {number} (59,80 €)?"
    fake.answer(  # Claude tries to cancel twice in the same turn as the shopper's request
        message(tool_use("cancel_order", {"order_number": number})),
        message(tool_use("cancel_order", {"order_number": number})),
        message(text(ask)))

    first = say(engine, shopper, f"Quero cancelar a encomenda {number}")

    codes = [json.loads(tool_results(body)[0]["content"])["code"] for body in fake.bodies[1:]]
    assert codes == ["needs_confirmation", "needs_confirmation"]
    assert status_of(number) == "paid" and first.actions == [] and first.reply == ask
    assert [q.label for q in first.quick_replies] == ["Sim", "Não"]

    fake.reset().answer(message(tool_use("cancel_order", {"order_number": number})),
                        message(text(f"Pronto, João: a encomenda {number} foi cancelada.")))
    second = say(engine, shopper, "sim")

    history = fake.bodies[0]["messages"]
    assert [m["role"] for m in history] == ["user", "assistant", "user"]
    assert history[1]["content"] == ask and history[2]["content"] == "sim"
    assert json.loads(tool_results(fake.bodies[1])[0]["content"])["code"] == "ok"
    assert status_of(number) == "cancelled"
    assert second.actions == [{"type": "order.cancelled", "order": number}]


@pytest.mark.parametrize("call, error", [
    (tool_use("delete_all_orders", {}), "Unknown tool 'delete_all_orders'"),
    (tool_use("lookup_order", {"order_number": 48213, "admin": True}), "Invalid arguments"),
    (tool_use("set_newsletter", {}), "subscribed: Field required"),
])
def test_an_unknown_tool_or_bad_arguments_come_back_as_an_error_result(engine, fake, shop,
                                                                       call, error):
    fake.answer(message(call), message(text("Emma, which order do you mean?")))

    outcome = say(engine, shop.shoppers["en"], "help with my order")

    (result,) = tool_results(fake.bodies[1])
    assert result["is_error"] is True and error in result["content"]
    assert result["tool_use_id"] == call["id"] and outcome.agent == "claude"


def test_a_knowledge_answer_counts_the_article_it_used(engine, fake, shop):
    from database.models import KnowledgeArticle

    fake.answer(message(tool_use("search_knowledge", {"query": "delivery time"})),
                message(text("Emma, standard delivery takes 2 to 4 working days.")))

    say(engine, shop.shoppers["en"], "How long does delivery take?")

    articles = json.loads(tool_results(fake.bodies[1])[0]["content"])["articles"]
    assert articles[0]["title"] == "How long does delivery take?"
    assert "Standard delivery takes 2 to 4" in fake.bodies[0]["system"][1]["text"]
    used = db.session.query(KnowledgeArticle).filter_by(title=articles[0]["title"]).one()
    assert used.usage_count == 1


def test_history_is_trimmed_to_its_budget_and_alternates(app, fake, shop):
    engine = claude_engine(fake, ANTHROPIC_HISTORY_TOKENS=30)
    shopper = shop.shoppers["en"]
    for index in range(3):
        fake.reset().answer(message(text(f"Answer number {index} " + "x" * 40)))
        say(engine, shopper, f"Question number {index} " + "y" * 40)
    sent = fake.bodies[0]["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    assert sent[0]["content"].startswith("Question number 1")
    assert sent[1]["content"].startswith("Answer number 1")


def test_one_retry_rides_out_an_overloaded_blip(app, fake, shop):
    engine = claude_engine(fake, ANTHROPIC_MAX_RETRIES=1)
    blip = error(529, "Overloaded")
    blip.headers["retry-after-ms"] = "10"  # the SDK waits what the API asks: keep it short
    fake.answer(blip, message(text("Hello Emma!")))

    outcome = say(engine, shop.shoppers["en"], "hello")

    assert outcome.agent == "claude" and len(fake.requests) == 2
    assert fake.requests[1].headers["x-stainless-retry-count"] == "1"
    assert db.session.query(Event).filter_by(kind="agent.error").count() == 0


def test_a_large_max_tokens_needs_no_streaming_with_our_timeout(fake):
    client = ClaudeClient(api_key="sk-ant-test", base_url=fake.url, max_retries=0)
    fake.answer(message(text("fine")))
    # The SDK refuses max_tokens > 21,333 without streaming unless a timeout is explicit.
    response = client.create(model="claude-haiku-4-5", max_tokens=40_000,
                             messages=[{"role": "user", "content": "hi"}])
    assert response.content[0].text == "fine"
    assert fake.requests[0].headers["x-stainless-read-timeout"] == "20.0"


def test_without_a_key_the_desk_keeps_the_local_agent(app):
    from automation.agents.local import LocalAgent

    assert isinstance(build_engine({"ANTHROPIC_API_KEY": None}).agent, LocalAgent)
    assert isinstance(build_engine({}).agent, LocalAgent)
