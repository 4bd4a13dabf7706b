"""Multi-turn conversations with the local agent, in French, English and Portuguese."""

from __future__ import annotations

import pytest

from automation.runtime import i18n
from automation.agents.local import NOT_UNDERSTOOD
from automation.agents.local.orders import NOT_FOUND

from database import db
from database.models import Conversation, Event, Order, Ticket

LANGUAGES = ["fr", "en", "pt"]
ASK = {
    "status": {"fr": "Bonjour, où est ma commande {n} ?", "en": "Hi, where is my order {n}?",
               "pt": "Olá, onde está a minha encomenda {n}?"},
    "cancel": {"fr": "Je veux annuler la commande {n}", "en": "I want to cancel order {n}",
               "pt": "Quero cancelar a encomenda {n}"},
    "yes": {"fr": "oui", "en": "yes", "pt": "sim"},
    "no": {"fr": "non", "en": "no", "pt": "não"},
    "return": {"fr": "je voudrais retourner ma commande {n}, la taille ne va pas",
               "en": "I'd like to return my order {n}, the size is wrong",
               "pt": "queria devolver a encomenda {n}, o tamanho não serve"},
    "address": {"fr": "je dois changer l'adresse de livraison de la commande {n}",
                "en": "I need to change the delivery address of order {n}",
                "pt": "preciso de mudar a morada de entrega da encomenda {n}"},
    "human": {"fr": "je veux parler à un conseiller humain", "en": "I want to talk to a human",
              "pt": "quero falar com uma pessoa"},
    "angry": {"fr": "C'est INADMISSIBLE !!! colis reçu cassé, service nul, je vais porter "
                    "plainte avec mon avocat",
              "en": "This is RIDICULOUS!!! the parcel arrived broken, worst service ever, "
                    "my lawyer will hear about it",
              "pt": "Isto é um ABSURDO!!! a encomenda chegou partida, péssimo serviço, vou "
                    "falar com o meu advogado"},
    "complaint": {"fr": "Je suis très mécontent, le colis est arrivé abîmé et personne ne "
                        "répond, c'est nul !!!",
                  "en": "I'm really unhappy, the parcel arrived damaged and nobody answers, "
                        "this is terrible!!!",
                  "pt": "Estou muito insatisfeito, a encomenda chegou danificada e ninguém "
                        "responde, é péssimo!!!"},
    "hello": {"fr": "bonjour", "en": "hello", "pt": "olá"},
    "thanks": {"fr": "merci beaucoup", "en": "thanks a lot", "pt": "muito obrigado"},
    "gibberish": {"fr": "blorp zzkx wibble frotz", "en": "blorp zzkx wibble frotz",
                  "pt": "blorp zzkx wibble frotz"},
}
NAMES = {"fr": "Camille", "en": "Emma", "pt": "João"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_order_status_is_personal_and_specific(chat, shop, language):
    number = shop.orders[language]["shipped"]
    outcome = chat(language).say(ASK["status"][language].format(n=number))
    assert outcome.intent == "order_status" and outcome.language == language
    assert NAMES[language] in outcome.reply
    assert number in outcome.reply and "Colissimo" in outcome.reply
    assert db.session.get(Order, _order_id(number)).tracking_number in outcome.reply
    assert outcome.quality >= 70


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_order_number_lists_recent_orders_then_answers(chat, shop, language):
    conversation = chat(language)
    asked = conversation.say({"fr": "où en est ma commande ?", "en": "where is my order?",
                              "pt": "onde está a minha encomenda?"}[language])
    assert {q.value for q in asked.quick_replies} >= {shop.orders[language]["shipped"]}
    answer = conversation.say(shop.orders[language]["shipped"])
    assert "Colissimo" in answer.reply and NAMES[language] in answer.reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_cancellation_needs_the_shoppers_yes(chat, shop, language):
    number = shop.orders[language]["pending"]
    conversation = chat(language)
    readback = conversation.say(ASK["cancel"][language].format(n=number))
    assert number in readback.reply and readback.actions == []
    assert [q.value for q in readback.quick_replies] == [
        {"fr": "Oui", "en": "Yes", "pt": "Sim"}[language],
        {"fr": "Non", "en": "No", "pt": "Não"}[language]]
    assert _status(number) == "paid"
    done = conversation.say(ASK["yes"][language])
    assert done.actions == [{"type": "order.cancelled", "order": number}]
    assert _status(number) == "cancelled"
    assert db.session.query(Event).filter_by(kind="order.cancelled").count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_no_leaves_the_order_alone(chat, shop, language):
    number = shop.orders[language]["pending"]
    conversation = chat(language)
    conversation.say(ASK["cancel"][language].format(n=number))
    outcome = conversation.say(ASK["no"][language])
    assert outcome.actions == [] and _status(number) == "paid"
    conversation.say(ASK["yes"][language])  # a later yes confirms nothing any more
    assert _status(number) == "paid"


@pytest.mark.parametrize("language", LANGUAGES)
def test_cancellation_is_refused_after_shipping(chat, shop, language):
    number = shop.orders[language]["shipped"]
    conversation = chat(language)
    outcome = conversation.say(ASK["cancel"][language].format(n=number))
    assert number in outcome.reply and outcome.actions == []
    conversation.say(ASK["yes"][language])
    assert _status(number) == "shipped"


@pytest.mark.parametrize("language", LANGUAGES)
def test_return_inside_the_window_is_read_back_then_registered_on_yes(chat, shop, language):
    number = shop.orders[language]["recent"]
    conversation = chat(language)
    readback = conversation.say(ASK["return"][language].format(n=number))
    assert readback.actions == [] and number in readback.reply
    assert db.session.get(Order, _order_id(number)).return_requested_at is None
    done = conversation.say(ASK["yes"][language])
    assert done.actions[0] == {"type": "order.return_requested", "order": number}
    assert db.session.get(Order, _order_id(number)).return_requested_at is not None
    # A person follows up with the instructions: the ticket named in the reply exists.
    assert done.ticket is not None and done.ticket["reference"] in done.reply
    ticket = db.session.query(Ticket).filter_by(reference=done.ticket["reference"]).one()
    assert ticket.category == "return_refund" and number in ticket.title


@pytest.mark.parametrize("language", LANGUAGES)
def test_return_outside_the_window_is_refused(chat, shop, language):
    number = shop.orders[language]["old"]
    outcome = chat(language).say(ASK["return"][language].format(n=number))
    assert outcome.actions == [] and number in outcome.reply
    assert "30" in outcome.reply
    assert db.session.get(Order, _order_id(number)).return_requested_at is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_address_change_is_refused_after_shipping(chat, shop, language):
    number = shop.orders[language]["shipped"]
    before = dict(db.session.get(Order, _order_id(number)).shipping_address)
    outcome = chat(language).say(ASK["address"][language].format(n=number))
    assert number in outcome.reply and outcome.actions == []
    assert db.session.get(Order, _order_id(number)).shipping_address == before


@pytest.mark.parametrize("language, address", [
    ("fr", "15 rue Victor Hugo, 69003 Lyon"), ("en", "10 Baker Street, NW1 6XE London"),
    ("pt", "Rua Augusta 100, 1100-053 Lisboa")])
def test_address_change_before_shipping_is_read_back_then_applied(chat, shop, language,
                                                                  address):
    number = shop.orders[language]["pending"]
    conversation = chat(language)
    conversation.say(ASK["address"][language].format(n=number))
    readback = conversation.say(address)
    assert address.split(",")[0] in readback.reply and readback.actions == []
    done = conversation.say(ASK["yes"][language])
    assert done.actions == [{"type": "order.address_changed", "order": number}]
    stored = db.session.get(Order, _order_id(number)).shipping_address
    assert stored["line1"] == address.split(",")[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_someone_elses_order_reveals_nothing(chat, shop, language):
    conversation = chat(language)
    theirs = conversation.say(ASK["status"][language].format(n=shop.stranger_order))
    for secret in ("Chronopost", "XY123456789FR", "Marseille", "Zoé", "shipped", "expédiée"):
        assert secret not in theirs.reply
    nobody = chat(language, "email").say(ASK["status"][language].format(n="CMD-99999"))
    # Someone else's order gets exactly the answer of an order that does not exist.
    not_found = {i18n.text(language, msgid, name=NAMES[language], number="#")
                 for msgid in NOT_FOUND}
    assert theirs.reply.replace(shop.stranger_order, "#") in not_found
    assert nobody.reply.replace("CMD-99999", "#") in not_found
    cancel = conversation.say(ASK["cancel"][language].format(n=shop.stranger_order))
    conversation.say(ASK["yes"][language])
    assert cancel.actions == [] and _status(shop.stranger_order) == "shipped"


@pytest.mark.parametrize("language", LANGUAGES)
def test_asking_for_a_human_hands_off_with_a_summary(chat, shop, language):
    conversation = chat(language)
    conversation.say(ASK["status"][language].format(n=shop.orders[language]["shipped"]))
    outcome = conversation.say(ASK["human"][language])
    assert outcome.handoff and outcome.status == "waiting"
    assert "1" in outcome.reply
    event = db.session.query(Event).filter_by(kind="handoff.requested").one()
    summary = event.payload["summary"]
    assert summary["language"] == language
    assert summary["shopper"]["name"].startswith(NAMES[language])
    assert summary["orders_discussed"] == [shop.orders[language]["shipped"]]
    assert summary["actions_tried"][0]["tool"] == "lookup_order"
    assert summary["last_ask"] == ASK["human"][language]
    assert len(summary["sentiment_trend"]) == 2 and summary["intent"] == "human_agent"
    assert db.session.get(Conversation, outcome.conversation_id).status == "waiting"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_angry_legal_complaint_opens_an_urgent_ticket(chat, shop, language):
    outcome = chat(language).say(ASK["angry"][language])
    assert outcome.frustrated
    assert outcome.ticket is not None and outcome.ticket["priority"] == "urgent"
    assert outcome.ticket["reference"] in outcome.reply
    assert outcome.handoff
    ticket = db.session.query(Ticket).one()
    assert ticket.reference.startswith("TCK-") and ticket.sla_due_at is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_frustrated_complaint_opens_a_high_ticket(chat, shop, language):
    outcome = chat(language).say(ASK["complaint"][language])
    assert outcome.ticket is not None and outcome.ticket["priority"] == "high"
    assert db.session.query(Event).filter_by(kind="ticket.created").count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_greeting_and_thanks(chat, shop, language):
    conversation = chat(language)
    hello = conversation.say(ASK["hello"][language])
    assert hello.intent == "greeting" and NAMES[language] in hello.reply
    assert hello.quick_replies
    thanks = conversation.say(ASK["thanks"][language])
    assert thanks.intent == "thanks" and NAMES[language] in thanks.reply
    assert hello.reply != thanks.reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_understood_twice_asks_then_escalates(chat, shop, language):
    conversation = chat(language)
    first = conversation.say(ASK["gibberish"][language])
    clarifying = {i18n.text(language, msgid, name=NAMES[language]) for msgid in NOT_UNDERSTOOD}
    assert not first.handoff and first.reply in clarifying
    second = conversation.say("qwxz vbnm plok")
    assert second.handoff and second.status == "waiting"


@pytest.mark.parametrize("language, question, expected", [
    ("fr", "combien de temps prend la livraison ?", "2 à 4 jours"),
    ("en", "how long does delivery take?", "2 to 4 working days"),
    ("pt", "quanto tempo demora a entrega?", "4 a 6 dias"),
    ("pt", "que métodos de pagamento aceitam?", "MB Way"),
])
def test_knowledge_answers_in_the_shoppers_language(chat, shop, language, question, expected):
    outcome = chat(language).say(question)
    assert expected in outcome.reply
    from database.models import KnowledgeArticle

    used = db.session.query(KnowledgeArticle).filter(KnowledgeArticle.usage_count > 0).all()
    assert [a.language for a in used] == [language]


def test_the_order_under_discussion_is_remembered(chat, shop):
    conversation = chat("en")
    number = shop.orders["en"]["pending"]
    conversation.say(ASK["status"]["en"].format(n=number))
    readback = conversation.say("actually, can I cancel it?")
    assert number in readback.reply
    conversation.say("yes")
    assert _status(number) == "cancelled"


def _order_id(number: str) -> int:
    return db.session.query(Order.id).filter_by(number=number).scalar()


def _status(number: str) -> str:
    db.session.expire_all()
    return db.session.query(Order.status).filter_by(number=number).scalar()


def test_a_bare_number_answers_which_order(chat, shop):
    conversation = chat("fr")
    conversation.say("où en est ma commande ?")
    number = shop.orders["fr"]["shipped"]
    answer = conversation.say(number.removeprefix("CMD-"))
    assert number in answer.reply and "Colissimo" in answer.reply


def test_asking_about_two_orders_in_a_row_is_not_frustration(chat, shop):
    conversation = chat("en")
    first = conversation.say(ASK["status"]["en"].format(n=shop.orders["en"]["shipped"]))
    second = conversation.say(ASK["status"]["en"].format(n=shop.orders["en"]["recent"]))
    assert not first.frustrated and not second.frustrated and second.ticket is None
