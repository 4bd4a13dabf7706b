"""Fill the shoppers' messages from templates with their own orders, dates and products.

The one rule that matters: a message names only orders its shopper owns. The only exception
is an intruder persona, which is given another shopper's order on purpose and is flagged.
Typos are made in the template's own words, never in the facts filled in afterwards.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from bot_simulation.phrases import FOLLOW_UPS, GREETINGS, SIGN_OFFS, TEMPLATES
from bot_simulation.shoppers import OrderFacts, Shopper

ORDER_LIKE = re.compile(r"\b[A-Z]{2,5}-\d{3,}\b")
PLACEHOLDER = re.compile(r"(\{\w+\})")
DATE_FORMATS = {"fr": "%d/%m/%Y", "en": "%d %B %Y", "pt": "%d/%m/%Y"}
DEFAULT_CITY = {"fr": "Paris", "en": "London", "pt": "Lisboa"}
DEFAULT_PRODUCT = {"fr": "t-shirt", "en": "t-shirt", "pt": "t-shirt"}
# Orders that suit a request best (any order otherwise).
SUITED = {"cancellation": ("pending", "paid"), "address_change": ("pending", "paid"),
          "returns_refunds": ("delivered",), "delivery": ("shipped", "processing", "paid"),
          "complaint": ("delivered", "shipped")}


class ForeignOrderError(ValueError):
    """A message named an order its shopper does not own (and no intruder asked for it)."""


@dataclass(frozen=True)
class Composed:
    """One message a shopper writes."""

    text: str
    category: str
    language: str
    order: str | None = None     # the order number named, if any
    intruder: bool = False       # names another shopper's order, on purpose


def pick_order(shopper: Shopper, category: str, rng: random.Random) -> OrderFacts | None:
    """Return one of the shopper's orders fitting the request (None when they have none)."""
    if not shopper.orders:
        return None
    suited = [o for o in shopper.orders if o.status in SUITED.get(category, ())]
    recent = list(shopper.orders[:3])
    return rng.choice(suited or recent)


def compose(category: str, language: str, shopper: Shopper, rng: random.Random, *,
            order: OrderFacts | None = None, name_order: bool = True,
            products: tuple[str, ...] = (), typo_rate: float = 0.3,
            foreign_order: str | None = None) -> Composed:
    """Return a message of `category` in `language`, filled with the shopper's own facts."""
    if order is not None and order.number not in shopper.order_numbers:
        raise ForeignOrderError(f"{order.number} is not an order of {shopper.email}")
    number = foreign_order or (order.number if order is not None else None)
    choices = [t for t in TEMPLATES[category][language]
               if _fits(t, has_order=bool(number) and name_order, order=order)]
    if number and name_order:
        # Someone who has an order number in mind usually names it.
        with_number = [t for t in choices if "{order}" in t]
        if with_number and rng.random() < 0.8:
            choices = with_number
    template = rng.choice(choices)
    if category not in ("thanks", "human") and rng.random() < 0.35:
        template = rng.choice(GREETINGS[language]) + _lower_first(template)
    if rng.random() < 0.2:
        template += rng.choice(SIGN_OFFS[language])
    if rng.random() < typo_rate:
        template = typo(template, rng)
    values = _values(language, shopper, order, rng, products=products)
    if "{order}" in template:
        values["order"] = number or ""
    text = template.format(**values)
    named = number if "{order}" in template else None
    check_owned(text, shopper, allowed={foreign_order} if foreign_order else set(),
                facts=values)
    return Composed(text=text, category=category, language=language, order=named,
                    intruder=bool(foreign_order) and named is not None)


def follow_up(kind: str, language: str, shopper: Shopper, rng: random.Random, *,
              order: OrderFacts | None = None, category: str = "") -> Composed:
    """Return a follow-up line (`yes`, `give_order`, `new_address`, `annoyed`)."""
    template = rng.choice(FOLLOW_UPS[kind][language])
    number = order.number if order is not None else None
    if order is not None and number not in shopper.order_numbers:
        raise ForeignOrderError(f"{number} is not an order of {shopper.email}")
    text = template.format(order=number or "", name=shopper.first_name)
    check_owned(text, shopper)
    return Composed(text=text, category=category or kind, language=language,
                    order=number if "{order}" in template else None)


def check_owned(text: str, shopper: Shopper, *, allowed: set[str] | None = None,
                facts: dict[str, str] | None = None) -> None:
    """Raise ForeignOrderError when the text names an order-like number not the shopper's."""
    owned = shopper.order_numbers | (allowed or set())
    free_text = " ".join(v for k, v in (facts or {}).items() if k not in ("order",))
    for token in ORDER_LIKE.findall(text):
        if token not in owned and token not in free_text:
            raise ForeignOrderError(f"{token} is not an order of {shopper.email}")


def typo(template: str, rng: random.Random) -> str:
    """Return the template with one human slip, placeholders left intact."""
    kind = rng.choice(("accents", "lower", "swap", "drop", "double", "punctuation"))
    if kind == "accents":
        return "".join(c for c in unicodedata.normalize("NFD", template)
                       if unicodedata.category(c) != "Mn")
    if kind == "lower":
        return "".join(p if PLACEHOLDER.fullmatch(p) else p.lower()
                       for p in PLACEHOLDER.split(template))
    if kind == "punctuation":
        return template.rstrip(" ?!.") if template.rstrip()[-1:] in "?!." else template + "!!"
    parts = PLACEHOLDER.split(template)
    spots = [(i, m) for i, p in enumerate(parts) if not PLACEHOLDER.fullmatch(p)
             for m in re.finditer(r"[^\W\d_]{4,}", p)]
    if not spots:
        return template
    index, match = rng.choice(spots)
    word, at = match.group(), rng.randrange(1, len(match.group()) - 1)
    if kind == "swap":
        changed = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    elif kind == "drop":
        changed = word[:at] + word[at + 1:]
    else:
        changed = word[:at] + word[at] + word[at:]
    part = parts[index]
    parts[index] = part[:match.start()] + changed + part[match.end():]
    return "".join(parts)


def _fits(template: str, *, has_order: bool, order: OrderFacts | None) -> bool:
    if "{order}" in template and not has_order:
        return False
    if "{carrier}" in template and not (order and order.carrier):
        return False
    if "{date}" in template and order is None:
        return False
    return True


def _values(language: str, shopper: Shopper, order: OrderFacts | None, rng: random.Random, *,
            products: tuple[str, ...]) -> dict[str, str]:
    if order is not None and order.items:
        product = rng.choice(order.items)
    elif products:
        product = rng.choice(products)
    else:
        product = DEFAULT_PRODUCT[language]
    placed = order.placed_on if order is not None else None
    return {"name": shopper.first_name,
            "date": placed.strftime(DATE_FORMATS[language]) if placed else "",
            "product": product,
            "carrier": (order.carrier if order is not None and order.carrier else ""),
            "city": (order.city if order is not None and order.city
                     else DEFAULT_CITY[language])}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != "{o" and not text[:2].isupper() else text
