"""The turn's tools as Claude sees them: name → JSON schema, and how to call the Toolbox.

Arguments are validated here (pydantic models, from which the schemas are generated); an
unknown tool or bad arguments give Claude an `is_error` result to correct, never an
exception. What is *allowed* is not decided here: the Toolbox enforces the shop's policy.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from automation.agents import Turn
from automation.knowledge.search import Match
from automation.agents.results import ToolResult
from automation.agents.toolbox import Toolbox
from automation.tickets.tools import CATEGORIES

OrderNumber = Field(min_length=1, max_length=40,
                    description="The order number as the shopper or a tool gave it, "
                                "e.g. CMD-48213.")


class Args(BaseModel):
    """A tool's arguments; unknown keys are refused (Claude is told which ones exist)."""

    model_config = ConfigDict(extra="forbid")


class LookupOrder(Args):
    order_number: str | None = Field(None, max_length=40, description=(
        "The order number; leave it out for the shopper's latest order."))


class ListOrders(Args):
    limit: int = Field(5, ge=1, le=20, description="How many recent orders to list.")
    status: Literal["pending", "paid", "processing", "shipped", "delivered", "cancelled",
                    "returned"] | None = Field(None, description="Only orders in this status.")


class OrderAction(Args):
    order_number: str = OrderNumber
    reason: str | None = Field(None, max_length=500, description="The shopper's reason.")


class Address(Args):
    name: str | None = Field(None, max_length=200)
    line1: str = Field(min_length=1, max_length=200, description="Street and number.")
    line2: str | None = Field(None, max_length=200)
    postcode: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=100)
    country: str | None = Field(None, max_length=2, description="ISO 3166 code, e.g. FR.")


class ChangeAddress(Args):
    order_number: str = OrderNumber
    address: Address


class SearchProducts(Args):
    query: str = Field("", max_length=300, description="Words describing the product.")
    skus: list[str] | None = Field(None, max_length=10, description="Exact SKUs, if known.")
    limit: int = Field(5, ge=1, le=10)


class OpenTicket(Args):
    title: str = Field(min_length=1, max_length=300, description="One line for the team.")
    description: str = Field("", max_length=10000, description="What happened, in full.")
    category: Literal[CATEGORIES] = "other"  # type: ignore[valid-type]
    priority: Literal["low", "normal", "high", "urgent"] | None = Field(None, description=(
        "Leave out to let the shop's rules decide; they never go below their own floor."))


class RequestHandoff(Args):
    reason: str = Field(min_length=1, max_length=300, description="Why a person is needed.")


class NoArgs(Args):
    pass


class SetNewsletter(Args):
    subscribed: bool = Field(description="true to subscribe, false to unsubscribe.")


class SearchKnowledge(Args):
    query: str = Field(min_length=1, max_length=500, description="The question, in words.")


@dataclass(frozen=True)
class Tool:
    """One tool: what Claude is told, the arguments it must send, and the call it makes."""

    name: str
    description: str
    args: type[Args]
    call: Callable[[ClaudeTools, Any], ToolResult]


