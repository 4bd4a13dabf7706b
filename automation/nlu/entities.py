"""Pull order numbers, emails, phones, dates, amounts and products out of a shopper message."""
from __future__ import annotations

from datetime import date

from automation.nlu import order_numbers
from automation.nlu.amounts import find_amounts
from automation.nlu.dates import find_dates
from automation.nlu.phones import find_phones
from automation.nlu.products import find_products, is_catalogue_sku
from automation.nlu.text import EMAIL, fold

ENTITY_KINDS = ("order_numbers", "emails", "phones", "dates", "amounts", "products")


def empty_entities() -> dict[str, list]:
    """Return the entities dict with every kind present and empty."""
    return {kind: [] for kind in ENTITY_KINDS}


def _blank(text: str, start: int, end: int) -> str:
    """Return text with a span replaced by spaces, so later finders neither see nor shift it."""
    return text[:start] + " " * (end - start) + text[end:]


def _unique(values: list) -> list:
    kept: list = []
    for value in values:
        if value not in kept:
            kept.append(value)
    return kept


def extract_entities(
    text: str,
    *,
    language: str,
    today: date,
    products: tuple[tuple[str, str], ...] = (),
) -> dict[str, list]:
    """Return every entity kind found in text, each list in order of appearance."""
    folded = fold(text)
    working = folded
    entities = empty_entities()

    for match in EMAIL.finditer(text):
        entities["emails"].append(match.group().lower())
        working = _blank(working, *match.span())

    orders: list[order_numbers.Found] = []
    for found in order_numbers.find_explicit(working, text):
        if is_catalogue_sku(found.value, products):
            continue  # a catalogue SKU such as "TSH1234567" is a product, not an order
        orders.append(found)
        working = _blank(working, found.start, found.end)

    for amount in find_amounts(working):
        entities["amounts"].append({"value": amount.value, "currency": amount.currency})
        working = _blank(working, amount.start, amount.end)

    for found_date in find_dates(working, today=today):
        entities["dates"].append(found_date.value.isoformat())
        working = _blank(working, found_date.start, found_date.end)

    for phone in find_phones(working, language=language):
        entities["phones"].append(phone.e164)
        working = _blank(working, phone.start, phone.end)

    orders.extend(order_numbers.find_bare(working))
    orders.sort(key=lambda found: found.start)
    entities["order_numbers"] = _unique([found.value for found in orders])
    entities["emails"] = _unique(entities["emails"])
    entities["phones"] = _unique(entities["phones"])
    entities["dates"] = _unique(entities["dates"])
    entities["products"] = find_products(text, products)
    return entities
