"""A shopper's data exported whole (and no one else's), or erased leaving nothing of them but
the audit line, from the admin and from the command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from automation.privacy.erase import erase_shopper
from automation.privacy.export import export_shopper
from automation.runtime.errors import DeskError
from database import db
from database.models import Customer, Event, NotionPage, Order, Ticket, WebhookDelivery
from tests import factories
from tests.automation.privacy.shoppers import everything
from workflows import dispatch
from workflows.subscriptions import add_subscription

OTTOLINE = {"first": "Ottoline", "last": "Brackenbury", "email": "ottoline.b@example.org",
            "phone": "+351912000111"}
HUGO = {"first": "Hugolin", "last": "Fairweather", "email": "hugolin.f@example.net",
        "phone": "+33612000222"}
SECRET = "test-secret"


@pytest.fixture
def shoppers(app):
    """Two shoppers with everything, their tickets in Notion and sent to an n8n webhook."""
    add_subscription("https://n8n.example.com/webhook/tickets", ["ticket.created"])
    pair = everything(**OTTOLINE), everything(**HUGO)
    for person, ticket in ((OTTOLINE, pair[0]), (HUGO, pair[1])):
        [row] = db.session.scalars(select(Ticket).where(Ticket.customer_id == ticket.id))
        db.session.add(NotionPage(ticket_id=row.id,
                                  synced={"Customer": f"{person['first']} {person['last']}"}))
    db.session.commit()
    dispatch.collect(policy=dispatch.Policy())
    assert db.session.query(WebhookDelivery).count() == 2
    return pair


def _traces(person: dict) -> dict[str, list[str]]:
    """Return, per table, the rows where any of the person's email, names or phone appear."""
    needles = [person["email"], person["first"], person["last"], person["phone"]]
    found: dict[str, list[str]] = {}
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(text(f"SELECT * FROM {table.name}")):
            line = " ".join(str(value) for value in row if not isinstance(value, bytes))
            if any(needle.lower() in line.lower() for needle in needles):
                found.setdefault(table.name, []).append(line[:200])
    return found


def test_the_export_holds_everything_of_the_shopper_and_nothing_of_another(shoppers):
    ottoline, _hugo = shoppers
    document = export_shopper(OTTOLINE["email"], by="cli", secret_key=SECRET)
    dump = json.dumps(document, ensure_ascii=False, default=str)
    assert document["customer"]["email"] == OTTOLINE["email"]
    assert "password_hash" not in document["customer"]
    assert len(document["orders"]) == 1 and "Brackenbury House" in dump
    assert len(document["conversations"]) == 3  # two chats and the ticket's
    bodies = [m["body"] for c in document["conversations"] for m in c["messages"]]
    assert f"I am Ottoline Brackenbury, call me on {OTTOLINE['phone']}" in bodies
    assert [t["title"] for t in document["tickets"]] == ["Parcel of Ottoline Brackenbury"]
    assert [c["rating"] for c in document["csat"]] == [5, ]
    assert document["archives"][0]["messages"][0]["body"] == \
        f"Archived words of {OTTOLINE['phone']}"
    kinds = {e["kind"] for e in document["events"]}
    assert {"message.received", "csat.submitted", "ticket.created",
            "message.unregistered"} <= kinds
    for needle in HUGO.values():
        assert needle not in dump
    [audit] = db.session.scalars(select(Event).where(Event.kind == "privacy.exported")).all()
    assert audit.payload["customer_id"] == ottoline.id and audit.payload["by"] == "cli"
    assert OTTOLINE["email"] not in json.dumps(audit.payload)


def test_erasing_leaves_nothing_of_the_shopper_but_the_audit_line(shoppers):
    ottoline, hugo = shoppers
    ottoline_id, hugo_id = ottoline.id, hugo.id
    assert _traces(OTTOLINE)  # everywhere before
    done = erase_shopper(OTTOLINE["email"], by="staff:1", secret_key=SECRET)
    assert done.counts["conversations"] == 3 and done.counts["archives"] == 1
    assert done.counts["orders_kept"] == 1
    db.session.expire_all()
    assert _traces(OTTOLINE) == {}
    # The order stays for the shop's accounts, without the person behind it.
    order = db.session.scalar(select(Order).where(Order.customer_id == ottoline_id))
    assert order.shipping_address == {} and order.tracking_number is None
    placeholder = db.session.get(Customer, ottoline_id)
    assert placeholder.status == "blocked" and placeholder.password_hash is None
    [audit] = db.session.scalars(select(Event).where(Event.kind == "privacy.erased")).all()
    assert audit.payload["customer_id"] == ottoline_id and len(audit.payload["subject"]) == 24
    # The other shopper keeps everything.
    assert set(_traces(HUGO)) >= {"customers", "orders", "messages", "tickets", "events",
                                  "notion_pages", "webhook_deliveries"}
    assert len(export_shopper(HUGO["email"], by="cli", secret_key=SECRET)["conversations"]) == 3
    assert db.session.get(Customer, hugo_id).email == HUGO["email"]


