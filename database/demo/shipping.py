"""Carriers per country, their transit times and their tracking-number formats.

The transit times and prices match the knowledge base's delivery articles, so what the agent
reads there agrees with the orders it looks up.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10(rng: random.Random, prefixes: tuple[str, ...], country: str) -> str:
    """Return a UPU S10 number (e.g. `EA123456785PT`) with its real check digit."""
    serial = [rng.randint(0, 9) for _ in range(8)]
    check = 11 - sum(d * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{rng.choice(prefixes)}{''.join(map(str, serial))}{check}{country}"


def ups(rng: random.Random) -> str:
    """Return a UPS `1Z` number: shipper account, service 66 (worldwide), package, check digit."""
    alphabet = string.ascii_uppercase + string.digits
    body = "".join(rng.choice(alphabet) for _ in range(6)) + "66" + \
        "".join(str(rng.randint(0, 9)) for _ in range(7))
    total = 0
    for index, char in enumerate(body):
        value = int(char) if char.isdigit() else (ord(char) - 63) % 10
        total += value * 2 if index % 2 else value
    return f"1Z{body}{(10 - total % 10) % 10}"


def dhl_express(rng: random.Random) -> str:
    """Return a 10-digit DHL Express waybill whose last digit is the others modulo 7."""
    body = rng.randint(100_000_000, 999_999_999)
    return f"{body}{body % 7}"


def colissimo(rng: random.Random) -> str:
    """Return a 13-character Colissimo number such as `6A12345678901`."""
    return rng.choice(("6A", "6C")) + "".join(str(rng.randint(0, 9)) for _ in range(11))


def mondial_relay(rng: random.Random) -> str:
    """Return an 8-digit Mondial Relay shipment number."""
    return f"{rng.randint(10_000_000, 99_999_999)}"


@dataclass(frozen=True)
class Carrier:
    """A delivery service: its name, transit in business days and tracking-number maker."""

    name: str
    transit: tuple[int, int]
    tracking: Callable[[random.Random], str]
    share: int  # how often shoppers of the country pick it


CARRIERS: dict[str, tuple[Carrier, ...]] = {
    "FR": (Carrier("Colissimo", (2, 3), colissimo, 55),
           Carrier("Mondial Relay", (3, 5), mondial_relay, 30),
           Carrier("Chronopost", (1, 1), lambda rng: s10(rng, ("XY", "XW"), "FR"), 15)),
    "PT": (Carrier("CTT", (3, 5), lambda rng: s10(rng, ("EA", "DA"), "PT"), 75),
           Carrier("DHL Express", (1, 2), dhl_express, 25)),
    "GB": (Carrier("Royal Mail", (4, 6), lambda rng: s10(rng, ("TT", "JV"), "GB"), 75),
           Carrier("DHL Express", (2, 3), dhl_express, 25)),
    "US": (Carrier("UPS", (4, 7), ups, 80),
           Carrier("DHL Express", (2, 4), dhl_express, 20)),
    "BR": (Carrier("Correios", (10, 20), lambda rng: s10(rng, ("NL", "OV", "QB"), "BR"), 80),
           Carrier("DHL Express", (3, 6), dhl_express, 20)),
}


def pick_carrier(rng: random.Random, country: str) -> Carrier:
    """Return the carrier a shopper in `country` chose at checkout."""
    options = CARRIERS[country]
    return rng.choices(options, [carrier.share for carrier in options])[0]


def transit_range(carrier: Carrier, address: dict[str, str]) -> tuple[int, int]:
    """Return the business days the carrier takes to this address (islands take longer)."""
    low, high = carrier.transit
    country, postcode = address["country"], address["postcode"]
    if country == "FR" and postcode.startswith("20"):  # Corsica
        return low + 1, high + 2
    if country == "PT" and postcode.startswith("9") and carrier.name == "CTT":
        return 5, 8  # Madeira and the Azores
    return low, high
