"""The embedded agent: answers from the NLU, the shop's data and the knowledge base.

It needs no key and no network. It keeps a little memory in the conversation's context (the
order under discussion, an action awaiting the shopper's yes, what it asked for last) so that
multi-turn exchanges work, and it escalates to a person when it should not go on.
"""

from __future__ import annotations

import re

from automation.agents import AgentReply, Turn
from automation.agents.local import general
from automation.agents.local import orders as order_talk
from automation.agents.local.formatting import parse_address
from automation.agents.local.speaker import Speaker
from automation.tools.confirmation import is_no, is_yes

_QUESTION = re.compile(r"\b(what|how|when|which|can i|do you|is there|quel|quelle|comment|"
                       r"combien|est-ce|puis-je|qual|como|quanto|quando|posso|vocês|voces|"
                       r"policy|politique|politica|délai|delai|prazo)\b", re.I)
_ADDRESS = re.compile(r"\b(address|adresse|adress|morada|endereço|endereco)\b", re.I)
_STILL_NO_REFUND = re.compile(
    r"(still|toujours|ainda|jamais|never|nunca).{0,40}(refund|rembours|reembols|money|argent|"
    r"dinheiro)|(refund|rembours|reembols).{0,40}(not|pas|não|nao|never|jamais|nunca)", re.I)


