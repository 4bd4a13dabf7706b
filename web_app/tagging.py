"""Traffic the shopper simulator sends is tagged (`X-Desk-Simulation: <run id>`), so admins
can tell it from real shoppers; the tag travels with the stored message and its events."""

from __future__ import annotations

import re
from dataclasses import replace

from flask import has_request_context, request

from automation.conversations.turns import Inbound

HEADER = "X-Desk-Simulation"
_TAG = re.compile(r"[\w.:-]{1,64}")


def simulation_tag() -> str | None:
    """Return this request's simulation run id, or None for real traffic."""
    if not has_request_context():
        return None
    tag = (request.headers.get(HEADER) or "").strip()
    return tag if _TAG.fullmatch(tag) else None


def with_simulation(inbound: Inbound) -> Inbound:
    """Return the inbound message tagged with this request's simulation run id, if any."""
    tag = simulation_tag()
    if tag is None:
        return inbound
    return replace(inbound, metadata={**inbound.metadata, "simulation": tag})
