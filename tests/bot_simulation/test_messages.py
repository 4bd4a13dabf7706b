"""What simulated shoppers write: every category in every language, typos that spare the
facts, and never an order the shopper does not own (unless an intruder is asked for)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from bot_simulation.messages import (ORDER_LIKE, ForeignOrderError, compose, follow_up,
                                     typo)
from bot_simulation.personas import draw_persona
from bot_simulation.phrases import CATEGORIES, LANGUAGES, TEMPLATES
from bot_simulation.shoppers import OrderFacts, Shopper

STATUSES = ("pending", "paid", "processing", "shipped", "delivered", "cancelled")
# Replies that make personas follow up in every way they can.
REPLIES = [
    "Just to confirm, Ana: I will cancel order {order}. Shall I go ahead? (yes / no)",
    "Pour être sûr : j'annule la commande {order} ? (oui / non)",
    "Which order is it about? Here are your most recent ones: {order}.",
    "De que encomenda se trata? Estas são as mais recentes: {order}.",
    "Of course. What is the new delivery address for order {order}?",
    "I'm not sure I understood. Is it about an order, a payment, or a product?",
    "Your order {order} is on its way with DHL.",
    "You are number 2 in line — about 6 minutes.",
    "Sorry, I'm having a technical problem right now.",
]


def shoppers(count: int = 40) -> list[Shopper]:
    rng = random.Random(99)
    found = []
    for n in range(count):
        orders = tuple(
            OrderFacts(number=f"CMD-{10000 + n * 10 + k}", status=rng.choice(STATUSES),
                       placed_on=date(2026, 1 + k, 1 + n % 27), items=("Jean slim",),
                       total=Decimal("59.90"), carrier=rng.choice(("DHL", None)),
                       city=rng.choice(("Lyon", None)))
            for k in range(rng.randrange(0, 4)))
        found.append(Shopper(id=n + 1, email=f"s{n}@example.com", first_name="Ana",
                             last_name=f"L{n}", language=LANGUAGES[n % 3], phone=None,
                             orders=orders))
    return found


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_has_templates_in_every_language(category):
    assert all(len(TEMPLATES[category][language]) >= 3 for language in LANGUAGES)


def test_personas_only_ever_name_their_own_orders():
    everyone = shoppers()
    named = 0
    for seed in range(3000):
        rng = random.Random(seed)
        shopper = rng.choice(everyone)
        persona = draw_persona(shopper, rng, languages=LANGUAGES, products=("Robe",),
                               strangers=tuple(everyone))
        texts = [persona.first().text]
        for reply in rng.sample(REPLIES, 4):
            # The desk's reply names an order nobody owns: a persona must not echo it.
            following = persona.next(reply.format(order="CMD-99999"))
            if following is None:
                break
            texts.append(following.text)
        assert persona.kind != "intruder"  # off unless asked for
        for text in texts:
            for number in ORDER_LIKE.findall(text):
                named += 1
                assert number in shopper.order_numbers, (seed, persona.kind, text)
    assert named > 1000  # the property was really exercised


def test_an_intruder_names_another_shoppers_order_and_is_flagged():
    everyone = shoppers()
    for seed in range(300):
        rng = random.Random(seed)
        shopper = rng.choice(everyone)
        persona = draw_persona(shopper, rng, languages=LANGUAGES, intruder_rate=1.0,
                               strangers=tuple(everyone))
        assert persona.kind == "intruder" and persona.foreign_order not in \
            shopper.order_numbers
        message = persona.first()
        if message.order is not None:
            assert message.intruder and message.order == persona.foreign_order


def test_the_filler_refuses_an_order_the_shopper_does_not_own():
    ana, bruno = shoppers()[1], shoppers()[4]
    theirs = next(s for s in shoppers() if s.orders and s.id != ana.id).orders[0]
    with pytest.raises(ForeignOrderError):
        compose("order_status", "en", ana, random.Random(1), order=theirs)
    with pytest.raises(ForeignOrderError):
        follow_up("give_order", "fr", bruno, random.Random(1), order=theirs)


@pytest.mark.parametrize("seed", range(60))
def test_typos_never_touch_placeholders(seed):
    template = "Bonjour, où en est ma commande {order} passée le {date} ?"
    changed = typo(template, random.Random(seed))
    assert "{order}" in changed and "{date}" in changed


def test_messages_are_filled_with_the_shoppers_facts():
    shopper = next(s for s in shoppers() if any(o.carrier for o in s.orders))
    order = next(o for o in shopper.orders if o.carrier)
    texts = {compose("delivery", shopper.language, shopper, random.Random(seed),
                     order=order, typo_rate=0).text for seed in range(80)}
    assert any(order.number in t for t in texts) and any("DHL" in t for t in texts)
    assert not any("{" in t for t in texts)
