"""The background job that answers a stored shopper message and delivers the reply.

Webhooks store a message and acknowledge at once; this job, run by the worker (inline in
tests), answers it once and hands the reply to its channel. A job may run twice (a retried
job, a redelivered webhook): the engine answers a message once, and `deliver` sends once.
"""

from __future__ import annotations

import logging

from flask import current_app

from automation.channels.delivery import deliver
from automation.runtime import jobs
from automation.runtime.errors import DeskError
from database import db
from database.models import Message

log = logging.getLogger(__name__)


@jobs.job(retries=2, retry_delay=15)
def answer(message_id: int) -> None:
    """Answer a stored message (once) and deliver the reply through its channel."""
    try:
        outcome = current_app.extensions["engine"].answer(message_id)
    except DeskError as exc:
        if exc.code != "conflict":
            raise
        log.info("message %s is being answered by another job", message_id)
        return
    if outcome.reply_message_id is not None:
        deliver(outcome.reply_message_id)  # once: a reply delivered before is not sent again


def needs_answer(message_id: int, *, new: bool) -> bool:
    """Tell whether a stored message should be queued for an answer: a new one, or one no
    turn has answered yet (its first job was lost)."""
    if new:
        return True
    message = db.session.get(Message, message_id)
    return message is not None and message.answered_at is None
