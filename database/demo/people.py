"""The demo shoppers: French, English and Portuguese names, contacts and preferences."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from database.demo.contacts import address_for, email_for, phone_for
from database.demo.datafiles import load
from database.models import Customer

BLOCKED_COUNT = 4
WITH_PASSWORD = 0.85  # the others came in through the shop's platform and never signed up here
WITH_PHONE = 0.9
NEWSLETTER = 0.45
PREFERS_WHATSAPP = 0.35


@dataclass
class Shopper:
    """A demo customer with what the orders need to know: country and home address."""

    customer: Customer
    locale: str  # fr-FR, en-GB, en-US, pt-PT or pt-BR
    country: str  # ISO 3166-1 alpha-2, as in shipping addresses
    home: dict[str, str]
    persona: bool  # one of the shoppers printed as demo logins


def make_shoppers(rng: random.Random, *, count: int, password_hash: str) -> list[Shopper]:
    """Build `count` shoppers: the personas first, then the others in a shuffled mix."""
    data = load("people.json")
    locales: dict[str, dict[str, Any]] = data["locales"]
    emails: set[str] = set()
    phones: set[str] = set()
    shoppers = [_shopper(rng, locales[p["locale"]], p["locale"], emails, phones,
                         password_hash=password_hash, name=(p["first_name"], p["last_name"]))
                for p in data["personas"]]
    remaining = _locale_counts(locales, count)
    for shopper in shoppers:
        remaining[shopper.locale] -= 1
    mix = [locale for locale, n in remaining.items() for _ in range(n)]
    rng.shuffle(mix)
    shoppers += [_shopper(rng, locales[locale], locale, emails, phones,
                          password_hash=password_hash) for locale in mix]
    for shopper in rng.sample([s for s in shoppers if not s.persona], BLOCKED_COUNT):
        shopper.customer.status = "blocked"
    return shoppers


def _locale_counts(locales: dict[str, dict[str, Any]], count: int) -> dict[str, int]:
    """Split `count` by the locales' shares, largest remainders first, so the sum is exact."""
    exact = {name: locale["share"] * count for name, locale in locales.items()}
    counts = {name: int(value) for name, value in exact.items()}
    by_remainder = sorted(exact, key=lambda name: (counts[name] - exact[name], name))
    for name in by_remainder[:count - sum(counts.values())]:
        counts[name] += 1
    return counts


def _shopper(rng: random.Random, locale: dict[str, Any], locale_name: str, emails: set[str],
             phones: set[str], *, password_hash: str,
             name: tuple[str, str] | None = None) -> Shopper:
    persona = name is not None
    first, last = name or _random_name(rng, locale)
    # Personas get the plain address the README prints; the others spread over the domains.
    email = email_for(rng, first, last, emails, domain="example.com" if persona else None)
    city = rng.choice(locale["cities"])
    has_phone = persona or rng.random() < WITH_PHONE
    phone = phone_for(rng, locale["phone"], city, locale["country"], phones) if has_phone else None
    channel = "whatsapp" if phone and rng.random() < PREFERS_WHATSAPP else "email"
    customer = Customer(
        first_name=first, last_name=last, email=email, phone=phone,
        password_hash=password_hash if persona or rng.random() < WITH_PASSWORD else None,
        language=locale["language"], status="active",
        preferences={"newsletter": rng.random() < NEWSLETTER, "contact_channel": channel})
    home = address_for(rng, locale, city, f"{first} {last}")
    return Shopper(customer=customer, locale=locale_name, country=locale["country"], home=home,
                   persona=persona)


def _random_name(rng: random.Random, locale: dict[str, Any]) -> tuple[str, str]:
    first = rng.choice(locale["female"] if rng.random() < 0.5 else locale["male"])
    while (last := rng.choice(locale["last"])) == first:
        pass  # "Thomas Thomas" exists, but reads like a bug in demo data
    return first, last


def gift_address(rng: random.Random, shopper: Shopper) -> dict[str, str]:
    """Return another address in the shopper's country, for an order sent as a present."""
    locale = load("people.json")["locales"][shopper.locale]
    first, last = _random_name(rng, locale)
    return address_for(rng, locale, rng.choice(locale["cities"]), f"{first} {last}")
