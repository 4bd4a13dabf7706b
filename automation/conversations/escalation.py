"""A shopper waiting too long for a person: the on-duty staff get an email.

Within opening hours, a conversation waiting more than `escalation_minutes` makes the desk
email the staff on duty (available or busy; else the supervisors and admins) through the
email channel's mail port, once per wait: the claim is a conditional UPDATE, so two workers
never send it twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from automation.channels.email.adapter import MailSetup
from automation.channels.email.smtp import MailSendError
from automation.conversations import away, staffing
from automation.conversations.staff_side import StaffSide
from automation.runtime import i18n
from automation.runtime.i18n import N_
from database import db, events
from database.conversations import claim_escalation, overdue_waiting, queue_position
from database.models import Conversation, StaffUser

log = logging.getLogger(__name__)

SUBJECT = N_("{shopper} has been waiting {minutes} minutes for a person")
BODY = N_("{shopper} ({channel}, {lang}) asked for a person {minutes} minutes ago and "
          "nobody has taken the conversation yet. They are number {position} in line.\n\n"
          "Why: {reason}\n\nOpen the workspace to answer: {link}")


def escalate_overdue(*, now: datetime, setup: StaffSide, mail: MailSetup) -> list[int]:
    """Email the on-duty staff about each shopper waiting too long; return those escalated."""
    if setup.escalation_minutes <= 0 or not away.is_open(setup.opening_hours, now):
        return []
    escalated = []
    for conversation in overdue_waiting(now - timedelta(minutes=setup.escalation_minutes)):
        if not claim_escalation(conversation.id, now=now):
            db.session.rollback()
            continue
        staff = staffing.on_duty(now)
        minutes = int((now - conversation.waiting_since).total_seconds() // 60)
        sent, failed = [], []
        for person in staff:
            try:
                mail.sender.send(_email(conversation, person, minutes=minutes, setup=setup,
                                        mail=mail))
                sent.append(person.id)
            except MailSendError as exc:
                log.warning("escalation email to staff %s not sent: %s", person.id, exc)
                failed.append(person.id)
        events.record(events.QUEUE_ESCALATED, level="warning", conversation_id=conversation.id,
                      customer_id=conversation.customer_id,
                      payload={"waited_s": int((now - conversation.waiting_since)
                                               .total_seconds()),
                               "staff_ids": sent, "failed_staff_ids": failed,
                               "priority": conversation.priority,
                               "channel": conversation.channel, "sender": mail.sender.name})
        db.session.commit()
        escalated.append(conversation.id)
    return escalated


def _email(conversation: Conversation, person: StaffUser, *, minutes: int, setup: StaffSide,
           mail: MailSetup) -> EmailMessage:
    language = i18n.language_of(person.language)
    shopper = conversation.customer.full_name or conversation.customer.email
    reason = ((conversation.context or {}).get("handoff") or {}).get("reason") or "—"
    base = (setup.admin_base_url or "").rstrip("/")
    link = f"{base}/workspace/c/{conversation.id}" if base else "/workspace"
    message = EmailMessage()
    message["From"] = formataddr((setup.shop_name, mail.support_address))
    message["To"] = formataddr((person.name, person.email))
    message["Subject"] = i18n.text(language, SUBJECT, shopper=shopper, minutes=minutes)
    message["Date"] = format_datetime(now_utc())
    message["Message-ID"] = make_msgid(domain=mail.support_address.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = language
    message.set_content(i18n.text(language, BODY, shopper=shopper, minutes=minutes,
                                  channel=conversation.channel,
                                  lang=conversation.language,
                                  position=queue_position(conversation), reason=reason,
                                  link=link) + f"\n\n-- \n{setup.shop_name}\n")
    return message


def now_utc() -> datetime:
    from database.base import utcnow

    return utcnow()