def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Return the model's JSON schema, inlined and without pydantic's noise (titles…)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def clean(node: Any) -> Any:
        if isinstance(node, list):
            return [clean(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return clean(defs[node["$ref"].rsplit("/", 1)[-1]])
        options = node.get("anyOf")
        if options and len(options) == 2 and {"type": "null"} in options:
            # Optional means "may be left out": show the real type only.
            merged = {**next(o for o in options if o != {"type": "null"}), **node}
            merged.pop("anyOf")
            merged.pop("default", None)
            return clean(merged)
        cleaned = {k: clean(v) for k, v in node.items() if k not in ("title", "properties")}
        if "properties" in node:  # property names are data, even one called "title"
            cleaned["properties"] = {k: clean(v) for k, v in node["properties"].items()}
        return cleaned

    return clean(schema)


class ClaudeTools:
    """The tools of one turn: runs Claude's tool calls and remembers what they used."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.called: list[str] = []
        self.codes: list[str] = []       # each call's result code (ok, needs_confirmation…)
        self.knowledge: Match | None = None

    def run(self, name: str, arguments: Any) -> tuple[str, bool]:
        """Run one tool call; return (the tool_result content, whether it is an error)."""
        tool = TOOLS.get(name)
        if tool is None:
            return (f"Unknown tool {name!r}. Available tools: {', '.join(TOOLS)}.", True)
        try:
            args = tool.args.model_validate(arguments if arguments is not None else {})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}"
                                 for e in exc.errors())
            return (f"Invalid arguments for {name}: {problems}", True)
        self.called.append(name)
        result = tool.call(self, args)
        self.codes.append(result.code)
        return result.to_json(), False

    # --- the calls ----------------------------------------------------------------------

    def search_knowledge(self, args: SearchKnowledge) -> ToolResult:
        """Return the best help articles for a question, in the reply language."""
        matches = self.turn.knowledge.search(args.query, language=self.turn.language, limit=3)
        if not matches:
            return ToolResult(False, "no_match")
        if self.knowledge is None:
            self.knowledge = matches[0]
        return ToolResult(True, "ok", {"articles": [
            {"title": m.title, "answer": m.answer, "category": m.category,
             "language": m.language, "score": m.score} for m in matches]})


def _box(turn_tools: ClaudeTools) -> Toolbox:
    return turn_tools.turn.toolbox


TOOLS: dict[str, Tool] = {tool.name: tool for tool in (
    Tool("lookup_order", "Look up one of the shopper's own orders (status, items, carrier, "
         "tracking, dates, address, return deadline, what can still be done). Another "
         "shopper's order or an unknown number gives not_found.", LookupOrder,
         lambda t, a: _box(t).lookup_order(a.order_number)),
    Tool("list_orders", "List the shopper's most recent orders, newest first.", ListOrders,
         lambda t, a: _box(t).list_orders(limit=a.limit, status=a.status)),
    Tool("cancel_order", "Cancel one of the shopper's orders (only pending or paid ones). "
         "The first call only reads the order back and answers needs_confirmation: tell the "
         "shopper exactly what would be cancelled and ask for a yes. Call again only when the "
         "shopper's latest message is that yes; the tool checks it.", OrderAction,
         lambda t, a: _box(t).cancel_order(a.order_number, reason=a.reason)),
    Tool("request_return", "Register a return for a delivered order within the return "
         "window. Like cancel_order: the first call answers needs_confirmation; call again "
         "when the shopper's latest message is their yes. Once registered, a ticket is opened "
         "and a person sends the return instructions: say so, with the ticket reference, and "
         "never invent labels, pages or delays.", OrderAction,
         lambda t, a: _box(t).request_return(a.order_number, reason=a.reason)),
    Tool("change_address", "Change the delivery address of an order that has not shipped. "
         "Like cancel_order: the first call answers needs_confirmation with the address read "
         "back; call again when the shopper's latest message is their yes.", ChangeAddress,
         lambda t, a: _box(t).change_address(a.order_number,
                                             a.address.model_dump(exclude_none=True))),
    Tool("search_products", "Search the catalogue (price, stock, attributes) by words or SKU.",
         SearchProducts, lambda t, a: _box(t).search_products(a.query, skus=a.skus,
                                                              limit=a.limit)),
    Tool("search_knowledge", "Search the shop's help articles (delivery, returns, payment, "
         "account…) and get their answers in the shopper's language.", SearchKnowledge,
         lambda t, a: t.search_knowledge(a)),
    Tool("open_ticket", "Open a ticket so the support team follows up (complaints, damaged "
         "or missing items, refund disputes, anything you cannot settle now).", OpenTicket,
         lambda t, a: _box(t).open_ticket(title=a.title, description=a.description,
                                          category=a.category, priority=a.priority)),
    Tool("request_handoff", "Hand the conversation to a person (queued, with a summary) when "
         "the shopper asks for one, is very unhappy, or you cannot help. The result gives "
         "their place in line and the estimated minutes; when team_away is true, say nobody "
         "from the team is there now (reopens_at: when they are back) and that they can write "
         "\"Leave a message\" to leave one.", RequestHandoff,
         lambda t, a: _box(t).request_handoff(a.reason)),
    Tool("decline_pending", "Drop the action waiting for the shopper's yes, when they say no "
         "or change their mind.", NoArgs, lambda t, a: _box(t).decline_pending()),
    Tool("set_newsletter", "Subscribe the shopper to the newsletter or unsubscribe them.",
         SetNewsletter, lambda t, a: _box(t).set_newsletter(a.subscribed)),
)}

# Sent with every request; built once so the cached prompt prefix never changes.
DEFINITIONS: list[dict[str, Any]] = [
    {"name": tool.name, "description": tool.description, "input_schema": _json_schema(tool.args)}
    for tool in TOOLS.values()]


def tool_definitions() -> list[dict[str, Any]]:
    """Return the tool definitions for the Messages API (a fresh copy)."""
    return json.loads(json.dumps(DEFINITIONS))
