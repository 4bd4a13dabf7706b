"""The shop's rules for tickets, in code: how urgent a ticket is, and when it is due."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

SLA_HOURS = {"urgent": 4, "high": 24, "normal": 72, "low": 168}
PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}

# Words that make a ticket urgent whatever else: money taken back by the bank, the law, safety.
_URGENT = re.compile(
    r"\b(chargeback|charge ?back|dispute with my bank|fraud|fraude|stolen card|carte volee|"
    r"lawyer|attorney|legal action|sue|court|police|avocat|proces|plainte|tribunal|justice|"
    r"advogado|processo|tribunal|procon|policia|reclame aqui|"
    r"danger|dangerous|dangereux|perigoso|perigo|injur\w*|hurt|blesse\w*|ferid\w*|burn\w*|"
    r"brul\w*|queimad\w*|fire|incendie|incendio|explod\w*|allerg\w*|poison\w*|intoxica\w*|"
    r"electric shock|choc electrique|choque eletrico|smoke|fumee|fumaca)\b")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def is_urgent(text: str) -> bool:
    """Tell whether the text mentions a chargeback, legal action or a safety problem."""
    return bool(_URGENT.search(_plain(text)))


def ticket_priority(text: str, *, intent: str, frustrated: bool,
                    sentiment: float) -> str:
    """Return the priority a ticket about `text` deserves."""
    if is_urgent(text):
        return "urgent"
    if intent == "complaint" and (frustrated or sentiment <= -0.5):
        return "high"
    if frustrated or intent in ("complaint", "return_refund", "payment"):
        return "high" if frustrated else "normal"
    if intent in ("feedback", "newsletter"):
        return "low"
    return "normal"


def sla_due(priority: str, now: datetime) -> datetime:
    """Return when a ticket of this priority must be answered."""
    return now + timedelta(hours=SLA_HOURS[priority])
