"""The local agent's other conversations: knowledge answers, products, complaints, escalation."""

from __future__ import annotations

import math
import re
from datetime import datetime

from automation.agents import AgentReply, Turn
from automation.agents.local import orders as order_talk
from automation.agents.local.speaker import A_PERSON, Speaker
from automation.runtime import i18n
from automation.runtime.i18n import N_
from automation.tickets.policy import is_urgent

# A knowledge match at least this strong is an answer; below it, a guess.
KB_ANSWER = 0.28
KB_CATEGORY = {"delivery_info": "shipping", "return_refund": "returns_refunds",
               "payment": "payment", "account": "account", "invoice": "invoices",
               "product_info": "products", "place_order": None, "newsletter": "account"}
PRIORITY_WORDS = {"urgent": N_("urgent"), "high": N_("high"), "normal": N_("normal"),
                  "low": N_("low")}
# Where is it, when does it come: the order's status answers that even while escalating.
_WHEREABOUTS = re.compile(
    r"\b(arriv\w*|recei\w*|receb\w*|re[çc]u\w*|deliver\w*|livr\w*|entreg\w*|chegou|chegar|"
    r"where|o[uù]|onde|late|retard\w*|atras\w*|track\w*|suivi|seguimento|still|toujours|"
    r"ainda|yet|encore)\b", re.I)


def knowledge_reply(turn: Turn, speaker: Speaker, *, strong: float = KB_ANSWER
                    ) -> AgentReply | None:
    """Answer from the best knowledge-base article, or None when none matches well."""
    category = KB_CATEGORY.get(turn.nlu.intent)
    matches = turn.knowledge.search(turn.message.body, language=speaker.language, limit=3)
    if category:
        # Prefer an article of the intent's category when it is nearly as good.
        in_category = [m for m in matches if m.category == category]
        if in_category and matches and in_category[0].score >= matches[0].score * 0.8:
            matches = in_category
    if not matches or matches[0].score < strong:
        return None
    best = matches[0]
    turn.knowledge.use(best, question=turn.message)
    return AgentReply(speaker.say(N_("{name}, {answer}"), N_("{answer}"), answer=best.answer),
                      knowledge=best, personalised=True)


def products_reply(turn: Turn, speaker: Speaker) -> AgentReply | None:
    """List matching products with price and stock, or None when nothing matches."""
    skus = turn.nlu.entities.get("products") or []
    result = turn.toolbox.search_products(turn.message.body, skus=skus, limit=3)
    if not result.ok:
        return None
    lines = []
    for product in result.data["products"]:
        stock = speaker.say(N_("in stock")) if product["in_stock"] else \
            speaker.say(N_("out of stock"))
        attributes = ", ".join(f"{v}" for k, v in (product.get("attributes") or {}).items()
                               if k in ("size", "colour", "color", "material"))
        detail = f" ({attributes})" if attributes else ""
        lines.append(f"{product['name']}{detail} — "
                     f"{speaker.money(product['price'], product['currency'])}, {stock}")
    return AgentReply(speaker.say(N_("Here is what I found, {name}: {products}."),
                                  products="; ".join(lines)), used_tool=True,
                      personalised=True)


def handoff_reply(turn: Turn, speaker: Speaker, reason: str, *, prefix: str = "",
                  resolution: str = "handed_off") -> AgentReply:
    """Queue the conversation for a person and tell the shopper where they stand — and, when
    nobody from the team is there, that they can leave a message meanwhile."""
    from automation.conversations.away import LEAVE_A_MESSAGE

    result = turn.toolbox.request_handoff(reason)
    data = result.data
    position = data.get("position", 1)
    choices = []
    if data.get("team_away") and data.get("status") == "waiting":
        choices = [speaker.button(LEAVE_A_MESSAGE)]
        reopens = data.get("reopens_at")
        if not data.get("team_open") and reopens:
            text = speaker.say(N_("Our team is away right now, {name}: they are back {when}. "
                                  "You are number {position} in line and will get an answer "
                                  "then. You can also leave a message, and I'm still here for "
                                  "anything else."),
                               when=i18n.moment(datetime.fromisoformat(reopens),
                                                speaker.language),
                               position=position)
        else:
            text = speaker.say(N_("No one from our team is online right now, {name}. You are "
                                  "number {position} in line and someone will answer as soon "
                                  "as they are back. You can also leave a message, and I'm "
                                  "still here for anything else."), position=position)
    elif result.code == "already":
        text = speaker.say(N_("You're in line for a person, {name} (number {position}). "
                              "Meanwhile, I can still help with anything."), position=position)
    elif (data.get("minutes") or 0) <= 1 and position == 1 and data.get("minutes") is not None:
        text = speaker.say(N_("I'm passing you to a member of our team, {name}, with everything "
                              "we've said so you won't have to repeat yourself. You are next in "
                              "line: someone will be with you in a moment."))
    else:
        minutes = data.get("minutes") or max(1, position * turn.settings.minutes_per_waiting)
        text = speaker.say(N_("I'm passing you to a member of our team, {name}, with everything "
                              "we've said so you won't have to repeat yourself. You are number "
                              "{position} in line — about {minutes} minutes."),
                           position=position, minutes=minutes)
    return AgentReply(f"{prefix}\n\n{text}".strip(), used_tool=True, personalised=True,
                      resolution=resolution, quick_replies=choices)


