"""Data functions for the knowledge base."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update

from database.base import db
from database.models import KnowledgeArticle


def published_articles() -> Sequence[KnowledgeArticle]:
    """Return every published article, in every language."""
    return db.session.scalars(select(KnowledgeArticle).where(KnowledgeArticle.published)
                              .order_by(KnowledgeArticle.id)).all()


def knowledge_version() -> tuple[int, datetime | None]:
    """Return a cheap fingerprint of the knowledge base: (count, last update)."""
    count, latest = db.session.execute(
        select(func.count(KnowledgeArticle.id), func.max(KnowledgeArticle.updated_at))).one()
    return int(count or 0), latest


def bump_usage(article_id: int) -> None:
    """Count one more use of the article, in the database (no read-modify-write race)."""
    db.session.execute(update(KnowledgeArticle).where(KnowledgeArticle.id == article_id)
                       # Keeping updated_at: a use is not an edit (and would stale the index).
                       .values(usage_count=KnowledgeArticle.usage_count + 1,
                               updated_at=KnowledgeArticle.updated_at)
                       .execution_options(synchronize_session=False))
