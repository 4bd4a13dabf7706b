"""Data functions for canned replies: saved answers staff insert by their shortcode."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from database.base import db
from database.models import CannedReply


def get_canned_reply(reply_id: int) -> CannedReply | None:
    """Return the canned reply with this id, or None."""
    return db.session.get(CannedReply, reply_id)


def find_canned_reply(shortcode: str, language: str) -> CannedReply | None:
    """Return the canned reply of this shortcode in this language, or None."""
    return db.session.scalar(select(CannedReply).where(CannedReply.shortcode == shortcode,
                                                       CannedReply.language == language))


def list_canned_replies(*, prefix: str = "", language: str | None = None,
                        limit: int = 200) -> Sequence[CannedReply]:
    """Return canned replies whose shortcode starts with `prefix`, by shortcode and language."""
    query = select(CannedReply)
    if prefix:
        query = query.where(CannedReply.shortcode.startswith(prefix, autoescape=True))
    if language is not None:
        query = query.where(CannedReply.language == language)
    return db.session.scalars(
        query.order_by(CannedReply.shortcode, CannedReply.language).limit(limit)).all()


def add_canned_reply(**fields: object) -> CannedReply:
    """Add a canned reply to the session and return it."""
    reply = CannedReply(**fields)
    db.session.add(reply)
    return reply


def delete_canned_reply(reply: CannedReply) -> None:
    """Remove a canned reply (no commit)."""
    db.session.delete(reply)
