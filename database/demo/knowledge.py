"""The demo knowledge base: the same topics in French, English and Portuguese."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from database.demo.datafiles import load
from database.demo.timeline import moment_between
from database.models import KnowledgeArticle

LANGUAGES = ("fr", "en", "pt")
# Shoppers ask about these the most, so their articles have been used the most.
POPULAR = {"order_tracking", "delivery_france", "delivery_portugal", "start_return",
           "refund_delay", "cancel_order", "parcel_delayed", "payment_methods", "mb_way"}


def load_articles(language: str) -> list[dict[str, Any]]:
    """Return the articles of one language as stored in `data/knowledge/<language>.json`."""
    return load(f"knowledge/{language}.json")


def make_articles(rng: random.Random, *, now: datetime) -> list[KnowledgeArticle]:
    """Build every article in every language, refusing translations that drift apart."""
    reference = [(entry["topic"], entry["category"]) for entry in load_articles("en")]
    published_at = now - timedelta(days=200)
    articles = []
    for language in LANGUAGES:
        entries = load_articles(language)
        if [(entry["topic"], entry["category"]) for entry in entries] != reference:
            raise ValueError(f"knowledge/{language}.json: topics differ from the English ones")
        for entry in entries:
            created_at = moment_between(rng, published_at, published_at + timedelta(days=7))
            articles.append(KnowledgeArticle(
                topic=entry["topic"], category=entry["category"], language=language,
                title=entry["title"], answer=entry["answer"], keywords=list(entry["keywords"]),
                usage_count=rng.randint(40, 400) if entry["topic"] in POPULAR
                else rng.randint(0, 60),
                published=True, created_at=created_at,
                updated_at=moment_between(rng, created_at, now - timedelta(days=1))))
    return articles
