"""Who holds a conversation: accept, reassign, transfer, hand back to the AI, close, requeue.

Every change is one conditional UPDATE (the conversation must still be as the caller saw it),
its event, the shopper's notice where they need one, and a commit; then the notices are
delivered and the queue is routed again (a place freed up, or the queue changed).

`actor` is the staff member acting, or None for the desk itself and API keys acting for
nobody in particular. An agent acts only on conversations nobody or they hold; supervisors
and admins act on any.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from automation.conversations import notices
from automation.conversations.staff_side import StaffSide
from automation.runtime.errors import DeskError
from database import db, events
from database.base import utcnow
from database.conversations import add_message, get_conversation, take_conversation
from database.models import Conversation, Message, StaffUser
from database.staff import get_staff, list_team

SUPERVISING = ("supervisor", "admin")
MAX_NOTE = 2000


def assign(conversation_id: int, staff_id: int, *, actor: StaffUser | None = None,
           now: datetime | None = None, strategy: str = "manual",
           reason: str | None = None, capacity: int | None = None) -> Conversation:
    """Give the conversation to a staff member and commit: exactly one of two staff accepting
    the same conversation at once gets it, the other a `conflict`.

    A waiting (or AI) conversation goes to whoever asks first; one someone else holds moves
    only when a supervisor reassigns it.
    """
    now = now or utcnow()
    staff = _active_staff(staff_id)
    if actor is not None and actor.id != staff.id and actor.role not in SUPERVISING:
        raise DeskError("forbidden", "agents take conversations for themselves only")
    conversation = _open(conversation_id)
    holder = conversation.assigned_staff_id if conversation.status == "active" else None
    if holder == staff.id:
        return conversation  # accepted twice: nothing changes
    if holder is not None and (actor is None or actor.role not in SUPERVISING):
        raise _held_by(conversation)
    was, waiting_since = conversation.status, conversation.waiting_since
    if not take_conversation(conversation.id, staff.id, now=now, from_status=was,
                             from_staff_id=holder, capacity=capacity):
        db.session.rollback()
        again = get_conversation(conversation_id)
        if again is not None and again.status == "active" \
                and again.assigned_staff_id == staff.id:
            return again  # their own second click (another tab) won
        raise _lost(conversation_id)
    db.session.expire(conversation)
    staff.last_assigned_at = now
    waited = _seconds(waiting_since, now) if was == "waiting" else None
    events.record(events.AGENT_ASSIGNED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"staff_id": staff.id, "staff_name": staff.name,
                           "team": staff.team, "queue_team": conversation.team,
                           "previous_staff_id": holder, "from_status": was,
                           "waited_s": waited, "strategy": strategy,
                           "reason": reason or ("reassigned" if holder else "accepted"),
                           "by_staff_id": actor.id if actor else None,
                           "priority": conversation.priority,
                           "channel": conversation.channel})
    told = []
    if conversation.channel in notices.JOINED_CHANNELS:
        told.append(notices.tell(conversation, notices.JOINED, now=now, kind="joined",
                                 agent=notices.first_name(staff.name)))
    db.session.commit()
    _deliver(told)
    return conversation


def transfer(conversation_id: int, *, actor: StaffUser | None, to_staff_id: int | None = None,
             to_team: str | None = None, note: str = "",
             now: datetime | None = None) -> Conversation:
    """Pass the conversation to a colleague or to a team's queue with a note; commit.

    The receiver reads the note (a private note in the conversation), the shopper is told.
    """
    now = now or utcnow()
    note = (note or "").strip()
    if (to_staff_id is None) == (not to_team):
        raise DeskError("validation_error", "to_staff_email or to_team: one of them",
                        fields={"to": "a colleague or a team"})
    if len(note) > MAX_NOTE:
        raise DeskError("validation_error", f"note: {MAX_NOTE} characters at most",
                        fields={"note": f"{MAX_NOTE} characters at most"})
    conversation = _open(conversation_id)
    if conversation.status not in ("active", "waiting"):
        raise DeskError("conflict", "only a conversation with a person or in the queue is "
                                    "transferred")
    _may_act(conversation, actor)
    holder_id = conversation.assigned_staff_id if conversation.status == "active" else None
    holder = get_staff(holder_id) if holder_id else None
    handle_s = _seconds(conversation.assigned_at, now) if holder_id else None
    if to_staff_id is not None:
        target = _active_staff(to_staff_id)
        if target.id == holder_id:
            raise DeskError("validation_error", "to_staff_email: they hold it already",
                            fields={"to_staff_email": "they hold it already"})
        from automation.conversations.staffing import is_online

        if target.availability == "offline" or not is_online(target, now):
            raise DeskError("conflict", f"{target.name} is offline")
        if not take_conversation(conversation.id, target.id, now=now,
                                 from_status=conversation.status, from_staff_id=holder_id):
            db.session.rollback()
            raise _lost(conversation_id)
        target.last_assigned_at = now
        to = {"to_staff_id": target.id, "to_staff_name": target.name, "to_team": None}
    else:
        team = to_team.strip()
        if team not in teams():
            raise DeskError("validation_error", f"to_team: no team {team}",
                            fields={"to_team": "not a team of the desk"})
        from automation.conversations.queue import front_of_queue

        if not _requeue_row(conversation.id, from_status=conversation.status,
                            holder_id=holder_id, waiting_since=front_of_queue(now),
                            team=team):
            db.session.rollback()
            raise _lost(conversation_id)
        target = None
        to = {"to_staff_id": None, "to_staff_name": None, "to_team": team}
    db.session.expire(conversation)
    author = actor or holder
    if note:
        add_message(conversation_id=conversation.id, customer_id=conversation.customer_id,
                    channel=conversation.channel, direction="out", sender="agent",
                    staff_id=author.id if author else None, body=note, private=True,
                    created_at=now, meta={"transfer": {"from_staff_id": holder_id, **to},
                                          "staff_name": author.name if author else None})
    events.record(events.CONVERSATION_TRANSFERRED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"from_staff_id": holder_id, "from_team": holder.team if holder
                           else None, **to, "note": note[:500],
                           "by_staff_id": actor.id if actor else None, "handle_s": handle_s,
                           "channel": conversation.channel})
    who = notices.first_name(holder.name) if holder else _team_word(conversation)
    told = [notices.tell(conversation, notices.TRANSFERRED_TO_PERSON, now=now,
                         kind="transferred", agent=who,
                         colleague=notices.first_name(target.name))
            if target is not None else
            notices.tell(conversation, notices.TRANSFERRED_TO_TEAM, now=now, kind="transferred",
                         agent=who, team=to["to_team"])]
    db.session.commit()
    _deliver(told)
    _queue_changed()
    return conversation


def hand_back(conversation_id: int, *, actor: StaffUser | None = None,
              now: datetime | None = None) -> Conversation:
    """Give the conversation back to the AI (the person is done, the shopper may go on)."""
    now = now or utcnow()
    conversation = _open(conversation_id)
    _may_act(conversation, actor)
    holder_id = conversation.assigned_staff_id if conversation.status == "active" else None
    holder = get_staff(holder_id) if holder_id else None
    was = conversation.status
    handle_s = _seconds(conversation.assigned_at, now) if holder_id else None
    conversation.status, conversation.assigned_staff_id = "ai", None
    conversation.waiting_since = conversation.escalated_at = None
    events.record(events.CONVERSATION_HANDED_BACK, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"staff_id": holder_id, "team": holder.team if holder else None,
                           "from_status": was, "handle_s": handle_s,
                           "by_staff_id": actor.id if actor else None,
                           "channel": conversation.channel})
    told = []
    if holder is not None:
        told.append(notices.tell(conversation, notices.HANDED_BACK, now=now, kind="handed_back",
                                 agent=notices.first_name(holder.name)))
    elif was == "waiting":
        events.record(events.QUEUE_LEFT, conversation_id=conversation.id,
                      customer_id=conversation.customer_id,
                      payload={"reason": "handed_back", "by_staff_id": actor.id if actor
                               else None, "channel": conversation.channel})
    db.session.commit()
    _deliver(told)
    _queue_changed()
    return conversation


def close(conversation_id: int, *, by: str = "agent", staff_id: int | None = None,
          actor: StaffUser | None = None, now: datetime | None = None,
          setup: StaffSide | None = None) -> Conversation:
    """Close the conversation and commit; the shopper is asked to rate it on their channel."""
    from automation.conversations import csat

    now = now or utcnow()
    conversation = _open(conversation_id)
    _may_act(conversation, actor)
    was = conversation.status
    holder_id = conversation.assigned_staff_id if was == "active" else None
    holder = get_staff(holder_id) if holder_id else None
    conversation.status, conversation.ended_at = "closed", now
    events.record(events.CONVERSATION_CLOSED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"by": by, "staff_id": staff_id or holder_id or (
                               actor.id if actor else None),
                           "team": holder.team if holder else None, "from_status": was,
                           "handle_s": _seconds(conversation.assigned_at, now)
                           if holder_id else None,
                           "resolution": "resolved" if holder_id else "closed",
                           "by_staff_id": actor.id if actor else None,
                           "channel": conversation.channel})
    told = []
    if holder_id is not None:
        prompt = csat.ask(conversation, now=now, setup=setup or StaffSide())
        told = [prompt] if prompt is not None else []
    db.session.commit()
    _deliver(told)
    if was in ("active", "waiting"):
        _queue_changed()
    return conversation


def requeue(conversation: Conversation, *, reason: str, now: datetime,
            absent_s: int | None = None) -> bool:
    """Put a conversation back at the front of the queue, urgent, and commit; tell the shopper.

    Return False when it changed meanwhile (closed, transferred): nothing is done.
    """
    from automation.conversations.queue import front_of_queue

    holder_id = conversation.assigned_staff_id
    holder = get_staff(holder_id) if holder_id else None
    if not _requeue_row(conversation.id, from_status="active", holder_id=holder_id,
                        waiting_since=front_of_queue(now), team=conversation.team,
                        priority="urgent"):
        db.session.rollback()
        return False
    held_s = _seconds(conversation.assigned_at, now)
    db.session.expire(conversation)
    context = dict(conversation.context or {})
    reasons = [*((context.get("handoff") or {}).get("priority_reasons") or []), "requeued"]
    context["handoff"] = {**(context.get("handoff") or {}), "priority_reasons":
                          list(dict.fromkeys(reasons))}
    conversation.context = context
    events.record(events.CONVERSATION_REQUEUED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"staff_id": holder_id, "team": holder.team if holder else None,
                           "reason": reason, "held_s": held_s, "absent_s": absent_s,
                           "channel": conversation.channel})
    told = notices.tell(conversation, notices.REQUEUED, now=now, kind="requeued",
                        agent=notices.first_name(holder.name) if holder else "—")
    db.session.commit()
    _deliver([told])
    return True


def teams() -> list[str]:
    """Return the desk's teams: those its active staff belong to."""
    return sorted({s.team for s in list_team() if s.team})


