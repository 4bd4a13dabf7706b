"""Shoppers register, log in and out, through the forms and the JSON API."""

from __future__ import annotations

import pytest

from database import db
from database.models import Customer, Event
from tests import factories

NEW_SHOPPER = {"first_name": "Camille", "last_name": "Dubois", "email": "Camille@Example.com",
               "password": "s3cret-pass", "language": "fr"}


def test_api_register_creates_a_shopper_with_a_hashed_password(client):
    response = client.post("/api/register", json=NEW_SHOPPER)
    assert response.status_code == 201
    assert response.json["customer"]["email"] == "camille@example.com"
    customer = db.session.query(Customer).one()
    assert customer.password_hash and "s3cret-pass" not in customer.password_hash
    assert db.session.query(Event).filter_by(kind="customer.registered").count() == 1


def test_api_register_twice_is_a_conflict(client):
    client.post("/api/register", json=NEW_SHOPPER)
    response = client.post("/api/register", json={**NEW_SHOPPER, "email": "CAMILLE@example.com"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict"
    assert response.json["error"]["fields"] == {"email": "already registered"}
    assert db.session.query(Customer).count() == 1


@pytest.mark.parametrize("body, field", [
    ({**NEW_SHOPPER, "email": "not-an-email"}, "email"),
    ({**NEW_SHOPPER, "password": "short"}, "password"),
    ({**NEW_SHOPPER, "first_name": 42}, "first_name"),
    ({**NEW_SHOPPER, "language": "de"}, "language"),
    ({**NEW_SHOPPER, "phone": "12"}, "phone"),
    ({**NEW_SHOPPER, "role": "admin"}, "role"),
    ({k: v for k, v in NEW_SHOPPER.items() if k != "last_name"}, "last_name"),
])
def test_api_register_names_the_bad_field(client, body, field):
    response = client.post("/api/register", json=body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_error"
    assert field in response.json["error"]["fields"]
    assert db.session.query(Customer).count() == 0


def test_api_register_rejects_broken_json_and_wrong_media_type(client):
    broken = client.post("/api/register", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json["error"]["fields"] == {
        "body": "not valid JSON"}
    form = client.post("/api/register", data=NEW_SHOPPER)
    assert form.status_code == 415
    assert form.json["error"]["code"] == "unsupported_media_type"
    array = client.post("/api/register", json=[NEW_SHOPPER])
    assert array.status_code == 400


def test_api_body_over_64_kib_is_refused(client):
    response = client.post("/api/register", json={**NEW_SHOPPER, "first_name": "x" * 70_000})
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    assert db.session.query(Customer).count() == 0


def test_register_form_logs_the_new_shopper_in(client):
    response = client.post("/register", data={**NEW_SHOPPER, "email": "joao@example.com"})
    assert response.status_code == 302
    home = client.get("/")
    assert "Bonjour Camille" in home.get_data(as_text=True)  # in the language chosen


def test_register_form_shows_field_errors(client):
    factories.customer(email="taken@example.com")
    response = client.post("/register", data={**NEW_SHOPPER, "email": "taken@example.com"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="register-form"' in page and "already registered" in page
    assert "<html" not in page  # htmx gets only the form fragment


def test_login_and_logout(client):
    factories.customer(email="camille@example.com", first_name="Camille")
    assert client.get("/orders").status_code == 302  # not logged in yet
    response = client.post("/login", data={"email": "CAMILLE@example.com",
                                           "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.get("/orders").status_code == 200
    client.post("/logout")
    assert client.get("/orders").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(client):
    factories.customer(email="camille@example.com")
    for email in ("camille@example.com", "nobody@example.com"):
        response = client.post("/login", data={"email": email, "password": "wrong-password"})
        assert response.status_code == 401
        assert "Wrong email or password." in response.get_data(as_text=True)


def test_blocked_shopper_cannot_log_in(client):
    factories.customer(email="blocked@example.com", status="blocked")
    response = client.post("/login", data={"email": "blocked@example.com",
                                           "password": factories.PASSWORD})
    assert response.status_code == 401


def test_login_never_redirects_off_site(client):
    factories.customer(email="camille@example.com")
    response = client.post("/login?next=//evil.example/x",
                           data={"email": "camille@example.com", "password": factories.PASSWORD})
    assert response.headers["Location"] == "/"


def test_get_logout_does_not_log_out(client):
    factories.customer(email="camille@example.com")
    client.post("/login", data={"email": "camille@example.com", "password": factories.PASSWORD})
    client.get("/logout")
    assert client.get("/orders").status_code == 200


def test_forms_require_a_csrf_token(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/register", data={**NEW_SHOPPER, "email": "csrf@example.com"})
    assert response.status_code == 403
    assert "expired" in response.get_data(as_text=True)
    assert db.session.query(Customer).count() == 0
    page = client.get("/register").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_a_json_request_without_csrf_token_is_forbidden_in_the_one_error_shape(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/register", json={**NEW_SHOPPER, "email": "csrf-json@example.com"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert db.session.query(Customer).count() == 0


@pytest.mark.parametrize("typed, stored", [
    ("06 12 34 56 78", "+33612345678"),          # national French form, French shopper
    ("+351 912 345 678", "+351912345678"),
])
def test_the_registration_form_keeps_a_phone_for_whatsapp(client, typed, stored):
    form = {**NEW_SHOPPER, "phone": typed}
    assert client.post("/register", data=form).status_code == 302
    assert db.session.query(Customer).one().phone == stored


def test_the_registration_form_explains_a_wrong_phone(client):
    response = client.post("/register", data={**NEW_SHOPPER, "phone": "12"})
    assert response.status_code == 400
    assert 'id="phone-error"' in response.get_data(as_text=True)
    assert db.session.query(Customer).count() == 0
