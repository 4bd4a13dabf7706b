"""The closed sets of values stored in string columns, shared by models, validation and views."""

LANGUAGES = ("fr", "en", "pt", "es")
CUSTOMER_STATUSES = ("active", "blocked")
ORDER_STATUSES = ("pending", "paid", "processing", "shipped", "delivered", "cancelled", "returned")
CHANNELS = ("web", "api", "whatsapp", "email")
CONVERSATION_STATUSES = ("ai", "waiting", "active", "closed")
DIRECTIONS = ("in", "out")
SENDERS = ("customer", "ai", "agent", "system")
TICKET_PRIORITIES = ("urgent", "high", "normal", "low")
TICKET_STATUSES = ("open", "pending", "resolved", "closed")
STAFF_ROLES = ("admin", "supervisor", "agent")
STAFF_AVAILABILITY = ("available", "busy", "offline")
EVENT_LEVELS = ("debug", "info", "warning", "error")


def one_of(column: str, values: tuple[str, ...]) -> str:
    """Return the SQL of a CHECK constraint keeping `column` inside `values`."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