def may_act(conversation: Conversation, actor: StaffUser | None) -> bool:
    """Tell whether `actor` may change the conversation (theirs, nobody's, or supervising)."""
    if actor is None or actor.role in SUPERVISING:
        return True
    return conversation.status != "active" or conversation.assigned_staff_id in (None, actor.id)


# --- helpers --------------------------------------------------------------------------------

def _requeue_row(conversation_id: int, *, from_status: str, holder_id: int | None,
                 waiting_since: datetime, team: str | None, priority: str | None = None
                 ) -> bool:
    from sqlalchemy import update

    holder = Conversation.assigned_staff_id.is_(None) if holder_id is None \
        else Conversation.assigned_staff_id == holder_id
    values: dict[str, Any] = {"status": "waiting", "assigned_staff_id": None,
                              "assigned_at": None, "waiting_since": waiting_since,
                              "team": team, "escalated_at": None}
    if priority:
        values["priority"] = priority
    moved = db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status == from_status, holder)
        .values(**values).execution_options(synchronize_session=False))
    return moved.rowcount == 1


def _may_act(conversation: Conversation, actor: StaffUser | None) -> None:
    if not may_act(conversation, actor):
        raise DeskError("forbidden", "another staff member holds this conversation")


def _open(conversation_id: int) -> Conversation:
    conversation = get_conversation(conversation_id)
    if conversation is None:
        raise DeskError("not_found", f"no conversation {conversation_id}")
    if conversation.status == "closed":
        raise DeskError("conflict", f"conversation {conversation_id} is closed")
    return conversation


