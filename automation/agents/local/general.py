"""The local agent's other conversations: knowledge answers, products, complaints, escalation."""

from __future__ import annotations

from automation.agents import AgentReply, Turn
from automation.agents.local import formatting as fmt
from automation.agents.local.speaker import Speaker
from automation.policy import is_urgent

# A knowledge match at least this strong is an answer; below it, a guess.
KB_ANSWER = 0.28
KB_CATEGORY = {"delivery_info": "shipping", "return_refund": "returns_refunds",
               "payment": "payment", "account": "account", "invoice": "invoices",
               "product_info": "products", "place_order": None, "newsletter": "account"}


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
    turn.knowledge.use(best)
    return AgentReply(speaker.say("kb_intro", answer=best.answer), knowledge=best,
                      personalised=True)


def products_reply(turn: Turn, speaker: Speaker) -> AgentReply | None:
    """List matching products with price and stock, or None when nothing matches."""
    skus = turn.nlu.entities.get("products") or []
    result = turn.toolbox.search_products(turn.message.body, skus=skus, limit=3)
    if not result.ok:
        return None
    lines = []
    for product in result.data["products"]:
        stock = speaker.say("in_stock") if product["in_stock"] else speaker.say("out_of_stock")
        attributes = ", ".join(f"{v}" for k, v in (product.get("attributes") or {}).items()
                               if k in ("size", "colour", "color", "material"))
        detail = f" ({attributes})" if attributes else ""
        lines.append(f"{product['name']}{detail} — "
                     f"{fmt.money(product['price'], product['currency'], speaker.language)}, "
                     f"{stock}")
    return AgentReply(speaker.say("products_found", products="; ".join(lines)), used_tool=True,
                      personalised=True)


def handoff_reply(turn: Turn, speaker: Speaker, reason: str, *, prefix: str = ""
                  ) -> AgentReply:
    """Queue the conversation for a person and tell the shopper where they stand."""
    result = turn.toolbox.request_handoff(reason)
    position = result.data.get("position", 1)
    if result.code == "already":
        text = speaker.say("handoff_already", position=position)
    else:
        minutes = max(1, position * turn.settings.minutes_per_waiting)
        text = speaker.say("handoff", position=position, minutes=minutes)
    return AgentReply(f"{prefix} {text}".strip(), used_tool=True, personalised=True)


def complaint_reply(turn: Turn, speaker: Speaker, *, order_number: str | None) -> AgentReply:
    """Open a ticket for a complaint (urgent or high as the rules say) and hand over if hot."""
    nlu = turn.nlu
    title = turn.message.body.strip().splitlines()[0][:120] if turn.message.body.strip() \
        else "Complaint"
    if order_number:
        title = f"{order_number}: {title}"
    ticket = turn.toolbox.open_ticket(title=title, description=turn.message.body,
                                      category="complaint" if nlu.intent == "complaint"
                                      else nlu.intent)
    info = ticket.data["ticket"]
    if info["priority"] == "urgent":
        text = speaker.say("urgent_ticket", ticket=info["reference"])
    else:
        about = speaker.say("about_order", number=order_number) if order_number else ""
        text = speaker.say("complaint_ticket", ticket=info["reference"],
                           priority=_priority_word(info["priority"], speaker.language),
                           about=about)
    if nlu.frustrated or info["priority"] in ("urgent", "high") or is_urgent(turn.message.body):
        return handoff_reply(turn, speaker, reason=f"complaint ({info['priority']})",
                             prefix=text)
    return AgentReply(text, used_tool=True, personalised=True,
                      quick_replies=[speaker.button("qr_person")])


def _priority_word(priority: str, language: str) -> str:
    words = {"fr": {"urgent": "urgente", "high": "haute", "normal": "normale", "low": "basse"},
             "pt": {"urgent": "urgente", "high": "alta", "normal": "normal", "low": "baixa"},
             "en": {"urgent": "urgent", "high": "high", "normal": "normal", "low": "low"}}
    return words.get(language, words["en"])[priority]


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
    return AgentReply(speaker.say("newsletter_off" if stop else "newsletter_on"),
                      used_tool=True, personalised=True)
