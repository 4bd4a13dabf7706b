"""Hostile but parseable input gets a 4xx in the one error shape and stores nothing; a signed
webhook that cannot be read is acknowledged (200) and kept as rejected. Money is exact."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal

import pytest

from database import db
from database.models import Customer, Event, Message, Order, Product
from tests import factories
from tests.factories import bearer
from tests.web_app.whatsapp_setup import make_app  # noqa: F401  (the fixture)

NESTED = "[" * 30_000 + "]" * 30_000
ORDER = {"customer_email": "camille@example.com", "status": "paid",
         "items": [{"sku": "TSH-1", "name": "T-shirt", "quantity": 1, "unit_price": "29.90"}],
         "total": "29.90", "currency": "EUR", "placed_at": "2026-11-10T09:00:00Z"}
PRODUCT = {"name": "T-shirt", "price": "29.90", "currency": "EUR", "stock": 3}


@pytest.fixture
def keys(app):
    factories.customer(email="camille@example.com", first_name="Camille")
    return bearer(factories.api_key("catalog:write", "messages:write"))


def _counts() -> tuple[int, ...]:
    db.session.rollback()
    return tuple(db.session.query(model).count() for model in (Customer, Product, Order, Message))


def _refused(response, field: str | None = None) -> None:
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert set(error) >= {"code", "message"} and error["code"] == "validation_error"
    if field:
        assert field in error["fields"], error


@pytest.mark.parametrize("method, path", [
    ("post", "/api/process-message"), ("post", "/api/register"),
    ("put", "/api/customers/camille@example.com"), ("put", "/api/products/TSH-1"),
    ("put", "/api/orders/CMD-1"),
])
def test_json_nested_30000_deep_is_bad_input_everywhere(client, keys, method, path):
    before = _counts()
    response = getattr(client, method)(path, data=NESTED, content_type="application/json",
                                       headers=keys)
    _refused(response, "body")
    assert _counts() == before


@pytest.mark.parametrize("path, body, field", [
    ("/api/customers/camille@example.com",
     {"first_name": "C", "last_name": "D", "language": None}, "language"),
    ("/api/customers/camille@example.com", {"first_name": ["C"], "last_name": "D"},
     "first_name"),
    ("/api/products/TSH-1", {**PRODUCT, "stock": 9223372036854775808}, "stock"),
    ("/api/products/TSH-1", {**PRODUCT, "stock": -1}, "stock"),
    ("/api/products/TSH-1", {**PRODUCT, "price": "1E+400"}, "price"),
    ("/api/products/TSH-1", {**PRODUCT, "price": "NaN"}, "price"),
    ("/api/products/TSH-1", {**PRODUCT, "price": "Infinity"}, "price"),
    ("/api/products/TSH-1", {**PRODUCT, "price": "9" * 30}, "price"),
    ("/api/products/TSH-1", {**PRODUCT, "price": "10000000000.00"}, "price"),
    ("/api/products/TSH-1", {**PRODUCT, "price": "1.999"}, "price"),
    ("/api/products/TSH-1", {**PRODUCT, "currency": "XYZ"}, "currency"),
    ("/api/products/TSH-1", {**PRODUCT, "price": "1500.50", "currency": "JPY"}, "price"),
    ("/api/products/TSH-1", {**PRODUCT, "description": None}, "description"),
    ("/api/products/TSH-1", {**PRODUCT, "attributes": "red"}, "attributes"),
    ("/api/orders/CMD-1", {**ORDER, "placed_at": "0001-01-01T00:00:00+01:00"}, "placed_at"),
    ("/api/orders/CMD-1", {**ORDER, "placed_at": "9999-12-31T23:59:59-05:00"}, "placed_at"),
    ("/api/orders/CMD-1", {**ORDER, "estimated_delivery": "0001-01-01"},
     "estimated_delivery"),
    ("/api/orders/CMD-1", {**ORDER, "total": "1e400"}, "total"),
    ("/api/orders/CMD-1", {**ORDER, "items": [{**ORDER["items"][0], "unit_price": "0.001"}]},
     "items.0.unit_price"),
    ("/api/orders/CMD-1", {**ORDER, "items": [{**ORDER["items"][0], "quantity": 1e20}]},
     "items.0.quantity"),
    ("/api/orders/CMD-1", {**ORDER, "items": "T-shirt"}, "items"),
    ("/api/orders/CMD-1", {**ORDER, "shipping_address": "1 rue X"}, "shipping_address"),
])
def test_hostile_catalogue_values_are_refused_and_nothing_stored(client, keys, path, body,
                                                                 field):
    before = _counts()
    _refused(client.put(path, json=body, headers=keys), field)
    assert _counts() == before


@pytest.mark.parametrize("body, field", [
    ({"email": "camille@example.com", "message": ["where"]}, "message"),
    ({"email": 5, "message": "where"}, "email"),
    ({"email": "camille@example.com", "message": "x", "channel": "fax"}, "channel"),
    ({"email": "camille@example.com", "message": "x", "message_id": {"a": 1}}, "message_id"),
    ({"email": "camille@example.com", "message": "x" * 20_001}, "message"),
])
def test_hostile_messages_are_refused_and_nothing_stored(client, keys, body, field):
    before = _counts()
    _refused(client.post("/api/process-message", json=body, headers=keys), field)
    assert _counts() == before


@pytest.mark.parametrize("language", [None, "de", 3])
def test_registration_with_a_bad_language_is_refused(client, language):
    _refused(client.post("/api/register", json={
        "first_name": "A", "last_name": "B", "email": "ab@example.com",
        "password": "long-enough-1", "language": language}), "language")
    assert db.session.query(Customer).count() == 0


@pytest.mark.parametrize("amount", ["0.01", "29.90", "1234567.89", "9999999999.99"])
def test_money_round_trips_exactly(client, keys, amount):
    product = client.put("/api/products/TSH-1", json={**PRODUCT, "price": amount}, headers=keys)
    assert product.status_code == 201 and product.get_json()["product"]["price"] == amount
    order = client.put("/api/orders/CMD-1", headers=keys, json={
        **ORDER, "total": amount,
        "items": [{**ORDER["items"][0], "unit_price": amount}]})
    assert order.status_code == 201, order.get_json()
    db.session.expire_all()
    stored = db.session.query(Order).one()
    assert stored.total == Decimal(amount) and str(stored.total) == amount
    assert db.session.query(Product).one().price == Decimal(amount)
    again = client.get("/api/orders/CMD-1", headers=keys).get_json()["order"]
    assert again["total"] == amount and again["items"][0]["unit_price"] == amount


def test_whole_yen_are_money_too(client, keys):
    response = client.put("/api/products/FAN-1", headers=keys,
                          json={**PRODUCT, "price": "1500", "currency": "JPY"})
    assert response.status_code == 201 and response.get_json()["product"]["price"] == "1500.00"


# --- a validly signed Meta webhook of the wrong shapes -------------------------------------

SECRET = "meta-secret-hostile"


def _meta(message: object, value_extra: dict | None = None) -> dict:
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550002222", "phone_number_id": "1"},
             "contacts": [{"profile": {"name": "Ana"}, "wa_id": "351912345678"}],
             "messages": [message], **(value_extra or {})}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}]}


TEXT = {"from": "351912345678", "id": "wamid.HOSTILE", "timestamp": "1767225600",
        "type": "text", "text": {"body": "olá"}}
SHAPES = {
    "from-number": _meta({**TEXT, "from": 351912345678}),
    "from-list": _meta({**TEXT, "from": ["351912345678"]}),
    "from-object": _meta({**TEXT, "from": {"n": "351912345678"}}),
    "id-number": _meta({**TEXT, "id": 12345}),
    "timestamp-list": _meta({**TEXT, "timestamp": [1]}),
    "text-string": _meta({**TEXT, "text": "olá"}),
    "text-body-list": _meta({**TEXT, "text": {"body": ["olá"]}}),
    "interactive-type-list": _meta({**TEXT, "type": "interactive",
                                    "interactive": {"type": ["button_reply"]}}),
    "button-reply-string": _meta({**TEXT, "type": "interactive",
                                  "interactive": {"type": "button_reply",
                                                  "button_reply": "yes"}}),
    "image-string": _meta({**TEXT, "type": "image", "image": "https://x"}),
    "message-string": _meta("wamid.HOSTILE"),
    "profile-string": _meta(TEXT, {"contacts": [{"profile": "Ana", "wa_id": "351912345678"}]}),
    "from-user-id-number": _meta({**TEXT, "from_user_id": 42}),
    "location-list": _meta({**TEXT, "type": "location", "location": ["1", "2"]}),
    "button-payload-object": _meta({**TEXT, "type": "button", "button": ["x"]}),
}
OTHER = {
    "metadata-string": {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [
        {"field": "messages", "value": {"metadata": "x", "messages": [TEXT]}}]}]},
    "statuses-strings": {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [
        {"field": "messages", "value": {"statuses": ["sent"]}}]}]},
}


@pytest.mark.parametrize("payload", [*SHAPES.values(), *OTHER.values()],
                         ids=[*SHAPES, *OTHER])
def test_a_signed_meta_payload_of_the_wrong_shape_is_kept_as_rejected(make_app, payload):
    app = make_app(WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN="v")
    factories.customer(first_name="Ana", phone="+351912345678", language="pt",
                       email="ana@example.com")
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    response = app.test_client().post("/webhooks/whatsapp/meta", data=raw,
                                      content_type="application/json",
                                      headers={"X-Hub-Signature-256": signature})
    assert response.status_code == 200
    db.session.rollback()
    assert db.session.query(Message).count() == 0
    [rejected] = db.session.query(Event).filter_by(kind="webhook.rejected").all()
    assert rejected.payload["rejected"] >= 1 and rejected.payload["provider"] == "meta"
    assert response.get_json()["rejected"] >= 1


def test_a_signed_meta_payload_nested_too_deep_is_bad_input(make_app):
    app = make_app(WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN="v")
    raw = NESTED.encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    response = app.test_client().post("/webhooks/whatsapp/meta", data=raw,
                                      content_type="application/json",
                                      headers={"X-Hub-Signature-256": signature})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == \
        "validation_error"


def test_an_email_webhook_nested_too_deep_is_bad_input(make_app):
    app = make_app(EMAIL_WEBHOOK_SECRET="s")
    response = app.test_client().post("/webhooks/email", data=NESTED,
                                      content_type="application/json",
                                      headers={"X-Webhook-Secret": "s"})
    assert response.status_code == 400
    assert db.session.query(Message).count() == 0
