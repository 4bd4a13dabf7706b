"""Find absolute and relative dates in fr/en/pt/es and resolve them to ISO dates."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTH_NAMES = {
    1: "janvier janv jan january janeiro enero ene",
    2: "fevrier fevr fev february feb fevereiro febrero",
    3: "mars march mar marco marzo",
    4: "avril avr april apr abril abr",
    5: "mai may maio mayo",
    6: "juin june jun junho junio",
    7: "juillet juil july jul julho julio",
    8: "aout august aug agosto ago",
    9: "septembre sept sep september setembro septiembre setiembre",
    10: "octobre oct october outubro octubre",
    11: "novembre nov november novembro noviembre",
    12: "decembre dec december dezembro dez diciembre dic",
}
MONTHS = {name: month for month, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_DAY_MONTH = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:er|re|st|nd|rd|th|o)?\s+(?:de\s+|of\s+)?{_MONTH}"
    rf"(?:,?\s+(?:de\s+)?{_YEAR})?(?![\w])"
)
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)(?:,?\s+{_YEAR})?\b"
)
_ISO = re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)")
_NUMERIC = re.compile(
    r"(?<![\w/.,-])(?P<day>[0-3]?\d)(?P<sep>[/.-])(?P<month>[01]?\d)"
    r"(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?![\w/-]|[.,]\d)"
)
# "note 4/5", "10/10 for the service": ratings, not dates.
_RATING_NEAR = re.compile(
    r"\b(?:note|nota|rating|rate|rated|score|donne|give|gives|dou|doy|sur|out|stars?|"
    r"etoiles?|estrelas?|estrellas?)\b"
)

_NUMBER_WORDS = {
    "un": 1, "une": 1, "a": 1, "an": 1, "one": 1, "um": 1, "uma": 1, "una": 1,
    "deux": 2, "two": 2, "dois": 2, "duas": 2, "dos": 2, "couple": 2,
    "trois": 3, "three": 3, "tres": 3, "quatre": 4, "four": 4, "quatro": 4, "cuatro": 4,
    "cinq": 5, "five": 5, "cinco": 5, "six": 6, "seis": 6, "sept": 7, "seven": 7, "sete": 7,
    "siete": 7, "huit": 8, "eight": 8, "oito": 8, "ocho": 8, "dix": 10, "ten": 10, "dez": 10,
    "diez": 10, "quinze": 15, "fifteen": 15, "quince": 15,
}
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit>jours?|days?|dias?|semaines?|weeks?|semanas?|mois|months?|mes(?:es)?)"
_AGO = (
    re.compile(rf"\b(?:il\s+y\s+a|ca\s+fait|depuis|ha|faz|hace)\s+{_COUNT}\s+{_UNIT}\b"),
    re.compile(rf"\b{_COUNT}\s+{_UNIT}\s+ago\b"),
)
_IN = re.compile(rf"\b(?:dans|in|daqui\s+a|dentro\s+de)\s+{_COUNT}\s+{_UNIT}\b")

_FIXED = (
    (r"avant[\s-]hier|day\s+before\s+yesterday|anteontem|antes\s+de\s+ontem|anteayer", -2),
    (r"apres[\s-]demain|day\s+after\s+tomorrow|depois\s+de\s+amanha|pasado\s+manana", 2),
    (r"hier|yesterday|ontem|ayer", -1),
    (r"aujourd\s*'?\s*hui|auj|today|tonight|this\s+morning|hoje|hj|hoy|ce\s+matin|ce\s+soir|"
     r"esta\s+manha|esta\s+manana|esta\s+noite|esta\s+noche", 0),
    (r"demain|tomorrow|tmrw|amanha|(?<!la\s)(?<!esta\s)manana", 1),
    (r"(?:la\s+)?semaine\s+derniere|last\s+week|(?:a\s+|la\s+)?semana\s+passada|"
     r"(?:la\s+)?semana\s+pasada", -7),
    (r"(?:la\s+)?semaine\s+prochaine|next\s+week|semana\s+que\s+(?:vem|viene)|"
     r"(?:a\s+|la\s+)?proxima\s+semana", 7),
    (r"(?:le\s+)?mois\s+dernier|last\s+month|(?:o\s+|el\s+)?mes\s+pa(?:ss|s)ado", "-1m"),
    (r"(?:le\s+)?mois\s+prochain|next\s+month|(?:o\s+|el\s+)?proximo\s+mes|"
     r"mes\s+que\s+(?:vem|viene)", "+1m"),
)
_RELATIVE = re.compile(
    "|".join(rf"(?P<r{index}>\b(?:{pattern})\b)" for index, (pattern, _) in enumerate(_FIXED))
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: date


def _shift_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _nearest(day: int, month: int, today: date) -> date | None:
    """Return the day/month in the year that puts it nearest to today (shop chats are recent)."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda candidate: abs((candidate - today).days), default=None)


def _absolute(day: str, month: int, year: str | None, today: date) -> date | None:
    if year is None:
        return _nearest(int(day), month, today)
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(full_year, month, int(day))
    except ValueError:
        return None


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]


def _span(count: int, unit: str) -> tuple[int, int]:
    """Return (days, months) for "3 jours", "2 weeks", "1 mes"."""
    if unit.startswith(("semaine", "week", "semana")):
        return count * 7, 0
    if unit.startswith(("mois", "month", "mes")):
        return 0, count
    return count, 0


def find_dates(folded: str, *, today: date) -> list[FoundDate]:
    """Return the dates of a folded message resolved against today, left to right."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: date | None) -> None:
        if value is None or any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        found.append(FoundDate(start, end, value))

    for match in _ISO.finditer(folded):
        add(*match.span(), _absolute(match["day"], int(match["month"]), match["year"], today))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(folded):
            month = MONTHS[match["month"]]
            add(*match.span(), _absolute(match["day"], month, match["year"], today))
    for match in _NUMERIC.finditer(folded):
        day, month, year = match["day"], int(match["month"]), match["year"]
        if year is None and (len(day) == 1 and len(match["month"]) == 1):
            continue  # "4/5" is far more often a rating or a fraction than a date
        window = folded[max(0, match.start() - 15):match.end() + 12]
        if year is None and _RATING_NEAR.search(window):
            continue
        add(*match.span(), _absolute(day, month, year, today))
    for pattern, sign in ((_AGO[0], -1), (_AGO[1], -1), (_IN, 1)):
        for match in pattern.finditer(folded):
            days, months = _span(_count(match["count"]), match["unit"])
            moved = _shift_months(today, sign * months) + timedelta(days=sign * days)
            add(*match.span(), moved)
    for match in _RELATIVE.finditer(folded):
        index = int(match.lastgroup[1:])
        offset = _FIXED[index][1]
        if isinstance(offset, str):
            value = _shift_months(today, int(offset[:-1]))
        else:
            value = today + timedelta(days=offset)
        add(*match.span(), value)
    return sorted(found, key=lambda item: item.start)
