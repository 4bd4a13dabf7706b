"""Routing and the queue: priority, places and estimates, the four strategies, capacity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from automation.conversations import queue, routing
from database import db, events
from database.conversations import queue_position, queue_positions, staff_loads
from database.models import Conversation
from tests import factories
from tests.automation.conversations.staffside import (agent, conversation, events as logged,
                                                      fresh, now)


def test_the_queue_serves_urgent_first_then_the_longest_wait(app):
    old = conversation(minutes_ago=20)
    urgent = conversation(minutes_ago=1, priority="urgent")
    middle = conversation(minutes_ago=10, priority="high")
    recent = conversation(minutes_ago=2)
    assert queue_positions() == {urgent.id: 1, middle.id: 2, old.id: 3, recent.id: 4}
    assert [queue_position(c) for c in (urgent, middle, old, recent)] == [1, 2, 3, 4]


def test_the_estimate_comes_from_the_people_online_and_their_handle_time(app):
    assert queue.outlook(now()).minutes(1) is None  # nobody online: no promise
    marie = agent(max_concurrent=2)
    agent(availability="busy")  # online, but takes nothing new
    seen = queue.outlook(now())
    assert (seen.online, seen.slots, seen.free) == (2, 2, 2)
    assert seen.minutes(1) == seen.minutes(2) == 1  # a free place each
    # Two more waiting than free places, two places, six minutes each: one round, 6 min.
    assert seen.minutes(4) == 6
    events.record(events.CONVERSATION_CLOSED, payload={"handle_s": 120})
    events.record(events.CONVERSATION_CLOSED, payload={"handle_s": 240})
    db.session.commit()
    assert queue.average_handle_s() == 180
    held = conversation("active", assigned_staff_id=marie.id)
    assert held.status == "active"
    seen = queue.outlook(now())
    assert seen.free == 1 and seen.minutes(2) == 2  # (2 - 1) × 180 s / 2 places


@pytest.mark.parametrize("case, expected", [
    ("frustrated", ["frustrated"]), ("complaint", ["complaint"]), ("vip", ["vip"]),
    ("repeated", ["repeated_contact"]), ("negative", []), ("calm", []),
])
def test_handoff_priority(app, case, expected):
    from automation.conversations.handoff import request_handoff
    from database.models import Message

    shopper = factories.customer(preferences={"vip": True} if case == "vip" else {})
    if case == "repeated":
        for _ in range(2):
            conversation("closed", shopper=shopper)
    current = conversation("ai", shopper=shopper)
    message = Message(conversation_id=current.id, channel="web", direction="in",
                      sender="customer", body="I need help",
                      intent="complaint" if case == "complaint" else "order_status",
                      sentiment=-0.6 if case == "negative" else 0.1)
    db.session.add(message)
    db.session.flush()
    request_handoff(conversation=current, customer=shopper, message=message,
                    reason="shopper asked for a person", now=now(),
                    frustrated=case == "frustrated", vip_spend=0)
    db.session.commit()
    stored = fresh(current)
    assert stored.priority == ("urgent" if expected else "high" if case == "negative"
                               else "normal")
    assert stored.context["handoff"]["priority_reasons"] == (
        expected or (["negative"] if case == "negative" else []))
    [asked] = logged(events.HANDOFF_REQUESTED)
    assert asked.payload["priority"] == stored.priority and asked.payload["position"] == 1


def test_a_big_spender_is_a_vip(app):
    from decimal import Decimal

    shopper = factories.customer()
    factories.order(shopper, total=Decimal("700.00"))
    factories.order(shopper, total=Decimal("400.00"))
    factories.order(shopper, total=Decimal("900.00"), status="cancelled")
    assert queue.is_vip(shopper, vip_spend=1000)
    assert not queue.is_vip(shopper, vip_spend=1200)
    assert not queue.is_vip(shopper, vip_spend=0)


def test_manual_routing_assigns_nobody(app):
    agent()
    waiting = conversation()
    assert routing.route(strategy="manual", now=now()) == []
    assert fresh(waiting).status == "waiting"


def test_round_robin_gives_the_next_to_whoever_waited_longest_for_one(app):
    anna = agent(name="Anna", last_assigned_at=now() - timedelta(minutes=1))
    bruno = agent(name="Bruno", last_assigned_at=now() - timedelta(minutes=30))
    carla = agent(name="Carla", last_assigned_at=None)
    waiting = [conversation(minutes_ago=10 - i) for i in range(4)]
    routed = routing.route(strategy="round_robin", now=now())
    assert [r.staff_id for r in routed] == [carla.id, bruno.id, anna.id, carla.id]
    assert [r.conversation_id for r in routed] == [c.id for c in waiting]
    [first, *_] = logged(events.AGENT_ASSIGNED)
    assert first.payload["strategy"] == "round_robin" and first.payload["reason"]


def test_twenty_shoppers_three_agents_least_loaded_never_over_capacity(app):
    """The issue's load case: every place filled, nobody over capacity, the rest in order."""
    capacities = {"Anna": 3, "Bruno": 2, "Carla": 4}
    agents = {name: agent(name=name, max_concurrent=size) for name, size in capacities.items()}
    conversation("active", assigned_staff_id=agents["Carla"].id)  # Carla holds one already
    shoppers = [conversation(minutes_ago=30 - i, priority="urgent" if i == 17 else "normal")
                for i in range(20)]
    routed = routing.route(strategy="least_loaded", now=now())
    loads = staff_loads()
    assert {name: loads.get(a.id, 0) for name, a in agents.items()} == capacities
    assert len(routed) == sum(capacities.values()) - 1
    # Served in queue order: the urgent one first, then the longest waits.
    served = [r.conversation_id for r in routed]
    assert served[0] == shoppers[17].id
    assert served[1:] == [c.id for c in shoppers[:len(served) - 1]]
    left = [c for c in shoppers if fresh(c).status == "waiting"]
    assert len(left) == 20 - len(served)
    positions = queue_positions()
    assert [positions[c.id] for c in left] == list(range(1, len(left) + 1))
    # Each new assignment went to someone with the fewest conversations at that moment.
    assert {r.staff_id for r in routed[:2]} == {agents["Anna"].id, agents["Bruno"].id}
    assert routed[2].staff_id == agents["Carla"].id  # one each, then the most free places
    assert routing.route(strategy="least_loaded", now=now()) == []  # everyone is full


