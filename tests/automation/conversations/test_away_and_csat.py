"""When nobody can answer (opening hours, nobody online, leaving a message), satisfaction
ratings given in a message or through the email's link, and canned replies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from automation.conversations import away, canned, csat
from automation.conversations.staff_side import StaffSide
from automation.runtime.errors import DeskError
from database import db, events
from database.models import CannedReply, Conversation, Message, Ticket
from tests import factories
from tests.automation.conversations.staffside import (agent, conversation, events as logged,
                                                      fresh, now)

HOURS = {"timezone": "Europe/Lisbon", "days": {"mon": ["09:00", "18:00"],
                                               "sat": ["10:00", "13:00"]}}


@pytest.mark.parametrize("at, is_open, reopens", [
    ("2026-12-07T10:00:00+00:00", True, "2026-12-12T10:00:00+00:00"),  # Monday 10:00 Lisbon
    ("2026-12-07T18:30:00+00:00", False, "2026-12-12T10:00:00+00:00"),  # Monday evening
    ("2026-12-08T12:00:00+00:00", False, "2026-12-12T10:00:00+00:00"),  # Tuesday: closed
])
def test_opening_hours(at, is_open, reopens):
    moment = datetime.fromisoformat(at)
    assert away.is_open(HOURS, moment) is is_open
    found = away.next_opening(HOURS, moment)
    assert (found.astimezone(UTC).isoformat() if found else None) == reopens
    assert away.is_open({}, moment) and away.next_opening({}, moment) is None


@pytest.mark.parametrize("text", ["Leave a message", "laisser un message",
                                  "Deixar uma mensagem.", "LAISSER UN MESSAGE !"])
def test_leave_a_message_is_understood_in_every_language(text):
    assert away.asks_to_leave_message(text)


def test_asking_for_a_person_with_nobody_online_offers_to_leave_a_message(chat):
    emma = chat("en", channel="web")
    outcome = emma.say("I want to talk to a person")
    assert outcome.status == "waiting"
    assert "No one from our team is online" in outcome.reply
    assert [q.value for q in outcome.quick_replies] == ["Leave a message"]
    prompt = emma.say("Leave a message")
    assert "write your message in one go" in prompt.reply and prompt.status == "waiting"
    left = emma.say("My parcel CMD-10102 arrived damaged, please call me back.")
    assert left.status == "ai" and left.ticket is not None
    assert left.ticket["reference"] in left.reply
    ticket = db.session.query(Ticket).one()
    assert "arrived damaged" in ticket.description
    [gone] = logged(events.QUEUE_LEFT)
    assert gone.payload["reason"] == "left_message" and gone.payload["ticket"] == ticket.reference
    after = emma.say("Thanks! What are your delivery times?")
    assert after.agent != "desk"  # the assistant goes on answering


def test_with_someone_online_the_shopper_gets_a_place_and_an_estimate(chat):
    agent()
    outcome = chat("fr").say("Je veux parler à un conseiller")
    assert outcome.status == "waiting" and outcome.quick_replies == []
    assert "le prochain dans la file" in outcome.reply


def test_outside_opening_hours_the_shopper_is_told_when_the_team_is_back(chat, app):
    from database.models import Setting

    db.session.add(Setting(key="opening_hours", value={"timezone": "UTC", "days": {}}))
    db.session.commit()
    agent()
    app.extensions["settings"]._checked = 0.0
    outcome = chat("en").say("Can I speak to a human?")
    assert outcome.status == "waiting" and "away right now" not in outcome.reply  # never opens
    assert "Leave a message" in [q.value for q in outcome.quick_replies]


@pytest.mark.parametrize("text, rating", [("5", 5), ("4/5", 4), (" 3 stars", 3),
                                          ("★★★★", 4), ("5 étoiles", 5), ("2 — Mau", 2),
                                          ("nota 1", 1), ("5 orders please", None),
                                          ("6", None), ("hello", None)])
def test_ratings_in_a_message(text, rating):
    assert csat.rating_from(text) == rating


def test_a_rating_on_whatsapp_after_closing_is_stored_once(chat, engine):
    from automation.conversations import assignment


    marie = agent()
    joao = chat("pt", channel="whatsapp")
    joao.say("Quero falar com uma pessoa",
             metadata={"whatsapp": {"provider": "meta", "reply_to": "351912345678"}})
    held = db.session.query(Conversation).one()
    assignment.assign(held.id, marie.id)
    assignment.close(held.id, actor=marie, setup=StaffSide())
    prompt = db.session.query(Message).filter(Message.meta["notice"].as_string() == "csat") \
        .one() if db.engine.dialect.name == "postgresql" else [
            m for m in db.session.query(Message).all() if (m.meta or {}).get("notice") == "csat"][0]
    assert "1 (mau) a 5 (excelente)" in prompt.body
    rated = joao.say("5", metadata={"whatsapp": {"provider": "meta", "reply_to": "351912"}})
    assert rated.conversation_id == held.id and "5/5" in rated.reply
    assert fresh(held).rating == 5 and fresh(held).status == "closed"
    again = joao.say("1")
    assert again.conversation_id == held.id and "já foi avaliada" in again.reply
    assert fresh(held).rating == 5
    [given] = logged(events.CSAT_SUBMITTED)
    assert given.payload == {"rating": 5, "channel": "whatsapp", "via": "whatsapp_message",
                             "staff_id": marie.id, "team": None}
    later = joao.say("Onde está a minha encomenda?")
    assert later.conversation_id != held.id  # anything else starts a new conversation


def test_the_email_link_token_names_one_conversation(app):
    token = csat.rating_token(42, secret="s3cret")
    assert csat.read_rating_token(token, secret="s3cret") == 42
    for bad in (token + "x", csat.rating_token(42, secret="other")):
        with pytest.raises(DeskError) as refused:
            csat.read_rating_token(bad, secret="s3cret")
        assert refused.value.code == "not_found"


def test_canned_replies_in_the_shoppers_language_with_placeholders_filled(app):
    lead = agent(role="supervisor")
    marie = agent(name="Marie Curie")
    shopper = factories.customer(first_name="Camille", language="fr")
    factories.order(shopper, number="CMD-77001")
    for language, body in (("en", "Hello {first_name}, {agent_name} here about {order}."),
                           ("fr", "Bonjour {first_name}, c'est {agent_name} ({order}).")):
        canned.save(actor=lead, shortcode="/hello", language=language, body=body,
                    title="Greeting")
    canned.save(actor=lead, shortcode="help", language="en", body="How can I help?")
    row = conversation("active", shopper=shopper, language="fr", assigned_staff_id=marie.id)
    found = canned.suggestions("/he", conversation=row, staff=marie)
    assert [(s.shortcode, s.language) for s in found] == [("hello", "fr"), ("help", "en")]
    assert found[0].text == "Bonjour Camille, c'est Marie (CMD-77001)."
    assert len(logged(events.CANNED_REPLY_SAVED)) == 3


@pytest.mark.parametrize("fields, code", [
    ({"shortcode": "hello world"}, "validation_error"),
    ({"language": "de"}, "validation_error"),
    ({"body": "Hi {firstname}"}, "validation_error"),
    ({"body": ""}, "validation_error"),
    ({}, "conflict"),
])
def test_canned_replies_are_checked(app, fields, code):
    lead = agent(role="supervisor")
    canned.save(actor=lead, shortcode="hello", language="en", body="Hi {first_name}")
    with pytest.raises(DeskError) as refused:
        canned.save(actor=lead, **{"shortcode": "hello", "language": "en",
                                   "body": "Hi again", **fields})
    assert refused.value.code == code


def test_only_supervisors_manage_canned_replies(app):
    lead, marie = agent(role="supervisor"), agent()
    with pytest.raises(DeskError) as refused:
        canned.save(actor=marie, shortcode="hi", language="en", body="Hi")
    assert refused.value.code == "forbidden"
    reply = canned.save(actor=lead, shortcode="hi", language="en", body="Hi")
    with pytest.raises(DeskError):
        canned.delete(reply.id, actor=marie)
    canned.delete(reply.id, actor=lead)
    assert db.session.query(CannedReply).count() == 0
    assert logged(events.CANNED_REPLY_DELETED)[0].payload["shortcode"] == "hi"
