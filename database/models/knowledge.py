"""The shop's knowledge base: answers to common questions, per language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from database.base import db, utcnow
from database.models.choices import LANGUAGES, one_of


class KnowledgeArticle(db.Model):
    """A question and its answer in one language; `topic` ties the translations together."""

    __tablename__ = "knowledge_articles"
    __table_args__ = (
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
        Index("ix_knowledge_language_published", "language", "published"),
        # One article per topic and language: a translation is never made twice.
        UniqueConstraint("topic", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(String(300))
    answer: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5))
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    usage_count: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