def test_busy_offline_and_disconnected_agents_get_nothing(app):
    agent(availability="busy")
    agent(availability="offline")
    agent(last_seen_at=now() - timedelta(minutes=5))  # available, but the workspace is gone
    waiting = conversation()
    assert routing.route(strategy="least_loaded", now=now()) == []
    assert fresh(waiting).status == "waiting"


def test_skills_routing_waits_for_someone_who_speaks_the_language(app):
    french = agent(name="Fanny", skills={"languages": ["fr"], "categories": ["shipping"]},
                   max_concurrent=1)
    agent(name="Ed", skills={"languages": ["en"]})
    first = conversation(language="fr", context={"handoff": {"intent": "delivery_info"}})
    second = conversation(language="fr", minutes_ago=1)
    english = conversation(language="en", minutes_ago=0.5)
    routed = routing.route(strategy="skills", now=now())
    assert [(r.conversation_id, r.staff_id) for r in routed] == [
        (first.id, french.id), (english.id, routed[1].staff_id)]
    assert "language" in routed[0].reason and "category" in routed[0].reason
    assert fresh(second).status == "waiting"  # Fanny is full; Ed does not speak French


def test_skills_routing_without_any_speaker_takes_the_least_loaded(app):
    ed = agent(name="Ed", skills={"languages": ["en"]})
    waiting = conversation(language="pt")
    [routed] = routing.route(strategy="skills", now=now())
    assert routed.staff_id == ed.id and routed.reason.startswith("no skill matched")
    assert fresh(waiting).assigned_staff_id == ed.id


def test_a_team_transfer_is_routed_only_to_that_team(app):
    agent(name="Sales Sam", team="sales")
    billing = agent(name="Bill", team="billing")
    waiting = conversation(team="billing")
    [routed] = routing.route(strategy="least_loaded", now=now())
    assert routed.staff_id == billing.id and fresh(waiting).assigned_staff_id == billing.id


def test_routing_twice_at_once_never_exceeds_capacity(app):
    """Two processes routing the same queue: conditional updates keep each agent in bounds."""
    import threading

    solo = agent(max_concurrent=2)
    for i in range(6):
        conversation(minutes_ago=10 - i)
    start = threading.Barrier(3)

    def run():
        with app.app_context():
            start.wait()
            try:
                routing.route(strategy="least_loaded", now=now())
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.expire_all()
    held = db.session.query(Conversation).filter_by(assigned_staff_id=solo.id,
                                                    status="active").count()
    assert held == 2
