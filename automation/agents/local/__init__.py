"""The embedded agent: answers from the NLU, the shop's data and the knowledge base.

It needs no key and no network. It keeps a little memory in the conversation's context (the
order under discussion, an action awaiting the shopper's yes, what it asked for last) so that
multi-turn exchanges work, and it escalates to a person when it should not go on.
"""

from __future__ import annotations

import re

from automation.agents import AgentReply, Turn
from automation.agents.local import general
from automation.orders import addresses
from automation.agents.local import orders as order_talk
from automation.agents.local.speaker import A_PERSON, A_RETURN, MY_ORDERS, Speaker
from automation.runtime.i18n import N_
from automation.orders.confirmation import NO, UNSURE, YES, reading

_QUESTION = re.compile(r"\b(what|how|when|which|can i|do you|is there|quel|quelle|comment|"
                       r"combien|est-ce|puis-je|qual|como|quanto|quando|posso|vocês|voces|"
                       r"policy|politique|politica|délai|delai|prazo)\b", re.I)
_ADDRESS = re.compile(r"\b(address|adresse|adress|morada|endereço|endereco)\b", re.I)
_STILL_NO_REFUND = re.compile(
    r"(still|toujours|ainda|jamais|never|nunca).{0,40}(refund|rembours|reembols|money|argent|"
    r"dinheiro)|(refund|rembours|reembols).{0,40}(not|pas|não|nao|never|jamais|nunca)", re.I)
# The read-back of each action waiting for a yes, asked again when the answer is unsure.
ASK_AGAIN = {
    "cancel_order": N_("Just to be sure, {name}: shall I cancel order {number}? Please answer "
                       "yes or no."),
    "change_address": N_("Just to be sure, {name}: shall I change the delivery address of "
                         "order {number}? Please answer yes or no."),
    "request_return": N_("Just to be sure, {name}: shall I register a return for order "
                         "{number}? Please answer yes or no."),
}


NOT_UNDERSTOOD = (
    N_("I'm not sure I understood, {name}. Is it about an order (tracking, cancellation, "
       "return), a payment, or a product?"),
    N_("Sorry {name}, could you say it another way? For example: \"where is my order\", \"I "
       "want to return an item\" or \"I wasn't charged correctly\"."))