def test_a_shopper_without_orders_is_deleted_outright(app):
    shopper = factories.customer(first_name="Solo", email="solo@example.org")
    erase_shopper("Solo@Example.org", by="cli", secret_key=SECRET)
    assert db.session.get(Customer, shopper.id) is None
    with pytest.raises(DeskError):
        erase_shopper("solo@example.org", by="cli", secret_key=SECRET)


# --- the admin page --------------------------------------------------------------------------

def _log_in(client):
    user = factories.staff(role="admin")
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    return user


def test_an_admin_looks_up_exports_and_erases_after_confirming(admin_client, shoppers):
    ottoline, _hugo = shoppers
    admin = _log_in(admin_client)
    page = admin_client.get("/settings/privacy", query_string={"email": OTTOLINE["email"]})
    html = page.get_data(as_text=True)
    assert "Brackenbury" in html and 'id="erase-start"' in html
    assert 'id="no-shopper"' in admin_client.get(
        "/settings/privacy?email=nobody@example.org").get_data(as_text=True)

    download = admin_client.post("/settings/privacy/export", data={"email": OTTOLINE["email"]})
    assert download.mimetype == "application/json"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.json["customer"]["id"] == ottoline.id

    wrong = admin_client.post("/settings/privacy/erase", data={
        "email": OTTOLINE["email"], "confirm_email": "someone@else.org"})
    assert wrong.status_code == 303 and "confirm=erase" in wrong.headers["Location"]
    assert db.session.scalar(select(Customer.email).where(Customer.id == ottoline.id)) \
        == OTTOLINE["email"]
    done = admin_client.post("/settings/privacy/erase", data={
        "email": OTTOLINE["email"], "confirm_email": OTTOLINE["email"].upper()},
        follow_redirects=True)
    assert "erased" in done.get_data(as_text=True)
    db.session.expire_all()
    assert _traces(OTTOLINE) == {}
    audit = db.session.scalars(select(Event).where(Event.kind.like("privacy.%"))
                               .order_by(Event.id)).all()
    assert [(e.kind, e.payload["by"]) for e in audit] == [
        ("privacy.exported", f"staff:{admin.id}"), ("privacy.erased", f"staff:{admin.id}")]


# --- the command line ------------------------------------------------------------------------

def test_the_cli_exports_to_stdout_or_a_file_and_erases_with_yes(app, shoppers, tmp_path):
    runner = app.test_cli_runner()
    printed = runner.invoke(args=["privacy", "export", OTTOLINE["email"]])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["customer"]["email"] == OTTOLINE["email"]
    out = tmp_path / "ottoline.json"
    saved = runner.invoke(args=["privacy", "export", OTTOLINE["email"], "--out", str(out)])
    assert saved.exit_code == 0 and json.loads(out.read_text())["orders"]

    refused = runner.invoke(args=["privacy", "erase", OTTOLINE["email"]], input="n\n")
    assert refused.exit_code == 1
    assert db.session.scalar(select(Customer.email).where(Customer.email == OTTOLINE["email"]))
    erased = runner.invoke(args=["privacy", "erase", OTTOLINE["email"], "--yes"])
    assert erased.exit_code == 0 and "erased" in erased.output
    db.session.expire_all()
    assert _traces(OTTOLINE) == {}
    unknown = runner.invoke(args=["privacy", "export", OTTOLINE["email"]])
    assert unknown.exit_code == 1 and "no shopper" in unknown.output


def test_the_cli_applies_retention_now(app, shoppers):
    result = app.test_cli_runner().invoke(args=["privacy", "retention"])
    assert result.exit_code == 0 and "Archived 0 conversations" in result.output
