"""News of the queue for shoppers who cannot see it live (WhatsApp, email).

The web chat shows the place and the estimate live; elsewhere a message goes out only when it
changes meaningfully (`queue.notice_due`): next in line, or the estimate moved a lot.
"""

from __future__ import annotations

from datetime import datetime

from automation.conversations import notices, queue
from database import db
from database.conversations import waiting_queue

NEWS_CHANNELS = ("whatsapp", "email")


def send_queue_news(*, now: datetime) -> list[int]:
    """Tell waiting shoppers on WhatsApp and email of meaningful changes; return the notices."""
    waiting = [c for c in waiting_queue() if c.channel in NEWS_CHANNELS]
    if not waiting:
        return []
    seen = queue.outlook(now)
    told = []
    for conversation in waiting:
        position = queue.place(conversation, now, seen)[0]
        minutes = seen.minutes(position)
        last = (conversation.context or {}).get("queue_notice")
        if not queue.notice_due(last, position, minutes, now):
            continue
        message = notices.store(conversation, notices.queue_text(conversation, position,
                                                                 minutes),
                                now=now, kind="queue")
        conversation.context = {**(conversation.context or {}),
                                "queue_notice": {"position": position, "minutes": minutes,
                                                 "at": now.isoformat()}}
        db.session.commit()
        told.append(message.id)
    from automation.channels.delivery import deliver

    for message_id in told:
        deliver(message_id)
    return told
