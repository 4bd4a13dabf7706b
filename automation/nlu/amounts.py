"""Find money amounts with their currency: "49,90 €", "€49.90", "R$ 120", "12 pounds"."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "dolar": "USD", "dolares": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "livre": "GBP",
    "livres": "GBP",
    "r$": "BRL", "brl": "BRL", "reais": "BRL",
    "chf": "CHF", "francs": "CHF",
}
# Thousands with spaces, dots or commas ("1 234,56", "1.234,56", "1,234.56"), or plain.
_NUM = r"(?P<num>\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
_SYMBOL = r"(?P<cur>r\$|us\$|€|\$|£)"
_CODE = r"(?P<cur>eur|euros?|usd|dollars?|dolar(?:es)?|gbp|pounds?|livres?|brl|reais|chf|francs)"
_NOT_AFTER = r"(?![\d.,]?\d)"
_PATTERNS = (
    re.compile(r"(?P<int>\d{1,6})\s?€\s?(?P<dec>\d{2})(?!\d)"),  # French "49€90"
    re.compile(rf"(?<![\w$]){_SYMBOL}\s?{_NUM}{_NOT_AFTER}"),
    re.compile(rf"(?<![\w.,]){_NUM}\s?{_SYMBOL}"),
    re.compile(rf"(?<![\w.,]){_NUM}\s?{_CODE}(?![a-z])"),
    re.compile(rf"\b(?P<cur>eur|usd|gbp|brl|chf)\s?{_NUM}{_NOT_AFTER}"),
)


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value: float
    currency: str


def parse_number(raw: str) -> float:
    """Return the value of "1 234,56", "1.234,56", "1,234.56", "49,9" or "120"."""
    text = re.sub(r"[ \u00a0\u202f]", "", raw)
    groups = re.split(r"[.,]", text)
    if len(groups) == 1:
        return float(text)
    if all(len(group) == 3 for group in groups[1:]):
        return float("".join(groups))  # "1.234" or "1,234": prices rarely have 3 decimals
    last = max(text.rfind("."), text.rfind(","))
    return float(re.sub(r"[.,]", "", text[:last]) + "." + text[last + 1:])


def find_amounts(folded: str) -> list[Amount]:
    """Return the amounts of a folded message, left to right, without overlaps."""
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            if "int" in match.groupdict() and match["int"] is not None:
                value, currency = float(f"{match['int']}.{match['dec']}"), "EUR"
            else:
                value = parse_number(match["num"])
                currency = _CURRENCIES[match["cur"]]
            taken.append((start, end))
            found.append(Amount(start, end, round(value, 2), currency))
    return sorted(found, key=lambda amount: amount.start)
