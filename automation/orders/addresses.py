"""Find a delivery address inside a shopper's sentence, in French, English and Portuguese.

"Quero mudar a morada da encomenda CMD-56455 para Rua Augusta 100, 1100-053 Lisboa" gives
street "Rua Augusta 100", postcode "1100-053", city "Lisboa", country PT: never the whole
sentence. What is missing (no postcode, no city…) is named, so the agent can ask for it.
"""

from __future__ import annotations

import re
import unicodedata

REQUIRED = ("line1", "postcode", "city")

# Postcodes of the countries the desk knows, most specific first, with the country they imply.
_POSTCODES = [
    (r"\b\d{4}-\d{3}\b", "PT"),
    (r"\b\d{5}-\d{3}\b", "BR"),
    (r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", "GB"),
    (r"\b\d{5}-\d{4}\b", "US"),
    (r"\b\d{5}\b", None),          # France, Germany, Spain, Italy, the US…
    (r"\b\d{4}\b", None),          # Belgium, Switzerland, Portugal's short form…
]
_STREET_WORDS = (
    r"rue|avenue|av\.?|bd|boulevard|chemin|impasse|place|allee|allée|quai|route|cours|"
    r"square|passage|rua|avenida|travessa|largo|praca|praça|estrada|alameda|calcada|calçada|"
    r"beco|rotunda|street|st\.?|road|rd\.?|lane|ln\.?|drive|dr\.?|way|close|court|crescent|"
    r"terrace|gardens|park|hill|square|row|mews|walk|grove|calle|carrer|via"
)
_STREET = re.compile(
    rf"(?:\b\d{{1,5}}[a-z]?(?:\s*(?:bis|ter))?,?\s+)?\b(?:{_STREET_WORDS})\b[^,\n;]{{2,80}}",
    re.IGNORECASE)
_NUMBERED = re.compile(r"\b\d{1,5}[a-z]?,?\s+[A-Za-zÀ-ÿ'][\wÀ-ÿ' .-]{3,60}", re.IGNORECASE)
# Words before the address in a request: "…para", "…to", "…à", "new address:"…
_LEAD_IN = re.compile(
    r"^.*?\b(?:para a|para o|para|pour|to|at|au|à la|à|a la|vers|la nouvelle adresse est|"
    r"nouvelle adresse|new address(?: is)?|my address is|mon adresse est|a minha morada é|"
    r"a nova morada é|nova morada|morada|endereço|adresse|address)\s*:?\s+",
    re.IGNORECASE)
_COUNTRIES = {
    "france": "FR", "portugal": "PT", "brasil": "BR", "brazil": "BR", "bresil": "BR",
    "uk": "GB", "united kingdom": "GB", "england": "GB", "royaume-uni": "GB",
    "reino unido": "GB", "inglaterra": "GB", "usa": "US", "united states": "US",
    "etats-unis": "US", "estados unidos": "US", "belgique": "BE", "belgium": "BE",
    "belgica": "BE", "suisse": "CH", "switzerland": "CH", "suica": "CH", "spain": "ES",
    "espagne": "ES", "espanha": "ES", "germany": "DE", "allemagne": "DE", "alemanha": "DE",
    "italy": "IT", "italie": "IT", "italia": "IT", "luxembourg": "LU", "luxemburgo": "LU",
}
_CITY = re.compile(r"^[,\s]*([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' .-]{1,40}?)(?=[,.;!?\n]|\s+(?:please|svp|"
                   r"s'il|por favor|thanks|merci|obrigad[oa])\b|$)", re.IGNORECASE)
# Order numbers are not house numbers: "CMD-56455", "#1042", "order 1042", "encomenda 4587".
_ORDER_LIKE = re.compile(
    r"\b[A-Z]{2,5}-?\d{3,}\b|#\s?\d+\b|\b(?:order|commande|encomenda|pedido|purchase|achat)"
    r"(?:\s+(?:n[°ºo.]*|number|numéro|número|nr\.?))?\s*#?\s*\d{3,}\b", re.IGNORECASE)
_US_CITY = re.compile(r"([A-Za-z][A-Za-z .'-]{1,40}),\s*([A-Z]{2})\s*$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _postcode(text: str) -> tuple[re.Match[str], str | None] | None:
    for pattern, country in _POSTCODES:
        for match in re.finditer(pattern, text, flags=re.IGNORECASE if country == "GB" else 0):
            if country == "GB" and not re.search(r"\d", match.group(0)):
                continue
            return match, country
    return None


def _country(text: str) -> tuple[str, str] | None:
    folded = _fold(text)
    for name, code in sorted(_COUNTRIES.items(), key=lambda item: -len(item[0])):
        match = re.search(rf"\b{re.escape(name)}\b\s*[.!]?\s*$|,\s*{re.escape(name)}\b", folded)
        if match:
            return name, code
    return None


def _tidy(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip(" ,.;:-")


def extract_address(text: str) -> dict[str, str]:
    """Return the parts of an address found in `text` (line1, postcode, city, country)."""
    text = _ORDER_LIKE.sub(" ", text.replace("\n", ", "))
    found: dict[str, str] = {}
    country = _country(text)
    if country is not None:
        found["country"] = country[1]
    postcode = _postcode(text)
    before, after = text, ""
    if postcode is not None:
        match, implied = postcode
        found["postcode"] = match.group(0).upper().replace("  ", " ")
        if implied and "country" not in found:
            found["country"] = implied
        before, after = text[:match.start()], text[match.end():]
        city = _CITY.match(after)
        if city and not re.fullmatch(r"(?i)\s*(" + "|".join(_COUNTRIES) + r")\s*",
                                     _fold(city.group(1))):
            found["city"] = _tidy(city.group(1))
        elif (us := _US_CITY.search(before)) is not None:
            # "New York, NY 10118": city and state before the ZIP code.
            found["city"] = f"{_tidy(us.group(1))}, {us.group(2)}"
            found.setdefault("country", "US")
            before = before[:us.start()]
        else:
            # "London NW1 6XE": the city before the postcode.
            tail = re.search(r"([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' -]{1,30})[,\s]+$", before)
            if tail and not _STREET.fullmatch(tail.group(1).strip()):
                words = tail.group(1).split()
                if 1 <= len(words) <= 3 and "," in before[:tail.start() + 1][-3:] + ",":
                    found["city"] = _tidy(tail.group(1))
                    before = before[:tail.start()]
    street = _street(before)
    if street:
        found["line1"] = street
    return found


def _street(text: str) -> str | None:
    candidates = [m.group(0) for m in _STREET.finditer(text)]
    if not candidates:
        trimmed = _LEAD_IN.sub("", text)
        candidates = [m.group(0) for m in _NUMBERED.finditer(trimmed)]
    if not candidates:
        return None
    street = _tidy(candidates[-1])
    street = re.split(r"\s+(?:in|à|em|en|a)\s+[A-Z]", street)[0]
    return street if len(street) >= 4 and len(street) <= 120 else None


def missing_fields(address: dict[str, str]) -> list[str]:
    """Return the required parts `address` lacks, in the order a person would ask them."""
    return [name for name in REQUIRED if not address.get(name)]


def merge(earlier: dict[str, str], later: dict[str, str]) -> dict[str, str]:
    """Complete an address given over several messages (later parts win)."""
    merged = {**earlier, **{key: value for key, value in later.items() if value}}
    line1, city = merged.get("line1", ""), merged.get("city", "")
    if city and line1.lower().endswith(" " + city.lower()):
        # "Rua Augusta 100 Lisboa", then "1100-053 Lisboa": the city was not the street's.
        merged["line1"] = line1[:-len(city)].strip(" ,")
    return merged
