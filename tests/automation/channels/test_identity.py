"""WhatsApp senders are matched to shoppers by phone or by Meta's user id; strangers are
invited to register, in their likely language, and learn nothing about anyone."""

from __future__ import annotations

import pytest

from automation.channels.whatsapp.identity import (Sender, find_shopper, invitation, language_for_phone,
                                 normalise_phone, record_unregistered)
from database import db
from database.models import Customer, Event
from tests import factories


@pytest.mark.parametrize("raw, e164", [
    ("whatsapp:+15550001111", "+15550001111"),     # Twilio
    ("15550001111", "+15550001111"),               # Meta: digits without the plus
    ("351912345678", "+351912345678"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("0033612345678", "+33612345678"),
    (" WhatsApp:+447700900123 ", "+447700900123"),
    ("", None), (None, None), ("whatsapp:", None), ("12", None), ("hello", None),
])
def test_phones_are_normalised_to_e164(raw, e164):
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("phone, language", [
    ("+33612345678", "fr"), ("+32470123456", "fr"), ("+221771234567", "fr"),
    ("+351912345678", "pt"), ("+5511987654321", "pt"), ("+244923123456", "pt"),
    ("+447700900123", "en"), ("+15550001111", "en"), ("+34612345678", "en"), (None, "en"),
])
def test_the_language_of_an_unknown_number_is_guessed_from_its_country(phone, language):
    assert language_for_phone(phone) == language


def test_shopper_is_found_by_phone(app):
    shopper = factories.customer(phone="+351912345678")
    assert find_shopper(Sender(phone="+351912345678")) == shopper
    assert find_shopper(Sender(phone="+351912345679")) is None
    assert find_shopper(Sender()) is None


def test_a_known_phone_writing_with_a_user_id_has_it_remembered(app):
    shopper = factories.customer(phone="+447700900123")
    assert find_shopper(Sender(phone="+447700900123", user_id="US.100")) == shopper
    db.session.expire_all()
    assert db.session.get(Customer, shopper.id).whatsapp_user_id == "US.100"
    # Later the shopper hides the number behind a username: the user id still finds them.
    assert find_shopper(Sender(phone=None, user_id="US.100")) == shopper


def test_the_user_id_wins_over_the_phone(app):
    owner = factories.customer(phone="+447700900123", whatsapp_user_id="US.1")
    other = factories.customer(phone="+447700900124")
    assert find_shopper(Sender(phone=other.phone, user_id="US.1")) == owner
    assert db.session.get(Customer, other.id).whatsapp_user_id is None


def test_a_user_id_already_remembered_is_not_replaced(app):
    shopper = factories.customer(phone="+447700900123", whatsapp_user_id="US.1")
    assert find_shopper(Sender(phone=shopper.phone, user_id="US.2")) == shopper
    assert db.session.get(Customer, shopper.id).whatsapp_user_id == "US.1"


def test_a_blocked_shopper_is_not_found(app):
    factories.customer(phone="+33612345678", status="blocked")
    assert find_shopper(Sender(phone="+33612345678")) is None


@pytest.mark.parametrize("phone, start, register", [
    ("+351912345678", "Olá!", "Crie a sua conta"),
    ("+33612345678", "Bonjour !", "Créez votre compte"),
    ("+447700900123", "Hello!", "Create your account"),
    (None, "Hello!", "Create your account"),
])
def test_the_invitation_links_to_registration_in_the_senders_language(phone, start, register):
    text = invitation(Sender(phone=phone), shop_name="Demo Shop",
                      public_base_url="https://shop.example/")
    assert text.startswith(start) and register in text
    assert "https://shop.example/register" in text and "Demo Shop" in text


def test_without_a_public_url_the_invitation_names_no_link():
    text = invitation(Sender(phone="+33612345678"), shop_name="Demo Shop", public_base_url=None)
    assert "http" not in text and "notre site" in text


def test_a_stranger_is_recorded_once_per_message_without_their_number(app):
    sender = Sender(phone="+351935550123")
    assert record_unregistered(sender, provider="meta", external_id="wamid.1")
    assert not record_unregistered(sender, provider="meta", external_id="wamid.1")
    assert record_unregistered(sender, provider="twilio", external_id="wamid.1")
    assert record_unregistered(sender, provider="meta", external_id="wamid.2")
    rows = db.session.query(Event).filter_by(kind="message.unregistered").all()
    assert len(rows) == 3 and all("935550123" not in str(e.payload) for e in rows)
    assert rows[0].payload["language"] == "pt"