def complaint_reply(turn: Turn, speaker: Speaker) -> AgentReply:
    """Open a ticket for a complaint (about the right order), hand over if hot, and still say
    what the desk knows of that order."""
    nlu = turn.nlu
    urgent = is_urgent(turn.message.body)
    number, candidates = _complained_order(turn)
    if number is None and len(candidates) > 1 and not (urgent or nlu.frustrated):
        # "My watch arrived broken" and two orders hold a watch: which one?
        return order_talk.ask_which_order(turn, speaker, "complaint", candidates=candidates)
    order = None
    if number is not None:
        lookup = turn.toolbox.lookup_order(number)
        # Only the shopper's own order goes into the ticket: never someone else's number.
        order = lookup.data["order"] if lookup.ok else None
    body = turn.message.body.strip()
    title = body.splitlines()[0][:120] if body else "Complaint"
    for named in turn.nlu.entities.get("order_numbers") or []:
        if order is None or named != order["number"]:
            title = title.replace(named, "…")  # another shopper's number stays out of tickets
    if order is not None:
        title = f"{order['number']}: {title}"
    ticket = turn.toolbox.open_ticket(title=title, description=turn.message.body,
                                      category="complaint" if nlu.intent == "complaint"
                                      else nlu.intent)
    info = ticket.data["ticket"]
    if info["priority"] == "urgent":
        text = speaker.say(N_("{name}, I've opened ticket {ticket} as urgent: the team will "
                              "look at it within {hours} hours."),
                           ticket=info["reference"], hours=_hours_left(info, turn.now))
    else:
        about = speaker.say(N_(" for order {number}"), number=order["number"]) if order else ""
        text = speaker.say(N_("I'm sorry, {name}. I've opened ticket {ticket} ({priority} "
                              "priority) so the team follows it up{about}."),
                           ticket=info["reference"], about=about,
                           priority=speaker.say(PRIORITY_WORDS[info["priority"]]))
    if order is not None and _asks_whereabouts(turn, order):
        # Escalating never withholds what the desk knows: where the order is.
        text = f"{order_talk.status_text(turn, speaker, order)}\n\n{text}"
    if nlu.frustrated or info["priority"] in ("urgent", "high") or urgent:
        return handoff_reply(turn, speaker, reason=f"complaint ({info['priority']})",
                             prefix=text)
    return AgentReply(text, used_tool=True, personalised=True,
                      quick_replies=[speaker.button(A_PERSON)])


def _complained_order(turn: Turn) -> tuple[str | None, list[dict]]:
    """Return the order a complaint is about, or the candidates when its item is ambiguous."""
    numbers = turn.nlu.entities.get("order_numbers") or []
    if numbers:
        return numbers[0], []
    candidates = order_talk.orders_by_item(turn)
    if len(candidates) == 1:
        return candidates[0]["number"], candidates
    if candidates:
        current = (turn.conversation.context or {}).get("current_order")
        if current in {c["number"] for c in candidates}:
            return current, candidates
        return None, candidates
    return order_talk.resolve_order(turn), []


def _asks_whereabouts(turn: Turn, order: dict) -> bool:
    if turn.nlu.intent in ("order_status", "delivery_info"):
        return True
    return order["status"] not in ("delivered", "returned") and bool(
        _WHEREABOUTS.search(turn.message.body))


def _hours_left(ticket: dict, now: datetime) -> int:
    due = ticket.get("sla_due_at")
    if not due:
        return 4
    seconds = (datetime.fromisoformat(due) - now).total_seconds()
    return max(1, math.ceil(seconds / 3600))


def newsletter_reply(turn: Turn, speaker: Speaker) -> AgentReply | None:
    """Subscribe or unsubscribe the shopper when that is clearly what they ask."""
    text = turn.message.body.lower()
    stop = any(w in text for w in ("unsubscribe", "désinscri", "desinscri", "stop", "plus recevoir",
                                   "cancelar a subscri", "cancelar subscri", "não quero receber",
                                   "nao quero receber", "remove me", "retirer", "désabonn",
                                   "desabonn", "descadastr"))
    start = any(w in text for w in ("subscribe me", "sign me up", "m'inscrire", "inscrivez",
                                    "abonner", "subscrever", "inscrever", "quero receber"))
    if not (stop or start) or (stop and start and "unsubscribe" not in text):
        return None
    turn.toolbox.set_newsletter(not stop)
    if stop:
        text = speaker.say(N_("Done, {name}: you're unsubscribed from our newsletter."))
    else:
        text = speaker.say(N_("Done, {name}: you're subscribed to our newsletter."))
    return AgentReply(text, used_tool=True, personalised=True)
