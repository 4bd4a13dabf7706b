"""Dates, money, items and addresses written the way each language writes them."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from automation.agents.local.phrases import say

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")
_CURRENCY_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$", "BRL": "R$"}


def as_date(value: Any) -> date | None:
    """Return a date from a date, a datetime or an ISO string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def day(value: Any, language: str) -> str:
    """Write a date: 12/11 in French and Portuguese, Nov 12 in English."""
    d = as_date(value)
    if d is None:
        return "—"
    if language == "en":
        return f"{_MONTHS_EN[d.month - 1]} {d.day}"
    return f"{d.day:02d}/{d.month:02d}"


def money(amount: Any, currency: str, language: str) -> str:
    """Write an amount: 49,90 € in French and Portuguese, €49.90 in English."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    sign = _CURRENCY_SIGNS.get(currency, currency)
    if language == "en":
        return f"{sign}{value:,.2f}" if len(sign) == 1 else f"{value:,.2f} {sign}"
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} {sign}"


def items_summary(items: list[dict[str, Any]], language: str) -> str:
    """Describe the line items briefly: the first one, and how many others."""
    if not items:
        return "—"
    first = items[0]
    label = f"{first.get('name', first.get('sku', '?'))} ×{first.get('quantity', 1)}"
    if len(items) == 1:
        return label
    return say("and_more", language, first=label, count=len(items) - 1)


def address_line(address: dict[str, Any] | None) -> str:
    """Write an address on one line."""
    if not address:
        return "—"
    parts = [address.get("line1"), address.get("line2"),
             f"{address.get('postcode', '')} {address.get('city', '')}".strip(),
             address.get("country")]
    return ", ".join(str(p) for p in parts if p)


# Postcodes of the countries the shop delivers to: FR/DE 5 digits, PT 4-3, BR 5-3, UK outward
# and inward codes, US ZIP.
_POSTCODE = re.compile(
    r"(?P<postcode>\d{4}-\d{3}|\d{5}-\d{3}|\d{5}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})"
    r"[ ,]+(?P<city>[A-Za-zÀ-ÿ' .-]{2,60})$", re.IGNORECASE)
_COUNTRY_OF = [(re.compile(r"^\d{4}-\d{3}$"), "PT"), (re.compile(r"^\d{5}-\d{3}$"), "BR"),
               (re.compile(r"^[A-Z]{1,2}\d", re.I), "GB")]


def parse_address(text: str) -> dict[str, str] | None:
    """Read "street, postcode city" from a message; None if it is not an address."""
    text = re.sub(r"\s+", " ", text.strip().rstrip("."))
    text = re.sub(r"^(?:(?:my )?new address(?: is)?|nouvelle adresse|nova morada|"
                  r"la nouvelle adresse est|a nova morada é)\s*:?\s*", "", text, flags=re.I)
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if len(pieces) < 2:
        match = re.match(r"^(?P<line1>.*?\d+.*?)\s+(?P<rest>\d{4,5}(?:-\d{3})?\s+.+)$", text)
        if not match:
            return None
        pieces = [match.group("line1"), match.group("rest")]
    tail = pieces[-1]
    country = ""
    if len(pieces) >= 3 and re.fullmatch(r"[A-Za-z ]{2,30}", tail) and not _POSTCODE.search(tail):
        country, pieces = _country_code(tail), pieces[:-1]
        tail = pieces[-1]
    match = _POSTCODE.search(tail)
    if not match or not re.search(r"\d", pieces[0]) or len(pieces[0]) < 4:
        return None
    postcode = match.group("postcode").upper()
    if not country:
        country = next((code for pattern, code in _COUNTRY_OF if pattern.match(postcode)), "")
    line1 = pieces[0]
    line2 = ", ".join(pieces[1:-1])
    address = {"line1": line1, "postcode": postcode, "city": match.group("city").strip()}
    if line2:
        address["line2"] = line2
    if country:
        address["country"] = country
    return address


def _country_code(name: str) -> str:
    names = {"france": "FR", "portugal": "PT", "brasil": "BR", "brazil": "BR", "uk": "GB",
             "united kingdom": "GB", "england": "GB", "usa": "US", "belgique": "BE",
             "belgium": "BE", "suisse": "CH", "spain": "ES", "espagne": "ES", "espanha": "ES"}
    return names.get(name.strip().lower(), name.strip()[:2].upper())
