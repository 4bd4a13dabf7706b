"""Background jobs of conversations: answering a stored message, and the staff side's upkeep.

Webhooks store a message and acknowledge at once; `answer`, run by the worker (inline in
tests), answers it once and hands the reply to its channel. A job may run twice (a retried
job, a redelivered webhook): the engine answers a message once, and `deliver` sends once.

The staff side: `route_queue` runs whenever the queue or someone's free places change
(routing, then queue news for shoppers on WhatsApp and email); `check_presence` runs a grace
period after a workspace disconnects; `staff_side_upkeep` runs every minute as a safety net
(absent agents, overdue waits, routing).
"""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from automation.channels.delivery import deliver
from automation.runtime import jobs
from automation.runtime.errors import DeskError
from database import db
from database.base import utcnow
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


@jobs.job(retries=1, retry_delay=5)
def route_queue() -> None:
    """Give waiting shoppers to free agents (unless routing is manual), then tell shoppers on
    WhatsApp and email about meaningful changes of their place."""
    from automation.conversations import routing, staff_side
    from automation.conversations.waiting_news import send_queue_news

    setup = staff_side.current_or_default()  # the defaults in an app without the store
    now = utcnow()
    routing.route(strategy=setup.routing_strategy, now=now)
    send_queue_news(now=now)


@jobs.job()
def check_presence(staff_id: int) -> None:
    """A grace period after a workspace closed: requeue its conversations if still gone."""
    from automation.conversations import staff_side, staffing

    setup = staff_side.current_or_default()
    if staffing.requeue_absent(now=utcnow(), grace_s=setup.reconnect_grace_s,
                               staff_id=staff_id):
        route_queue()


def presence_check_later(staff_id: int, grace_s: int) -> None:
    """Schedule `check_presence` for just after the grace period (the worker runs it)."""
    check_presence.schedule(args=(staff_id,), delay=grace_s + 2)


@jobs.queue.periodic_task(crontab(minute="*"))
def staff_side_upkeep() -> None:
    """Every minute: requeue absent agents' conversations, email about overdue waits, and
    route the queue (a safety net for wake-ups lost with a crashed process)."""
    app = jobs._app
    if app is None:
        return
    with app.app_context():
        from automation.channels.email.jobs import mail_setup
        from automation.conversations import escalation, routing, staff_side, staffing
        from automation.conversations.waiting_news import send_queue_news

        setup, now = staff_side.current(), utcnow()
        staffing.requeue_absent(now=now, grace_s=setup.reconnect_grace_s)
        escalation.escalate_overdue(now=now, setup=setup, mail=mail_setup())
        routing.route(strategy=setup.routing_strategy, now=now)
        send_queue_news(now=now)
