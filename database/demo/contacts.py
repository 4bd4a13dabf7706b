"""Phone numbers, email addresses and postal addresses that look real for each country."""

from __future__ import annotations

import random
import unicodedata
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved: never a real inbox
EMAIL_DOMAIN_WEIGHTS = (8, 1, 1)
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
GB_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses after the digit


def ascii_fold(text: str) -> str:
    """Return `text` lower-cased, without accents and without anything but a-z and 0-9."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def email_for(rng: random.Random, first: str, last: str, taken: set[str], *,
              domain: str | None = None) -> str:
    """Return a new lower-case email in the first.last style, unique within `taken`."""
    first_part, last_part = ascii_fold(first), ascii_fold(last)
    domain = domain or rng.choices(EMAIL_DOMAINS, EMAIL_DOMAIN_WEIGHTS)[0]
    candidates = [f"{first_part}.{last_part}", f"{first_part}{last_part}",
                  f"{first_part[0]}.{last_part}", f"{first_part}.{last_part[0]}"]
    for local in candidates:
        if (email := f"{local}@{domain}") not in taken:
            taken.add(email)
            return email
    while True:  # the namesakes get a number, as mail providers make them do
        email = f"{first_part}.{last_part}{rng.randint(2, 99)}@{domain}"
        if email not in taken:
            taken.add(email)
            return email


def phone_for(rng: random.Random, spec: dict[str, Any], city: dict[str, Any], region: str,
              taken: set[str]) -> str:
    """Return a new mobile number in E.164 that `phonenumbers` accepts for `region`."""
    for _ in range(1000):
        area = rng.choice(city["area_codes"]) if "area_codes" in city else ""
        if "fictional_exchange" in spec:
            # North America reserves 555-0100 to 555-0199 for fiction: valid, never anyone's.
            low, high = spec["lines"]
            national = f"{area}{spec['fictional_exchange']}{rng.randint(low, high):04d}"
        else:
            prefix = rng.choice(spec["prefixes"]) if "prefixes" in spec else spec["mobile_prefix"]
            digits = "".join(str(rng.randint(0, 9)) for _ in range(spec["digits"]))
            national = f"{area}{prefix}{digits}"
        number = phonenumbers.parse(f"+{spec['country_code']}{national}")
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        if (e164 not in taken and phonenumbers.is_valid_number(number)
                and phonenumbers.region_code_for_number(number) == region
                and phonenumbers.number_type(number) in MOBILE_TYPES):
            taken.add(e164)
            return e164
    raise RuntimeError(f"no free demo phone number left for {region}")


def postcode_for(rng: random.Random, city: dict[str, Any]) -> str:
    """Return a postcode of the city in its country's format."""
    if "outward" in city:  # United Kingdom: outward code, space, digit and two letters
        letters = "".join(rng.choice(GB_INWARD_LETTERS) for _ in range(2))
        return f"{rng.choice(city['outward'])} {rng.randint(1, 9)}{letters}"
    if "prefixes" in city:  # Portugal 1100-053, Brazil 01310-100
        return f"{rng.choice(city['prefixes'])}-{rng.randint(1, 999):03d}"
    return rng.choice(city["postcodes"])


def address_for(rng: random.Random, locale: dict[str, Any], city: dict[str, Any],
                name: str) -> dict[str, str]:
    """Return a shipping address {name, line1, line2?, postcode, city, country} in the city."""
    high = 2400 if locale["country"] == "US" else 180
    line1 = locale["street_format"].format(number=rng.randint(1, high),
                                           street=rng.choice(locale["streets"]))
    address = {"name": name, "line1": line1}
    if rng.random() < 0.35:
        address["line2"] = rng.choice(locale["line2"])
    address.update(postcode=postcode_for(rng, city), city=city["city"],
                   country=locale["country"])
    return address
