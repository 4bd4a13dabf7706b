"""Event kinds (the one list of them) and the function that appends an event.

Every state change appends an `Event` in the same transaction as the change; live logs,
metrics, audit and the outbox all read this one table.
"""

from __future__ import annotations

from typing import Any

from database.base import db
from database.models import Event

MESSAGE_RECEIVED = "message.received"
MESSAGE_REPLIED = "message.replied"
MESSAGE_RELAYED = "message.relayed"
MESSAGE_DELIVERY = "message.delivery"
MESSAGE_SENT = "message.sent"              # a person wrote to the shopper
MESSAGE_RATE_LIMITED = "message.rate_limited"
MESSAGE_UNREGISTERED = "message.unregistered"  # from an unknown sender: invited, not stored
CONVERSATION_STARTED = "conversation.started"
CONVERSATION_CLOSED = "conversation.closed"
HANDOFF_REQUESTED = "handoff.requested"
AGENT_ASSIGNED = "agent.assigned"
CONVERSATION_HANDED_BACK = "conversation.handed_back"  # from a person back to the AI
AGENT_ERROR = "agent.error"
AGENT_BREAKER_OPENED = "agent.breaker_opened"
AGENT_BREAKER_CLOSED = "agent.breaker_closed"
CSAT_SUBMITTED = "csat.submitted"
TICKET_CREATED = "ticket.created"
TICKET_UPDATED = "ticket.updated"
TICKET_RESOLVED = "ticket.resolved"
SLA_BREACHED = "sla.breached"          # once per ticket, by the scheduled SLA check
NOTION_CONFLICT = "notion.conflict"    # the desk and a lead changed one field: later edit wins
NOTION_CHANGE_REFUSED = "notion.change_refused"  # a lead's change the ticket policy refuses
NOTION_SYNC_FAILED = "notion.sync_failed"        # once, when the sync starts failing
NOTION_SYNC_RECOVERED = "notion.sync_recovered"
WEBHOOK_SUBSCRIPTION_ADDED = "webhook.subscription_added"
WEBHOOK_SUBSCRIPTION_CHANGED = "webhook.subscription_changed"
WEBHOOK_SUBSCRIPTION_REMOVED = "webhook.subscription_removed"
WEBHOOK_DEAD_LETTERED = "webhook.dead_lettered"  # retried for 24 h without a 2xx
WEBHOOK_REDELIVERED = "webhook.redelivered"      # an admin asked for a dead letter again
ORDER_CANCELLED = "order.cancelled"
ORDER_RETURN_REQUESTED = "order.return_requested"
ORDER_ADDRESS_CHANGED = "order.address_changed"
ORDER_UPSERTED = "order.upserted"
CUSTOMER_REGISTERED = "customer.registered"
CUSTOMER_UPSERTED = "customer.upserted"
CUSTOMER_PREFERENCES_CHANGED = "customer.preferences_changed"
PRODUCT_UPSERTED = "product.upserted"
KNOWLEDGE_USED = "knowledge.used"                  # an article answered a shopper's message
KNOWLEDGE_ARTICLE_SAVED = "knowledge.article_saved"  # staff created or edited an article
KNOWLEDGE_ARTICLE_PUBLISHED = "knowledge.article_published"
KNOWLEDGE_ARTICLE_UNPUBLISHED = "knowledge.article_unpublished"
STAFF_LOGIN = "staff.login"
AUTH_THROTTLED = "auth.throttled"  # too many wrong passwords for an account or an address
SETTINGS_CHANGED = "settings.changed"
API_KEY_CREATED = "api_key.created"
API_KEY_REVOKED = "api_key.revoked"
STAFF_INVITED = "staff.invited"        # an admin added someone; they set their password
STAFF_JOINED = "staff.joined"          # the invited person set their password
STAFF_CHANGED = "staff.changed"        # role, skills, capacity or active changed
# Privacy (docs/monitoring.md): payloads name a customer id and a hash, never their data.
PRIVACY_EXPORTED = "privacy.exported"
PRIVACY_ERASED = "privacy.erased"
RETENTION_ARCHIVED = "retention.archived"
RETENTION_PURGED = "retention.purged"
DEMO_SEEDED = "demo.seeded"
EMAIL_SEND_FAILED = "email.send_failed"
EMAIL_IGNORED = "email.ignored"  # an auto-reply, bounce or list mail: never answered
WEBHOOK_REJECTED = "webhook.rejected"  # a signed payload we could not read: kept, not retried
# The staff side: the queue, routing, the workspace (docs/workspace.md lists their payloads).
CONVERSATION_TRANSFERRED = "conversation.transferred"
CONVERSATION_REQUEUED = "conversation.requeued"   # back in the queue (agent disconnected)
CONVERSATION_TYPING = "conversation.typing"       # level debug: someone is typing
QUEUE_LEFT = "queue.left"                         # left the queue without a person
QUEUE_ESCALATED = "queue.escalated"               # waited too long: on-duty staff emailed
NOTE_ADDED = "note.added"                         # a private note: staff only
MESSAGE_RETRIED = "message.retried"               # a failed delivery tried again by staff
AGENT_STATUS_CHANGED = "agent.status_changed"
AGENT_CONNECTED = "agent.connected"               # the workspace opened its live socket
AGENT_DISCONNECTED = "agent.disconnected"
CSAT_REQUESTED = "csat.requested"
CANNED_REPLY_SAVED = "canned_reply.saved"
CANNED_REPLY_DELETED = "canned_reply.deleted"
# Monitoring: log lines of every process (level warning/error), a staff member's flag on an
# AI reply (payload: message_id, note, staff_id, channel).
LOG_WARNING = "log.warning"
LOG_ERROR = "log.error"
EXCHANGE_FLAGGED = "exchange.flagged"

ALL_KINDS = frozenset(value for name, value in dict(globals()).items()
                      if name.isupper() and isinstance(value, str))


def record(kind: str, *, level: str = "info", payload: dict[str, Any] | None = None,
           conversation_id: int | None = None, customer_id: int | None = None,
           ticket_id: int | None = None) -> Event:
    """Add one event to the session; the caller's transaction commits it with the change."""
    if kind not in ALL_KINDS:
        raise ValueError(f"unknown event kind: {kind}")
    event = Event(kind=kind, level=level, payload=payload or {}, conversation_id=conversation_id,
                  customer_id=customer_id, ticket_id=ticket_id)
    db.session.add(event)
    return event
