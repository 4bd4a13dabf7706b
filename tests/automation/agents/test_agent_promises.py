"""What the agent says must be true of this shop, and what it does must be what was asked:
figures from data and settings only, returns and cancellations only on a clear yes, the
address inside a sentence, the answer kept when escalating, the right order for a complaint,
and a quality score that drops when a reply does not help. French, English and Portuguese."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from automation.runtime import i18n
from database import db
from database.models import Order, Ticket
from tests import factories
from tests.automation.conftest import NOW

LANGUAGES = ["fr", "en", "pt"]
YES = {"fr": "oui", "en": "yes", "pt": "sim"}
CANCEL = {"fr": "Je veux annuler la commande {n}", "en": "I want to cancel order {n}",
          "pt": "Quero cancelar a encomenda {n}"}
RETURN = {"fr": "je voudrais retourner ma commande {n}", "en": "I'd like to return order {n}",
          "pt": "queria devolver a encomenda {n}"}
STATUS = {"fr": "où est ma commande {n} ?", "en": "where is my order {n}?",
          "pt": "onde está a minha encomenda {n}?"}


def _order(number: str) -> Order:
    db.session.expire_all()
    return db.session.query(Order).filter_by(number=number).one()


def _facts(order: Order, language: str, *extra: object) -> str:
    """Everything numeric the shop knows about an order, written as the reply writes it."""
    values = [order.number, order.tracking_number or "", i18n.money(order.total, order.currency,
                                                                      language)]
    for when in (order.placed_at, order.shipped_at, order.delivered_at, order.cancelled_at,
                 order.return_requested_at, order.estimated_delivery):
        if when is not None:
            values.append(i18n.day(when, language))
    if order.delivered_at is not None:
        values.append(i18n.day(order.delivered_at + timedelta(days=30), language))
    values += [str(item.get("quantity", 1)) for item in order.items]
    values += [str(value) for value in extra]
    return " ".join(values)


def _figures(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_figure_in_an_order_reply_comes_from_the_shops_data(chat, shop, language):
    orders = shop.orders[language]
    window = 30
    conversation = chat(language)
    said = []
    for kind in ("pending", "shipped", "recent", "old"):
        said.append((orders[kind], conversation.say(STATUS[language].format(n=orders[kind]))))
    said.append((orders["pending"], conversation.say(CANCEL[language].format(n=orders["pending"]))))
    said.append((orders["pending"], conversation.say(YES[language])))
    said.append((orders["recent"], conversation.say(RETURN[language].format(n=orders["recent"]))))
    said.append((orders["recent"], conversation.say(YES[language])))
    said.append((orders["old"], conversation.say(RETURN[language].format(n=orders["old"]))))
    for number, outcome in said:
        ticket = outcome.ticket["reference"] if outcome.ticket else ""
        allowed = _figures(_facts(_order(number), language, window, ticket))
        assert _figures(outcome.reply) <= allowed, outcome.reply
        # No step on a page the shop does not have.
        for invented in ("Return items", "Download invoice", "QR", "prepaid label"):
            assert invented not in outcome.reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_return_waits_for_a_clear_yes(chat, shop, language):
    number = shop.orders[language]["recent"]
    conversation = chat(language)
    conversation.say(RETURN[language].format(n=number))
    unsure = {"fr": "oui mais attends", "en": "yes but wait", "pt": "sim, mas espera"}[language]
    again = conversation.say(unsure)
    assert number in again.reply and again.actions == []
    assert _order(number).return_requested_at is None
    done = conversation.say(YES[language])
    assert done.actions[0]["type"] == "order.return_requested"


HESITANT = {
    "en": ["ok wait", "yes but wait", "ok why?", "sure?", "yes?", "right", "s", "si",
           "ok whatever", "hmm"],
    "fr": ["oui mais attends", "oui ?", "d'accord mais pourquoi ?", "euh", "peut-être",
           "ok attends"],
    "pt": ["sim, mas espera", "sim?", "talvez", "ok mas porquê?", "não sei", "hum"],
}
CLEAR = {"en": ["yes", "yes please", "ok", "yes, go ahead", "👍"],
         "fr": ["oui", "oui vas-y", "d'accord", "oui, annulez-la"],
         "pt": ["sim", "sim, pode cancelar", "claro", "confirmo"]}


@pytest.mark.parametrize("language, answer",
                         [(lang, a) for lang, answers in HESITANT.items() for a in answers])
def test_a_hesitant_answer_asks_again_and_cancels_nothing(chat, shop, language, answer):
    number = shop.orders[language]["pending"]
    conversation = chat(language)
    conversation.say(CANCEL[language].format(n=number))
    outcome = conversation.say(answer)
    assert outcome.actions == [] and _order(number).status == "paid"
    assert number in outcome.reply  # the question again, in the shopper's language
    assert outcome.language == language


@pytest.mark.parametrize("language, answer",
                         [(lang, a) for lang, answers in CLEAR.items() for a in answers])
def test_a_clear_yes_cancels(chat, shop, language, answer):
    number = shop.orders[language]["pending"]
    conversation = chat(language)
    conversation.say(CANCEL[language].format(n=number))
    outcome = conversation.say(answer)
    assert outcome.actions == [{"type": "order.cancelled", "order": number}]


@pytest.mark.parametrize("language, sentence, street, postcode, city", [
    ("pt", "Quero mudar a morada da encomenda {n} para Rua Augusta 100, 1100-053 Lisboa",
     "Rua Augusta 100", "1100-053", "Lisboa"),
    ("fr", "Je voudrais changer l'adresse de livraison de la commande {n} pour le 15 rue "
           "Victor Hugo, 69003 Lyon", "15 rue Victor Hugo", "69003", "Lyon"),
    ("en", "Please change the delivery address of order {n} to 22 Oxford Road, Manchester "
           "M1 5QA", "22 Oxford Road", "M1 5QA", "Manchester"),
])
def test_the_address_is_taken_out_of_the_sentence(chat, shop, language, sentence, street,
                                                  postcode, city):
    number = shop.orders[language]["pending"]
    conversation = chat(language)
    readback = conversation.say(sentence.format(n=number))
    assert street in readback.reply and postcode in readback.reply
    assert sentence.split()[0] not in readback.reply.split(street)[0][-60:]
    conversation.say(YES[language])
    stored = _order(number).shipping_address
    assert (stored["line1"], stored["postcode"], stored["city"]) == (street, postcode, city)


@pytest.mark.parametrize("language, first, rest", [
    ("en", "I need to change the delivery address of order {n} to 10 Baker Street",
     "NW1 6XE London"),
    ("fr", "je dois changer l'adresse de livraison de la commande {n} : 8 avenue Jean Jaurès",
     "75019 Paris"),
    ("pt", "preciso de mudar a morada de entrega da encomenda {n} para Rua das Flores 12",
     "4050-262 Porto"),
])
def test_a_missing_part_of_the_address_is_asked_for(chat, shop, language, first, rest):
    number = shop.orders[language]["pending"]
    conversation = chat(language)
    asked = conversation.say(first.format(n=number))
    postcode_word = i18n.text(language, "the postcode")
    assert postcode_word in asked.reply and asked.actions == []
    readback = conversation.say(rest)
    assert rest.split()[0] in readback.reply
    conversation.say(YES[language])
    assert _order(number).shipping_address["postcode"] == rest.split()[0] if language != "en" \
        else _order(number).shipping_address["postcode"] == "NW1 6XE"


@pytest.mark.parametrize("language, text", [
    ("en", "my order {n} hasn't arrived, I need help"),
    ("fr", "ma commande {n} n'est toujours pas arrivée, j'ai besoin d'aide"),
    ("pt", "a minha encomenda {n} ainda não chegou, preciso de ajuda"),
])
def test_escalating_still_gives_the_order_status(chat, shop, language, text):
    number = shop.orders[language]["shipped"]
    tracking = _order(number).tracking_number
    conversation = chat(language)
    conversation.say(text.format(n=number))
    second = conversation.say(text.format(n=number))
    assert second.handoff or second.ticket is not None
    assert tracking in second.reply and "Colissimo" in second.reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bare_yes_with_nothing_pending_says_nothing_is_waiting(chat, shop, language):
    outcome = chat(language).say(YES[language])
    expected = i18n.text(language, "There is nothing waiting for your confirmation, {name}. "
                                   "What would you like me to do?",
                         name=shop.shoppers[language].first_name)
    assert outcome.reply == expected and outcome.actions == []


@pytest.fixture
def watches(shop):
    """The English shopper with a watch in an older order and a T-shirt in a newer one."""
    emma = shop.shoppers["en"]
    watch = factories.order(emma, number="CMD-77001", status="delivered",
                            placed_at=NOW - timedelta(days=12), delivered_at=NOW - timedelta(days=8),
                            items=[{"sku": "WATCH-1", "name": "Fitness watch – pink",
                                    "quantity": 1, "unit_price": "89.00"}],
                            total=Decimal("89.00"))
    factories.order(emma, number="CMD-77002", status="delivered",
                    placed_at=NOW - timedelta(days=4), delivered_at=NOW - timedelta(days=2),
                    items=[{"sku": "TSH-1", "name": "Organic T-shirt", "quantity": 1,
                            "unit_price": "25.00"}], total=Decimal("25.00"))
    return watch.number


def test_a_complaint_about_an_item_goes_to_the_order_that_holds_it(chat, shop, watches):
    conversation = chat("en")
    conversation.say(STATUS["en"].format(n="CMD-77002"))  # another order under discussion
    outcome = conversation.say("my watch arrived broken")
    assert outcome.ticket is not None
    ticket = db.session.query(Ticket).filter_by(reference=outcome.ticket["reference"]).one()
    assert ticket.title.startswith(watches) and "CMD-77002" not in ticket.title


def test_a_complaint_about_an_item_in_two_orders_asks_which(chat, shop, watches):
    emma = shop.shoppers["en"]
    factories.order(emma, number="CMD-77003", status="delivered",
                    placed_at=NOW - timedelta(days=3), delivered_at=NOW - timedelta(days=1),
                    items=[{"sku": "WATCH-2", "name": "Sport watch", "quantity": 1,
                            "unit_price": "59.00"}])
    conversation = chat("en")
    asked = conversation.say("my watch arrived broken")
    assert asked.ticket is None
    assert {q.value for q in asked.quick_replies} == {watches, "CMD-77003"}
    answered = conversation.say("CMD-77003")
    ticket = db.session.query(Ticket).filter_by(reference=answered.ticket["reference"]).one()
    assert ticket.title.startswith("CMD-77003")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_complaint_naming_someone_elses_order_keeps_it_out_of_the_ticket(chat, shop,
                                                                            language):
    text = {"en": "order {n} arrived broken, this is unacceptable",
            "fr": "la commande {n} est arrivée cassée, c'est inadmissible",
            "pt": "a encomenda {n} chegou partida, é inaceitável"}[language]
    outcome = chat(language).say(text.format(n=shop.stranger_order))
    for ticket in db.session.query(Ticket).all():
        assert shop.stranger_order not in ticket.title
    for secret in ("Chronopost", "XY123456789FR", "Marseille"):
        assert secret not in outcome.reply


@pytest.mark.parametrize("language, first, second", [
    ("en", "where is my order?", "can you track my parcel please?"),
    ("fr", "où est ma commande ?", "pouvez-vous suivre mon colis s'il vous plaît ?"),
    ("pt", "onde está a minha encomenda?", "podem seguir a minha encomenda, por favor?"),
])
def test_quality_drops_for_a_repeated_non_answer(engine, app, language, first, second):
    from automation.conversations.turns import Inbound

    lonely = factories.customer(first_name="Ana", language=language, email="ana@example.com")

    def say(text: str):
        return engine.handle(Inbound(channel="api", customer_id=lonely.id, text=text))

    one, two = say(first), say(second)
    assert one.reply == two.reply  # "I can't see any order…", twice
    assert two.quality <= 40 < one.quality


def test_quality_explains_itself(chat, shop):
    from database.models import Message

    good = chat("en").say(STATUS["en"].format(n=shop.orders["en"]["shipped"]))
    stored = db.session.get(Message, good.reply_message_id)
    assert good.quality >= 80 and stored.meta["quality"]["reasons"] == []
    lost = chat("fr").say("blorp zzkx wibble frotz")
    stored = db.session.get(Message, lost.reply_message_id)
    assert lost.quality < 50 and "not_understood" in stored.meta["quality"]["reasons"]
