"""What the NLU returns, and what callers tell it about the shop."""
from __future__ import annotations

from dataclasses import dataclass, field

INTENTS = (
    "order_status", "cancel_order", "modify_order", "place_order", "delivery_info",
    "return_refund", "payment", "invoice", "account", "product_info", "complaint",
    "feedback", "human_agent", "newsletter", "greeting", "thanks", "other",
)


@dataclass(frozen=True)
class NluResult:
    language: str  # "fr" | "en" | "pt" | "es" | "und"
    intent: str  # one of INTENTS
    confidence: float  # calibrated probability of the intent, 0..1
    sentiment: float  # -1..1
    frustrated: bool
    entities: dict = field(default_factory=dict)  # kind -> list, see entities.ENTITY_KINDS

    def to_dict(self) -> dict:
        """Return the result as the JSON object `python -m automation.nlu` prints."""
        return {
            "language": self.language,
            "intent": self.intent,
            "confidence": self.confidence,
            "sentiment": self.sentiment,
            "frustrated": self.frustrated,
            "entities": {kind: list(values) for kind, values in self.entities.items()},
        }


@dataclass(frozen=True)
class Catalogue:
    """Products the shop sells, as (sku, name) pairs; passed in so the NLU needs no database."""

    products: tuple[tuple[str, str], ...] = ()
