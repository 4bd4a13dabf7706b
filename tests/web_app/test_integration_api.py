"""The shop's platform pushes shoppers, products and orders with scoped bearer keys."""

from __future__ import annotations

import pytest

from database import db
from database.models import ApiKey, Customer, Event, Order, Product
from tests import factories
from tests.factories import bearer

ORDER = {"customer_email": "camille@example.com", "status": "shipped",
         "items": [{"sku": "TSH-BLU-M", "name": "T-shirt bleu", "quantity": 2,
                    "unit_price": 29.9}],
         "total": 59.8, "currency": "EUR", "carrier": "Colissimo",
         "tracking_number": "6A12345678901", "placed_at": "2026-11-10T09:00:00Z",
         "shipped_at": "2026-11-12T15:00:00+01:00", "estimated_delivery": "2026-11-15",
         "shipping_address": {"name": "Camille Dubois", "line1": "12 rue des Lilas",
                              "postcode": "75011", "city": "Paris", "country": "FR"}}


@pytest.fixture
def catalog_key(app):
    return factories.api_key("catalog:write")


def test_unknown_key_is_unauthorized(client):
    response = client.put("/api/products/TSH", json={}, headers=bearer("sk_desk_nope"))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert client.put("/api/products/TSH", json={}).status_code == 401


def test_key_without_the_scope_is_forbidden(client):
    key = factories.api_key("messages:write")
    response = client.put("/api/products/TSH", json={}, headers=bearer(key))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_revoked_key_is_unauthorized(client, catalog_key):
    from database.base import utcnow

    db.session.query(ApiKey).one().revoked_at = utcnow()
    db.session.commit()
    response = client.put("/api/products/TSH", json={}, headers=bearer(catalog_key))
    assert response.status_code == 401


def test_customer_upsert_creates_then_updates(client, catalog_key):
    body = {"first_name": "Camille", "last_name": "Dubois", "phone": "+33 6 12 34 56 78",
            "language": "fr"}
    created = client.put("/api/customers/Camille@Example.com", json=body,
                         headers=bearer(catalog_key))
    assert created.status_code == 201
    assert created.json["customer"]["phone"] == "+33612345678"
    updated = client.put("/api/customers/camille@example.com",
                         json={**body, "last_name": "Martin"}, headers=bearer(catalog_key))
    assert updated.status_code == 200
    assert db.session.query(Customer).one().last_name == "Martin"


def test_product_upsert_is_idempotent(client, catalog_key):
    body = {"name": "T-shirt bleu", "price": "29.90", "currency": "EUR", "stock": 12,
            "category": "clothing", "attributes": {"size": "M", "colour": "blue"}}
    first = client.put("/api/products/TSH-BLU-M", json=body, headers=bearer(catalog_key))
    second = client.put("/api/products/TSH-BLU-M", json=body, headers=bearer(catalog_key))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json == second.json
    assert db.session.query(Product).count() == 1
    assert db.session.query(Event).filter_by(kind="product.upserted").count() == 1


def test_order_upsert_round_trips_and_is_idempotent(client, catalog_key):
    factories.customer(email="camille@example.com")
    first = client.put("/api/orders/CMD-48213", json=ORDER, headers=bearer(catalog_key))
    assert first.status_code == 201
    again = client.put("/api/orders/CMD-48213", json=ORDER, headers=bearer(catalog_key))
    assert again.status_code == 200
    assert db.session.query(Order).count() == 1
    assert db.session.query(Event).filter_by(kind="order.upserted").count() == 1
    stored = client.get("/api/orders/CMD-48213", headers=bearer(catalog_key)).json["order"]
    assert stored["status"] == "shipped"
    assert stored["total"] == "59.80"
    assert stored["items"][0]["unit_price"] == "29.90"
    assert stored["shipped_at"].startswith("2026-11-12T14:00:00")  # stored in UTC
    assert stored["tracking_number"] == "6A12345678901"
    delivered = client.put("/api/orders/CMD-48213", headers=bearer(catalog_key), json={
        **ORDER, "status": "delivered", "delivered_at": "2026-11-14T10:00:00Z"})
    assert delivered.status_code == 200
    assert db.session.query(Order).one().status == "delivered"


@pytest.mark.parametrize("change, field", [
    ({"status": "lost"}, "status"),
    ({"items": []}, "items"),
    ({"items": [{"sku": "X", "name": "Y", "quantity": 0, "unit_price": 1}]}, "items.0.quantity"),
    ({"items": [{"sku": "X", "name": "Y", "quantity": "2", "unit_price": 1}]},
     "items.0.quantity"),
    ({"total": -1}, "total"),
    ({"total": "12.345"}, "total"),
    ({"currency": "euro"}, "currency"),
    ({"placed_at": "yesterday"}, "placed_at"),
    ({"customer_email": "nobody@example.com"}, "customer_email"),
    ({"colour": "red"}, "colour"),
])
def test_order_validation_names_the_field_and_stores_nothing(client, catalog_key, change, field):
    factories.customer(email="camille@example.com")
    response = client.put("/api/orders/CMD-1", json={**ORDER, **change},
                          headers=bearer(catalog_key))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_error"
    assert field in response.json["error"]["fields"]
    assert db.session.query(Order).count() == 0


def test_missing_order_is_not_found(client, catalog_key):
    response = client.get("/api/orders/CMD-00000", headers=bearer(catalog_key))
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_phone_of_another_shopper_is_a_conflict(client, catalog_key):
    factories.customer(email="a@example.com", phone="+33612345678")
    response = client.put("/api/customers/b@example.com", headers=bearer(catalog_key), json={
        "first_name": "B", "last_name": "B", "phone": "+33612345678"})
    assert response.status_code == 409
    assert db.session.query(Customer).count() == 1


def test_apikey_cli_prints_the_key_once_and_stores_its_hash(app):
    result = app.test_cli_runner().invoke(
        args=["apikey", "create", "shop-platform", "--scope", "catalog:write"])
    assert result.exit_code == 0, result.output
    raw_key = result.stdout.strip().splitlines()[0]
    stored = db.session.query(ApiKey).one()
    assert stored.scopes == ["catalog:write"]
    assert raw_key not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    client = app.test_client()
    response = client.get("/api/orders/CMD-1", headers=bearer(raw_key))
    assert response.status_code == 404  # the key works: the order simply does not exist


def test_a_possible_but_unlisted_phone_is_kept_and_flagged(client, catalog_key):
    # +44 7700 900xxx is the UK's drama range: possible, never assigned, so not "valid".
    body = {"first_name": "Emma", "last_name": "Brown", "phone": "+44 7700 900123"}
    response = client.put("/api/customers/emma@example.com", json=body,
                          headers=bearer(catalog_key))
    assert response.status_code == 201
    assert response.json["customer"]["phone"] == "+447700900123"
    assert response.json["customer"]["phone_doubtful"] is True
    assert "phone" in response.json["warnings"]
    assert db.session.query(Customer).one().phone_doubtful is True
    fixed = client.put("/api/customers/emma@example.com", headers=bearer(catalog_key),
                       json={**body, "phone": "+33612345678"})
    assert fixed.json["customer"]["phone_doubtful"] is False and "warnings" not in fixed.json


def test_an_impossible_phone_is_refused_naming_the_field(client, catalog_key):
    response = client.put("/api/customers/emma@example.com", headers=bearer(catalog_key),
                          json={"first_name": "Emma", "last_name": "Brown", "phone": "+33 12"})
    assert response.status_code == 400
    assert "phone" in response.json["error"]["fields"]
    assert db.session.query(Customer).count() == 0
