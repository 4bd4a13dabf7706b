"""Find order numbers in a shopper message and normalise the demo shop's "CMD-48213" shape."""
from __future__ import annotations

import re
from dataclasses import dataclass

SHOP_PREFIX = "CMD-"
SHOP_DIGITS = 5

# "nº", "n°", "no.", "number", ":" and "#" between a keyword and the number, in folded text.
# Possessive quantifiers and atomic groups: runs of spaces must not be re-split on failure,
# or a long message backtracks for seconds.
_SEPARATORS = r"[\s:#\-_.]*+"
_LINK = (
    rf"{_SEPARATORS}(?>(?:(?:numero|number|num|nr|no|ref|id|n)(?=[\s:#\-_.\d])\.?|n°)"
    rf"{_SEPARATORS})?"
)
_FILLER = (
    r"(?>(?:(?:est|is|was|c'est|c est|e|es|le|la|the|o|a|de|du|do|da|del|my|ma|mon|minha|"
    r"meu|mi|votre|your|sua|seu)\s++){0,3})"
)
# Up to 20 digits: marketplaces number orders "113542617735902" or "00004587345".
_NUMBER = r"#?(?P<number>[a-z]{0,3}-?\d{4,20})"
# Not followed by a decimal part, a date part, a currency or a unit: "order 1500 €", "order 1000
# pieces" are an amount and a quantity.
_END = (
    r"(?![\d/.,:]\d)(?!\s*+(?:€|\$|£|eur\b|euros?\b|usd\b|dollars?\b|reais\b|gbp\b|"
    r"units?\b|pieces?\b|pcs\b|items?\b|articles?\b|unit[eé]s?\b|pi[eè]ces?\b|unidades?\b|"
    r"pe[cç]as?\b|pairs?\b|paires?\b|pares?\b|x\b|kg\b|g\b|ml\b|cl\b|l\b|cm\b|mm\b|m\b))"
)

_SHOP = re.compile(rf"\b(?:cmd|cmde|cde){_LINK}(?P<number>\d{{4,10}}){_END}")
_KEYWORD = re.compile(
    r"\b(?:commandes?|orders?|encomendas?|enc|pedidos?|compras?|achats?|purchases?)"
    rf"{_LINK}{_FILLER}{_LINK}{_NUMBER}{_END}"
)
_MORE = re.compile(rf"\s*+(?:,|et|and|e|y|&|ou|or|\+){_LINK}{_NUMBER}{_END}")
_HASH = re.compile(rf"(?<![\w&])#\s?(?P<number>[a-z]{{0,3}}-?\d{{4,20}}){_END}")
_LETTERED = re.compile(r"(?<![\w#-])(?P<number>[A-Z]{1,3}-?\d{6,12})(?![\w-])")
_DIGITS_ONLY = re.compile(rf"(?<![\w+#/.,-])(?P<number>\d{{6,15}})(?![\w/-]){_END}")
_YEAR = re.compile(r"(?:19|20)\d\d")
# Numbers right after these words are tax ids, tracking, phone, card or invoice numbers.
_NOT_ORDER_BEFORE = re.compile(
    r"\b(?:tva|vat|iva|nif|siret|siren|cpf|cnpj|contribuinte|tax|intracom\w*|suivi|tracking|"
    r"rastreio|rastreamento|seguimento|colis|parcel|tel|tele\w*|phone|portable|mobile|"
    r"whatsapp|celular|postal|zip|cep|iban|rib|code|codigo|depot|deposito|card|carte|cartao|"
    r"tarjeta|cb|visa|mastercard|invoice|facture|fatura|factura|bill|recu|receipt|recibo|ticket|"
    r"ean|sku)\W{0,12}"
    r"(?:\w+\W{1,3}){0,2}$"
)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    value: str


def normalise(raw: str) -> str:
    """Return an order number as the shop writes it: no '#', "CMD-" + digits for the demo shape."""
    value = raw.strip().lstrip("#").strip().upper()
    digits = value.replace("-", "")
    if value.startswith("CMD") or value.startswith("CDE"):
        return SHOP_PREFIX + re.sub(r"\D", "", value)
    if digits.isdigit() and len(digits) == SHOP_DIGITS:
        return SHOP_PREFIX + digits  # "commande 48213", "#48213": the demo shop's numbering
    return value


def _keep(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if len(digits) == 4 and _YEAR.fullmatch(digits):
        return False  # "my order 2025" is a year
    return True


def _after_blocker(folded: str, start: int) -> bool:
    return bool(_NOT_ORDER_BEFORE.search(folded[max(0, start - 40):start]))


def find_explicit(folded: str, original: str) -> list[Found]:
    """Return order numbers the shopper marked: "CMD-48213", "commande 48213", "#W2378156"."""
    found: list[Found] = []
    for match in _SHOP.finditer(folded):
        found.append(Found(match.start(), match.end(), SHOP_PREFIX + match["number"]))
    for match in _KEYWORD.finditer(folded):
        span_end = match.end()
        numbers = [(match.start("number"), match.end("number"))]
        while more := _MORE.match(folded, span_end):  # "commandes 48213 et 48214"
            numbers.append((more.start("number"), more.end("number")))
            span_end = more.end()
        for start, end in numbers:
            raw = original[start:end]
            if _keep(raw):
                found.append(Found(start, end, normalise(raw)))
    for match in _HASH.finditer(folded):
        raw = original[match.start("number"):match.end("number")]
        if _keep(raw) and not _after_blocker(folded, match.start()):
            found.append(Found(match.start(), match.end(), normalise(raw)))
    for match in _LETTERED.finditer(original):
        if not _after_blocker(folded, match.start()):
            found.append(Found(match.start(), match.end(), normalise(match["number"])))
    return _without_overlaps(found)


def find_bare(working: str) -> list[Found]:
    """Return long bare numbers (6+ digits) left once phones, dates and amounts are taken."""
    return [
        Found(match.start(), match.end(), match["number"])
        for match in _DIGITS_ONLY.finditer(working)
        if not _after_blocker(working, match.start())
    ]


def _without_overlaps(found: list[Found]) -> list[Found]:
    kept: list[Found] = []
    for item in sorted(found, key=lambda item: (item.start, -(item.end - item.start))):
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    return kept
