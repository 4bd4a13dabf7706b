"""The paths `make n8n-test` follows through n8n, each from a desk event to its outcome."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from tests.n8n.stand_in import ConversationStandIn


def step(text: str) -> None:
    print(f"[n8n-test] {text}", flush=True)


def check_path(app: Any, seeded: dict[str, Any], smtp: Any) -> None:
    """Breach the ticket's SLA and follow the event through n8n back into the desk."""
    from automation.tickets import sla
    from database import db, events
    from database.base import utcnow
    from database.models import Event, Ticket, WebhookDelivery
    from workflows import dispatch

    with app.app_context():
        ticket = db.session.query(Ticket).filter_by(reference=seeded["reference"]).one()
        ticket.sla_due_at = utcnow() - timedelta(minutes=42)
        db.session.commit()
        assert sla.check() == [ticket.reference], "the SLA check did not breach the ticket"
        step(f"{ticket.reference} breached its SLA: sla.breached recorded")
        started = time.monotonic()
        outcome = dispatch.run(policy=dispatch.Policy.from_config(app.config))
        delivery = db.session.query(WebhookDelivery).filter_by(event_kind="sla.breached").one()
        step(f"dispatcher: {outcome.delivered} delivered, {outcome.failed} failed "
             f"({time.monotonic() - started:.1f} s), delivery {delivery.delivery_id}: "
             f"{delivery.status} {delivery.last_status_code} {delivery.last_error or ''}")
        if delivery.status != "delivered":
            raise SystemExit("n8n did not take the signed delivery")
        db.session.refresh(ticket)
        if ticket.priority != "urgent":
            raise SystemExit(f"the ticket is {ticket.priority}, not urgent")
        change = db.session.query(Event).filter_by(kind=events.TICKET_UPDATED,
                                                   ticket_id=ticket.id).one()
        assert change.payload["source"] == "api", change.payload
        assert change.payload["actor"]["api_key"] == "n8n", change.payload
        assert change.payload["changes"]["priority"] == ["normal", "urgent"], change.payload
        assert "SLA breached (42 min late)" in change.payload["note"], change.payload
        step(f"the desk recorded ticket.updated from n8n: {change.payload['changes']} "
             f"note {change.payload['note']!r}")
    deadline = time.monotonic() + 20
    while not smtp.received and time.monotonic() < deadline:
        time.sleep(0.2)
    if not smtp.received:
        raise SystemExit("the supervisor's email never arrived")
    mail = smtp.received[0]
    assert mail.recipients == ["supervisor@demo.shop"], mail.recipients
    assert seeded["reference"] in mail.message["Subject"], mail.message["Subject"]
    step(f"the supervisor got an email: {mail.message['Subject']!r}")


def wait_mail(smtp: Any, to: str, *, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in smtp.received:
            if to in mail.recipients:
                return mail
        time.sleep(0.3)
    raise SystemExit(f"no email to {to} within {timeout:.0f} s")


def check_follow_up(app: Any, seeded: dict[str, Any], smtp: Any,
                    stand_in: ConversationStandIn | None) -> None:
    """Resolve the ticket: after its wait, the follow-up asks the shopper if all is well."""
    from automation.tickets.updates import update_ticket
    from database import db
    from database.models import Message, Ticket, WebhookDelivery
    from workflows import dispatch

    with app.app_context():
        update_ticket(seeded["reference"], status="resolved", source="staff",
                      actor={"name": "n8n-test"})
        outcome = dispatch.run(policy=dispatch.Policy.from_config(app.config))
        delivery = db.session.query(WebhookDelivery).filter_by(
            event_kind="ticket.resolved").one()
        if delivery.status != "delivered":
            raise SystemExit(f"ticket.resolved not taken: {delivery.last_error}")
        step(f"ticket.resolved delivered ({outcome.delivered} delivered); the follow-up waits")
        conversation_id = db.session.query(Ticket).filter_by(
            reference=seeded["reference"]).one().conversation_id
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with app.app_context():
            asked = db.session.query(Message).filter(
                Message.conversation_id == conversation_id, Message.sender != "system",
                Message.direction == "out").count()
        mailed = [m for m in smtp.received if "camille@example.com" in m.recipients]
        posted = [b["body"] for i, b in (stand_in.posted if stand_in else [])
                  if i == conversation_id]
        if asked or mailed or posted:
            how = "a message in the conversation" if asked else \
                f"a message through the API ({posted[0][:60]!r}…)" if posted else \
                f"an email ({mailed[0].message.get_content().strip()[:60]!r}…)"
            step(f"the follow-up asked the shopper whether all is well: {how}")
            return
        time.sleep(0.5)
    raise SystemExit("the follow-up never reached the shopper")


def check_conversation_workflows(app: Any, smtp: Any, stand_in: ConversationStandIn | None
                                 ) -> None:
    """A conversation closes unrated, a waiting shopper goes quiet: each hears from us once."""
    from datetime import timedelta

    from database import db, events
    from database.base import utcnow
    from database.models import Message, WebhookDelivery
    from tests import factories, ticket_factories
    from workflows import dispatch

    with app.app_context():
        people = {}
        for kind, status in ((events.CONVERSATION_CLOSED, "closed"),
                             (events.HANDOFF_REQUESTED, "waiting")):
            shopper = factories.customer(first_name="Emma", language="en",
                                         email=f"{status}@example.com")
            chat = ticket_factories.conversation(shopper, status=status, language="en")
            db.session.add(Message(conversation_id=chat.id, channel="web", direction="in",
                                   sender="customer", body="Hello?",
                                   created_at=utcnow() - timedelta(minutes=10)))
            events.record(kind, conversation_id=chat.id, customer_id=shopper.id,
                          payload={"by": "agent"} if status == "closed" else
                          {"summary": {"reason": "asked for a person"}, "position": 1})
            db.session.commit()
            people[kind] = (chat.id, shopper.email)
        dispatch.run(policy=dispatch.Policy.from_config(app.config))
        for kind in people:
            delivery = db.session.query(WebhookDelivery).filter_by(event_kind=kind).one()
            if delivery.status != "delivered":
                raise SystemExit(f"{kind} not taken by n8n: {delivery.last_error}")
    step("conversation.closed and handoff.requested verified and taken; their workflows wait")
    for kind, (conversation_id, email) in people.items():
        deadline = time.monotonic() + 60
        while True:
            with app.app_context():
                written = db.session.query(Message).filter(
                    Message.conversation_id == conversation_id,
                    Message.direction == "out").count()
            posted = [b for i, b in (stand_in.posted if stand_in else []) if i ==
                      conversation_id]
            mailed = [m for m in smtp.received if email in m.recipients]
            if written or posted or mailed:
                text = posted[0]["body"] if posted else "a message" if written else \
                    mailed[0].message.get_content().strip()
                step(f"{kind}: the shopper heard from us: {text[:70]!r}…")
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{kind}: the shopper never heard from us")
            time.sleep(0.5)


def check_digest(smtp: Any) -> None:
    mail = wait_mail(smtp, "lead@demo.shop", timeout=40)
    body = mail.message.get_content()
    assert "Open urgent tickets" in body and "Tickets:" in body, body
    step(f"the support lead got the digest: {mail.message['Subject']!r}")