class LocalAgent:
    """The default agent: specific, personal replies in the shopper's language."""

    name = "local"

    def reply(self, turn: Turn) -> AgentReply:
        """Answer one shopper message."""
        speaker = Speaker(turn)
        text = turn.message.body.strip()
        pending = self._pending(turn, speaker)  # a 👍 to a read-back is an answer too
        if pending is not None:
            return pending
        if not re.search(r"\w", text):
            return AgentReply(speaker.say(N_("I didn't get any text, {name}. What can I help "
                                             "you with?")),
                              personalised=True, resolution="asked",
                              quick_replies=[speaker.button(MY_ORDERS),
                                             speaker.button(A_PERSON)])
        for step in (self._awaiting, self._escalation, self._unsure):
            answer = step(turn, speaker)
            if answer is not None:
                return answer
        return self._by_intent(turn, speaker, turn.nlu.intent)

    # --- memory of the previous turn ------------------------------------------------------

    def _pending(self, turn: Turn, speaker: Speaker) -> AgentReply | None:
        pending = (turn.conversation.context or {}).get("pending")
        answer = reading(turn.message.body)
        if not pending:
            if answer in (YES, NO) and turn.nlu.intent in ("other", "thanks", "greeting"):
                return AgentReply(speaker.say(
                    N_("There is nothing waiting for your confirmation, {name}. What would you "
                       "like me to do?")), personalised=True, resolution="asked",
                    quick_replies=[speaker.button(MY_ORDERS), speaker.button(A_PERSON)])
            return None
        number = pending["order"]
        if answer == YES:
            if pending["action"] == "cancel_order":
                return order_talk.cancel_reply(turn, speaker, number)
            if pending["action"] == "request_return":
                return order_talk.return_reply(turn, speaker, number)
            if pending["action"] == "change_address":
                result = turn.toolbox.change_address(number, pending.get("address") or {})
                if result.code == "ok":
                    return order_talk.address_done(speaker, result.data["order"])
        if answer == NO:
            turn.toolbox.decline_pending()
            return AgentReply(speaker.say(
                N_("All right {name}, I haven't changed anything. Anything else I can do?"),
                N_("No problem, {name} — nothing has been changed.")), personalised=True)
        if answer == UNSURE and pending["action"] in ASK_AGAIN:
            # A question, a hedge or a "but" is not a yes: ask again, keep the action waiting.
            return AgentReply(speaker.say(ASK_AGAIN[pending["action"]], number=number),
                              personalised=True, quick_replies=speaker.yes_no(),
                              resolution="confirming")
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
            found = addresses.extract_address(turn.message.body)
            if found and not sure_of_something_else:
                draft = addresses.merge(awaiting.get("draft") or {}, found)
                turn.toolbox.forget("awaiting")
                return order_talk.address_reply(turn, speaker, awaiting["order"], draft)
            if not sure_of_something_else:
                return AgentReply(speaker.say(
                    N_("Sorry {name}, I couldn't read that as an address. Please write the "
                       "street and number, the postcode and the city.")),
                    clarifying=True, personalised=True, resolution="asked")
        elif awaiting["what"] == "order":
            numbers = nlu.entities.get("order_numbers") or []
            bare = re.fullmatch(r"\s*#?\s*(\d{3,})\s*[.!]?\s*", turn.message.body)
            if not numbers and bare:
                numbers = [bare.group(1)]  # asked "which order?": a bare number is one
            if numbers:
                turn.toolbox.forget("awaiting")
                if awaiting["intent"] == "complaint":
                    turn.toolbox.note_order(numbers[0])
                    return general.complaint_reply(turn, speaker)
                return self._by_intent(turn, speaker, awaiting["intent"], number=numbers[0])
        turn.toolbox.forget("awaiting")
        return None

    # --- when to stop and call a person ---------------------------------------------------

    def _escalation(self, turn: Turn, speaker: Speaker) -> AgentReply | None:
        nlu = turn.nlu
        if nlu.intent == "human_agent" and nlu.confidence >= 0.5:
            return general.handoff_reply(turn, speaker, "shopper asked for a person")
        if nlu.frustrated or nlu.intent == "complaint" or self._refund_dispute(turn):
            return general.complaint_reply(turn, speaker)
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
            text = speaker.say(N_("Hello again {name}! What else can I do for you?")) \
                if said_before else speaker.say(
                N_("Hello {name}! How can I help you today? I can check an order, help with a "
                   "return or answer a question about delivery or payment."),
                N_("Hi {name}, welcome back! What can I do for you — an order to track, a "
                   "return, a question?"))
            return AgentReply(text, personalised=True, quick_replies=[
                speaker.button(MY_ORDERS), speaker.button(A_RETURN), speaker.button(A_PERSON)])
        if intent == "thanks":
            return AgentReply(speaker.say(
                N_("You're welcome, {name}! Anything else I can help with?"),
                N_("My pleasure, {name}. Have a lovely day — I'm here if you need anything "
                   "else.")), personalised=True)
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
            if _ADDRESS.search(body) or addresses.extract_address(body).get("postcode"):
                return order_talk.address_reply(turn, speaker, number,
                                                addresses.extract_address(body))
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
            return AgentReply(speaker.say(N_("Thank you for your feedback, {name} — I've passed "
                                             "it on to the team.")),
                              used_tool=True, personalised=True)
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
            return general.handoff_reply(turn, speaker, "the assistant did not understand twice",
                                         resolution="not_understood")
        turn.toolbox.remember(low_streak=streak)
        return AgentReply(speaker.say(*NOT_UNDERSTOOD), clarifying=True, personalised=True, resolution="not_understood",
            quick_replies=[speaker.button(MY_ORDERS), speaker.button(A_PERSON)])
