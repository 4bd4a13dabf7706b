"""The scenarios' defaults, the options of a run, and the pool shoppers are drawn from."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from bot_simulation.config import DEFAULT_FAKE_PORT, new_run_id
from bot_simulation.phrases import LANGUAGES
from bot_simulation.shoppers import Shopper


# The seed's scenarios: (shoppers at once, seconds, new shoppers a minute).
SCENARIOS: dict[str, dict[str, Any]] = {
    "single": {"count": 1},
    "quick": {"duration": 300.0, "rate": 5.0},
    "continuous": {"duration": 1800.0, "rate": 2.0},
    "burst": {"count": 10},
    "endurance": {"duration": None, "rate": 6.0},
}


class SetupError(Exception):
    """The run cannot start (no shoppers, a channel not configured…)."""


@dataclass
class RunOptions:
    """What to run; `None` takes the scenario's default."""

    scenario: str = "single"
    count: int | None = None
    duration: float | None = None
    rate: float | None = None            # new shoppers a minute (their follow-ups on top)
    speedup: float = 1.0                 # compresses arrivals and think times
    channel: str = "api"                 # api | web | whatsapp | email | mixed
    languages: tuple[str, ...] = LANGUAGES
    seed: int | None = None
    max_turns: int = 4
    timeout: float = 30.0                # seconds a reply may take
    think: tuple[float, float] = (3.0, 12.0)   # seconds a shopper takes to write back
    intruders: float = 0.0               # share of shoppers who try another's order
    whatsapp_provider: str = "auto"
    email_replies: str = "auto"          # smtp | outbox | auto (smtp when a sink runs)
    smtp_port: int | None = None         # start the SMTP sink on this port (0: any)
    fake_port: int | None = DEFAULT_FAKE_PORT   # the fake Graph/Twilio API (None: none)
    shoppers: int | None = None          # read at most this many shoppers
    prepare_concurrency: int = 50        # logins and socket handshakes at once
    json_path: str | None = None
    csv_path: str | None = None
    live: bool | None = None
    run_id: str = field(default_factory=new_run_id)

    def resolved(self) -> RunOptions:
        """Return the options with the scenario's defaults filled in."""
        if self.scenario not in SCENARIOS:
            raise SetupError(f"unknown scenario {self.scenario!r}: {', '.join(SCENARIOS)}")
        defaults = SCENARIOS[self.scenario]
        resolved = RunOptions(**{**self.__dict__})
        if "count" in defaults:
            resolved.count = self.count or defaults["count"]
        else:
            resolved.duration = self.duration if self.duration is not None \
                else defaults["duration"]
            resolved.rate = self.rate or defaults["rate"]
        if resolved.speedup <= 0:
            raise SetupError("--speedup must be above 0")
        return resolved


class ShopperPool:
    """Hand out shoppers, one conversation each at a time while there are enough of them."""

    def __init__(self, shoppers: list[Shopper], rng: random.Random, *,
                 languages: tuple[str, ...]) -> None:
        speaking = [s for s in shoppers if s.language in languages]
        self.shoppers = speaking or shoppers
        self.rng = rng
        self.busy: dict[int, int] = {}
        self.shared = 0

    def eligible(self, channel: str) -> list[Shopper]:
        return [s for s in self.shoppers if channel in s.channels()]

    def lease(self, channel: str) -> Shopper | None:
        """Return a free shopper who can use `channel` (a busy one when all are busy)."""
        candidates = self.eligible(channel)
        if not candidates:
            return None
        with_orders = [s for s in candidates if s.orders] or candidates
        free = [s for s in with_orders if not self.busy.get(s.id)]
        if free:
            chosen = self.rng.choice(free)
        else:
            self.shared += 1
            chosen = min(with_orders, key=lambda s: (self.busy.get(s.id, 0), self.rng.random()))
        self.busy[chosen.id] = self.busy.get(chosen.id, 0) + 1
        return chosen

    def release(self, shopper: Shopper) -> None:
        self.busy[shopper.id] -= 1