class LocalAgent:
    """The default agent: specific, personal replies in the shopper's language."""

    name = "local"

    def reply(self, turn: Turn) -> AgentReply:
        """Answer one shopper message."""
        speaker = Speaker(turn)
        text = turn.message.body.strip()
        if not re.search(r"\w", text):
            return AgentReply(speaker.say("empty"), personalised=True, quick_replies=[
                speaker.button("qr_orders"), speaker.button("qr_person")])
        for step in (self._pending, self._awaiting, self._escalation, self._unsure):
            answer = step(turn, speaker)
            if answer is not None:
                return answer
        return self._by_intent(turn, speaker, turn.nlu.intent)

    # --- memory of the previous turn ------------------------------------------------------

    def _pending(self, turn: Turn, speaker: Speaker) -> AgentReply | None:
        pending = (turn.conversation.context or {}).get("pending")
        if not pending:
            return None
        body = turn.message.body
        if is_yes(body):
            number = pending["order"]
            if pending["action"] == "cancel_order":
                return order_talk.cancel_reply(turn, speaker, number)
            if pending["action"] == "change_address":
                result = turn.toolbox.change_address(number, pending.get("address") or {})
                if result.code == "ok":
                    order = result.data["order"]
                    from automation.agents.local.formatting import address_line

                    return AgentReply(speaker.say(
                        "address_done", address=address_line(order["shipping_address"]),
                        **speaker.order_values(order)), used_tool=True, personalised=True)
        if is_no(body):
            turn.toolbox.decline_pending()
            return AgentReply(speaker.say("declined"), personalised=True)
        turn.toolbox.forget("pending")  # they moved on: a later "yes" must not act on it
        return None

    def _awaiting(self, turn: Turn, speaker: Speaker) -> AgentReply | None:
        awaiting = (turn.conversation.context or {}).get("awaiting")
        if not awaiting:
            return None
        nlu = turn.nlu
        sure_of_something_else = nlu.confidence >= 0.85 and nlu.intent not in (
            "modify_order", "other", "order_status")
        if awaiting["what"] == "address":
            address = parse_address(turn.message.body)
            if address is not None:
                turn.toolbox.forget("awaiting")
                return order_talk.address_reply(turn, speaker, awaiting["order"], address)
            if not sure_of_something_else:
                return AgentReply(speaker.say("address_unparsed"), clarifying=True,
                                  personalised=True)
        elif awaiting["what"] == "order":
            numbers = nlu.entities.get("order_numbers") or []
            bare = re.fullmatch(r"\s*#?\s*(\d{5})\s*[.!]?\s*", turn.message.body)
            if not numbers and bare:
                # Asked "which order?", a bare 48213 can only mean the shop's CMD-48213.
                numbers = [f"CMD-{bare.group(1)}"]
            if numbers:
                turn.toolbox.forget("awaiting")
                return self._by_intent(turn, speaker, awaiting["intent"], number=numbers[0])
        turn.toolbox.forget("awaiting")
        return None

    # --- when to stop and call a person ---------------------------------------------------

    def _escalation(self, turn: Turn, speaker: Speaker) -> AgentReply | None:
        nlu = turn.nlu
        if nlu.intent == "human_agent" and nlu.confidence >= 0.5:
            return general.handoff_reply(turn, speaker, "shopper asked for a person")
        if nlu.frustrated or nlu.intent == "complaint" or self._refund_dispute(turn):
            return general.complaint_reply(turn, speaker,
                                           order_number=order_talk.resolve_order(turn))
        return None

    @staticmethod
    def _refund_dispute(turn: Turn) -> bool:
        return turn.nlu.intent == "return_refund" and bool(
            _STILL_NO_REFUND.search(turn.message.body))

    def _unsure(self, turn: Turn, speaker: Speaker) -> AgentReply | None:
        nlu = turn.nlu
        context = turn.conversation.context or {}
        if nlu.intent in ("greeting", "thanks") or nlu.confidence >= turn.settings.low_confidence:
            # "other" is not understanding either: only a real intent ends the streak.
            if context.get("low_streak") and nlu.intent != "other":
                turn.toolbox.forget("low_streak")
            return None
        # A clear knowledge-base hit is an answer even when the intent is unsure.
        answer = general.knowledge_reply(turn, speaker, strong=0.44)
        if answer is not None:
            turn.toolbox.forget("low_streak")
            return answer
        return self._not_understood(turn, speaker)

    # --- one handler per intent -----------------------------------------------------------

    def _by_intent(self, turn: Turn, speaker: Speaker, intent: str,
                   number: str | None = None) -> AgentReply:
        number = number or order_talk.resolve_order(turn)
        body = turn.message.body
        if intent == "greeting":
            said_before = any(m.sender == "ai" for m in turn.history)
            return AgentReply(speaker.say("greeting_again" if said_before else "greeting"),
                              personalised=True, quick_replies=[
                                  speaker.button("qr_orders"), speaker.button("qr_return"),
                                  speaker.button("qr_person")])
        if intent == "thanks":
            return AgentReply(speaker.say("thanks"), personalised=True)
        if intent == "order_status" or (intent == "delivery_info" and number):
            if number:
                return order_talk.status_reply(turn, speaker, number)
            return order_talk.ask_which_order(turn, speaker, "order_status")
        if intent == "cancel_order":
            if number:
                return order_talk.cancel_reply(turn, speaker, number)
            return order_talk.ask_which_order(turn, speaker, intent)
        if intent == "modify_order":
            if not number:
                return order_talk.ask_which_order(turn, speaker, intent)
            if _ADDRESS.search(body) or (turn.conversation.context or {}).get("awaiting"):
                return order_talk.address_reply(turn, speaker, number, parse_address(body))
            return order_talk.modify_reply(turn, speaker, number)
        if intent == "return_refund":
            explicit = bool(turn.nlu.entities.get("order_numbers"))
            if number and (explicit or not _QUESTION.search(body)):
                return order_talk.return_reply(turn, speaker, number)
            answer = general.knowledge_reply(turn, speaker) if _QUESTION.search(body) else None
            return answer or order_talk.ask_which_order(turn, speaker, intent)
        if intent == "invoice" and number:
            return order_talk.invoice_reply(turn, speaker, number)
        if intent == "newsletter":
            answer = general.newsletter_reply(turn, speaker)
            if answer is not None:
                return answer
        if intent == "product_info":
            answer = general.products_reply(turn, speaker)
            if answer is not None:
                return answer
        if intent == "feedback":
            turn.toolbox.open_ticket(title=body[:120] or "Feedback", description=body,
                                     category="feedback", priority="low")
            return AgentReply(speaker.say("feedback_thanks"), used_tool=True, personalised=True)
        answer = general.knowledge_reply(turn, speaker)
        if answer is not None:
            return answer
        if intent in ("invoice", "delivery_info"):
            return order_talk.ask_which_order(turn, speaker, intent)
        return self._not_understood(turn, speaker)  # nothing answered it

    def _not_understood(self, turn: Turn, speaker: Speaker) -> AgentReply:
        """Ask the shopper to say it again; the second time in a row, call a person."""
        context = turn.conversation.context or {}
        streak = int(context.get("low_streak", 0)) + 1
        if streak >= turn.settings.low_confidence_limit:
            turn.toolbox.forget("low_streak")
            return general.handoff_reply(turn, speaker, "the assistant did not understand twice")
        turn.toolbox.remember(low_streak=streak)
        return AgentReply(speaker.say("clarify"), clarifying=True, personalised=True,
                          quick_replies=[speaker.button("qr_orders"),
                                         speaker.button("qr_person")])
