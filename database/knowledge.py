"""Data functions for the knowledge base: the articles, their translations and their uses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select, update

from database.base import db
from database.events import KNOWLEDGE_USED
from database.models import Event, KnowledgeArticle, Message


def published_articles() -> Sequence[KnowledgeArticle]:
    """Return every published article, in every language, as stored now."""
    # Read afresh even when the session holds older copies: the index must see other
    # processes' edits.
    return db.session.scalars(select(KnowledgeArticle).where(KnowledgeArticle.published)
                              .order_by(KnowledgeArticle.id)
                              .execution_options(populate_existing=True)).all()


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


def get_article(article_id: int) -> KnowledgeArticle | None:
    """Return the article with this id, or None."""
    return db.session.get(KnowledgeArticle, article_id)


def find_articles(*, text: str = "", language: str | None = None,
                  published: bool | None = None) -> list[KnowledgeArticle]:
    """Return the articles whose title, answer, keywords or topic contain `text`, by topic."""
    query = select(KnowledgeArticle)
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        query = query.where(or_(*(func.lower(column).like(pattern) for column in (
            KnowledgeArticle.title, KnowledgeArticle.answer, KnowledgeArticle.topic,
            cast(KnowledgeArticle.keywords, String)))))
    if language:
        query = query.where(KnowledgeArticle.language == language)
    if published is not None:
        query = query.where(KnowledgeArticle.published.is_(published))
    return list(db.session.scalars(query.order_by(KnowledgeArticle.category,
                                                  KnowledgeArticle.topic,
                                                  KnowledgeArticle.language)))


def topic_articles(topics: Sequence[str]) -> list[KnowledgeArticle]:
    """Return every article (each translation) of these topics."""
    if not topics:
        return []
    return list(db.session.scalars(select(KnowledgeArticle)
                                   .where(KnowledgeArticle.topic.in_(list(topics)))))


def topic_exists(topic: str) -> bool:
    """Tell whether any article, in any language, has this topic."""
    return db.session.scalar(select(KnowledgeArticle.id).where(KnowledgeArticle.topic == topic)
                             .limit(1)) is not None


def categories() -> list[str]:
    """Return the categories articles use, sorted."""
    return sorted(db.session.scalars(select(KnowledgeArticle.category).distinct()))


def add_article(**fields: Any) -> KnowledgeArticle:
    """Add a new article to the session (no commit)."""
    article = KnowledgeArticle(**fields)
    db.session.add(article)
    return article


def questions_answered(article_id: int, *, limit: int = 20) -> list[tuple[Event, Message]]:
    """Return the latest shopper messages this article answered, with their use event."""
    uses = list(db.session.scalars(
        select(Event).where(Event.kind == KNOWLEDGE_USED,
                            Event.payload["article_id"].as_integer() == article_id)
        .order_by(Event.id.desc()).limit(limit)))
    ids = [int(e.payload["message_id"]) for e in uses if e.payload.get("message_id")]
    messages = {m.id: m for m in db.session.scalars(select(Message)
                                                    .where(Message.id.in_(ids)))} if ids else {}
    return [(e, messages[int(e.payload["message_id"])]) for e in uses
            if int(e.payload.get("message_id") or 0) in messages]
