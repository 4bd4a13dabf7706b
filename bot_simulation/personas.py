"""Shoppers who follow up as people do: confirm with "yes", give the order number when asked,
get annoyed when an answer misses, ask for a person.

A persona writes its first message, then reads each reply and decides its next message (or
that it is done). It only ever names its own shopper's orders, except the intruder.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field

from bot_simulation.messages import Composed, compose, follow_up, pick_order
from bot_simulation.phrases import CATEGORIES
from bot_simulation.shoppers import OrderFacts, Shopper

# How often each persona is drawn (the intruder only when asked for).
WEIGHTS = {"straight": 40, "vague": 15, "canceller": 10, "mover": 6, "annoyed": 12,
           "human_seeker": 5, "grateful": 12}
# What a straight shopper asks about, weighted like a shop's real inbox.
CATEGORY_WEIGHTS = {"order_status": 25, "delivery": 14, "cancellation": 6,
                    "address_change": 4, "returns_refunds": 12, "payment": 7, "invoice": 5,
                    "account": 5, "product": 9, "complaint": 6, "thanks": 3, "human": 4}
ORDER_CATEGORIES = ("order_status", "delivery", "cancellation", "address_change",
                    "returns_refunds", "complaint")


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if unicodedata.category(c) != "Mn")


CONFIRM = re.compile(r"\((yes|oui|sim) / (no|non|nao)\)|shall i go ahead|je confirme|"
                     r"confirma o cancelamento|shall i make the change")
ASKS_ORDER = re.compile(r"which order|which one|de quelle commande|laquelle|qual delas|"
                        r"de que encomenda|tell me its order number|order number\?")
ASKS_ADDRESS = re.compile(r"new delivery address|nouvelle adresse|nova morada|"
                          r"couldn't read that as an address|pas pu lire|nao consegui ler")
HANDOFF = re.compile(r"in line|dans la file|na fila|member of our team|membre de notre "
                     r"equipe|membro da nossa equipa")
MISSED = re.compile(r"not sure i understood|say it another way|pas sur d'avoir compris|"
                    r"reformuler|nao tenho a certeza|de outra forma|technical problem|"
                    r"probleme technique|problema tecnico")


@dataclass
class Persona:
    """One shopper's conversation: what they ask first and how they follow up."""

    kind: str
    shopper: Shopper
    language: str
    rng: random.Random
    products: tuple[str, ...] = ()
    max_turns: int = 4
    foreign_order: str | None = None      # the intruder's target
    category: str = ""
    order: OrderFacts | None = None
    turns: int = 0
    done: bool = False
    misses: int = 0
    history: list[str] = field(default_factory=list)

    @property
    def intruder(self) -> bool:
        return self.kind == "intruder"

    def first(self) -> Composed:
        """Return the first message."""
        kind, rng = self.kind, self.rng
        if kind == "intruder":
            self.category = "order_status"
            return self._said(compose("order_status", self.language, self.shopper, rng,
                                      foreign_order=self.foreign_order,
                                      products=self.products))
        if kind == "canceller":
            self.category = "cancellation"
        elif kind == "mover":
            self.category = "address_change"
        elif kind == "human_seeker":
            self.category = "human"
        elif kind == "vague":
            self.category = rng.choice(("order_status", "delivery", "cancellation",
                                        "returns_refunds"))
        else:
            self.category = _weighted(CATEGORY_WEIGHTS, rng)
        if self.category in ("thanks",) and kind == "grateful":
            self.category = "order_status"
        self.order = pick_order(self.shopper, self.category, rng)
        if self.order is None and self.category in ORDER_CATEGORIES[2:5]:
            self.category = rng.choice(("product", "account", "payment"))
        return self._said(compose(self.category, self.language, self.shopper, rng,
                                  order=self.order, name_order=kind != "vague",
                                  products=self.products))

    def next(self, reply: str | None) -> Composed | None:
        """Return the follow-up to the desk's reply, or None when this shopper is done."""
        if self.done or reply is None or self.turns >= self.max_turns:
            self.done = True
            return None
        said, rng, lang = _plain(reply), self.rng, self.language
        if HANDOFF.search(said) or self.kind in ("intruder", "human_seeker"):
            return self._end()  # a person will take it from here
        if CONFIRM.search(said):
            return self._said(follow_up("yes", lang, self.shopper, rng, category=self.category))
        if ASKS_ADDRESS.search(said) and self.kind == "mover":
            return self._said(follow_up("new_address", lang, self.shopper, rng,
                                        category=self.category))
        if ASKS_ORDER.search(said) and self.order is not None:
            return self._said(follow_up("give_order", lang, self.shopper, rng,
                                        order=self.order, category=self.category))
        if self._missed(said):
            self.misses += 1
            if self.kind == "annoyed" or self.misses >= 2:
                if self.misses >= 2 or rng.random() < 0.4:
                    return self._said(compose("human", lang, self.shopper, rng))
                return self._said(follow_up("annoyed", lang, self.shopper, rng,
                                            category="complaint"))
        if self.kind == "grateful" or rng.random() < 0.25:
            if self.category != "thanks":
                self.category = "thanks"
                return self._said(compose("thanks", lang, self.shopper, rng))
        return self._end()

    def _missed(self, said: str) -> bool:
        if MISSED.search(said):
            return True
        # An answer about an order that never names it did not look the order up.
        return (self.kind == "annoyed" and self.order is not None
                and self.category in ORDER_CATEGORIES and self.order.number.lower() not in said)

    def _said(self, message: Composed) -> Composed:
        self.turns += 1
        self.history.append(message.text)
        return message

    def _end(self) -> None:
        self.done = True
        return None


def draw_persona(shopper: Shopper, rng: random.Random, *, languages: tuple[str, ...],
                 products: tuple[str, ...] = (), max_turns: int = 4,
                 intruder_rate: float = 0.0, strangers: tuple[Shopper, ...] = ()) -> Persona:
    """Return a persona for `shopper`, writing in their language when the mix allows it."""
    language = shopper.language if shopper.language in languages else rng.choice(languages)
    foreign = None
    if intruder_rate and rng.random() < intruder_rate:
        victims = [s for s in strangers if s.id != shopper.id and s.orders]
        if victims:
            foreign = rng.choice(rng.choice(victims).orders).number
    if foreign is not None and foreign not in shopper.order_numbers:
        return Persona("intruder", shopper, language, rng, products, max_turns,
                       foreign_order=foreign)
    kind = _weighted(WEIGHTS, rng)
    return Persona(kind, shopper, language, rng, products, max_turns)


def _weighted(weights: dict[str, int], rng: random.Random) -> str:
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


assert set(CATEGORY_WEIGHTS) == set(CATEGORIES)