def _active_staff(staff_id: int) -> StaffUser:
    staff = get_staff(staff_id)
    if staff is None or not staff.active:
        raise DeskError("not_found", f"no active staff member {staff_id}")
    return staff


def _held_by(conversation: Conversation) -> DeskError:
    holder = get_staff(conversation.assigned_staff_id) if conversation.assigned_staff_id \
        else None
    name = holder.name if holder else "another staff member"
    return DeskError("conflict", f"{name} already holds this conversation")


def _lost(conversation_id: int) -> DeskError:
    """The conversation changed under us: say what it is now."""
    db.session.expire_all()
    conversation = get_conversation(conversation_id)
    if conversation is not None and conversation.status == "active":
        return _held_by(conversation)
    if conversation is not None and conversation.status == "closed":
        return DeskError("conflict", f"conversation {conversation_id} is closed")
    return DeskError("conflict", "the conversation changed meanwhile: reload and try again")


def _team_word(conversation: Conversation) -> str:
    from automation.runtime import i18n

    return i18n.text(notices.language_of(conversation), notices.OUR_TEAM)


def _seconds(since: datetime | None, now: datetime) -> int | None:
    return max(0, int((now - since).total_seconds())) if since else None


def _deliver(messages: list[Message]) -> None:
    from automation.channels.delivery import deliver

    for message in messages:
        deliver(message.id)


def _queue_changed() -> None:
    """Route the queue again: a place freed up, or someone joined it (a background job)."""
    from automation.conversations import jobs

    jobs.route_queue()
