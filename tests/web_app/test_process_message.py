"""`POST /api/process-message`: the shop's systems submit a shopper's message by email."""

from __future__ import annotations

import pytest

from database import db
from database.models import Message
from tests import factories
from tests.factories import bearer


@pytest.fixture
def key(app):
    return factories.api_key("messages:write")


@pytest.fixture
def camille(app):
    shopper = factories.customer(email="camille@example.com", first_name="Camille")
    factories.order(shopper, number="CMD-41001", status="shipped", carrier="Colissimo",
                    tracking_number="6A41001000FR")
    return shopper


def test_a_message_is_answered_about_the_shoppers_order(client, key, camille):
    response = client.post("/api/process-message", headers=bearer(key), json={
        "email": "camille@example.com", "message": "où est ma commande CMD-41001 ?"})
    assert response.status_code == 200
    body = response.json
    assert "6A41001000FR" in body["reply"] and body["intent"] == "order_status"
    assert body["language"] == "fr" and body["conversation_id"]


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_a_blank_message_is_bad_input_and_stores_nothing(client, key, camille, message):
    response = client.post("/api/process-message", headers=bearer(key), json={
        "email": "camille@example.com", "message": message})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_error"
    assert "message" in response.json["error"]["fields"]
    assert db.session.query(Message).count() == 0


def test_an_unknown_shopper_is_not_registered(client, key, camille):
    response = client.post("/api/process-message", headers=bearer(key), json={
        "email": "nobody@example.com", "message": "hello"})
    assert response.status_code == 403 and response.json["error"]["code"] == "not_registered"


def test_the_reply_is_recorded_as_sent_in_the_answer_once(client, key, camille):
    body = {"email": "camille@example.com", "message": "where is order CMD-41001?",
            "message_id": "crm-77"}
    first = client.post("/api/process-message", headers=bearer(key), json=body)
    again = client.post("/api/process-message", headers=bearer(key), json=body)
    assert again.json["duplicate"] is True and again.json["reply"] == first.json["reply"]
    replies = db.session.query(Message).filter_by(direction="out").all()
    assert len(replies) == 1
    reply = replies[0]
    assert reply.delivery_status == "sent"
    assert reply.meta["delivered_by"] == "api" and reply.meta["delivery_attempts"] == 1
