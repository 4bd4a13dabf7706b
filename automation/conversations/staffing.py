"""Who is on the desk: each staff member's chosen status, their presence and their load.

`availability` is what the person chose (available, busy, offline); presence is whether their
workspace is connected (its socket, or their pages, refresh `last_seen_at`). Someone is
*online* when they chose available or busy and were seen within `ONLINE_WINDOW`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from automation.runtime.errors import DeskError
from database import db, events
from database.conversations import staff_loads
from database.models import StaffUser
from database.models.choices import STAFF_AVAILABILITY
from database.staff import get_staff, list_team, touch_staff

HEARTBEAT = timedelta(seconds=20)      # the workspace socket says "still here" this often
ONLINE_WINDOW = timedelta(seconds=60)  # three missed heartbeats: not online any more
SEEN_EVERY = timedelta(seconds=15)     # pages refresh presence at most this often
SUPERVISING = ("supervisor", "admin")


@dataclass(frozen=True)
class Agent:
    """A staff member as the queue sees them at one moment."""

    staff: StaffUser
    load: int
    online: bool

    @property
    def status(self) -> str:
        """Return what colleagues see: their chosen status, or offline when disconnected."""
        return self.staff.availability if self.online else "offline"

    @property
    def free(self) -> int:
        return max(0, self.staff.max_concurrent - self.load)

    @property
    def takes_new(self) -> bool:
        """Tell whether routing may give them one more conversation now."""
        return self.online and self.staff.availability == "available" and self.free > 0


def is_online(staff: StaffUser, now: datetime) -> bool:
    """Tell whether the staff member works now: chose to, and their workspace is connected."""
    return bool(staff.active and staff.availability != "offline" and staff.last_seen_at
                and now - staff.last_seen_at <= ONLINE_WINDOW)


def team(now: datetime) -> list[Agent]:
    """Return every active staff member with their load and presence, by name."""
    loads = staff_loads()
    return [Agent(staff, loads.get(staff.id, 0), is_online(staff, now))
            for staff in list_team()]


def online(now: datetime) -> list[Agent]:
    """Return the staff working now."""
    return [agent for agent in team(now) if agent.online]


def seen(staff_id: int, now: datetime) -> bool:
    """Note that a staff member is here (at most every few seconds) and commit."""
    touched = touch_staff(staff_id, now=now, older_than=now - SEEN_EVERY)
    db.session.commit()
    return touched


def connected(staff_id: int, now: datetime) -> None:
    """Record that a staff member's workspace connected, and commit."""
    touch_staff(staff_id, now=now, older_than=now)
    events.record(events.AGENT_CONNECTED, payload={"staff_id": staff_id})
    db.session.commit()


def disconnected(staff_id: int, now: datetime, *, grace_s: int) -> None:
    """Record that a workspace connection closed, and commit: the person has `grace_s`
    seconds to come back before their conversations go back to the queue."""
    touch_staff(staff_id, now=now, older_than=now)
    events.record(events.AGENT_DISCONNECTED, payload={"staff_id": staff_id, "grace_s": grace_s})
    db.session.commit()


def set_availability(staff_id: int, availability: str, *, actor: StaffUser | None,
                     now: datetime) -> StaffUser:
    """Change a staff member's status (theirs, or anyone's for a supervisor) and commit."""
    if availability not in STAFF_AVAILABILITY:
        raise DeskError("validation_error", "availability: available, busy or offline",
                        fields={"availability": "available, busy or offline"})
    staff = get_staff(staff_id)
    if staff is None or not staff.active:
        raise DeskError("not_found", f"no active staff member {staff_id}")
    if actor is not None and actor.id != staff.id and actor.role not in SUPERVISING:
        raise DeskError("forbidden", "only supervisors change a colleague's status")
    before = staff.availability
    if before != availability:
        staff.availability = availability
        if actor is not None and actor.id == staff.id:
            staff.last_seen_at = now
        events.record(events.AGENT_STATUS_CHANGED,
                      payload={"staff_id": staff.id, "from": before, "to": availability,
                               "by_staff_id": actor.id if actor else None})
    db.session.commit()
    return staff


def on_duty(now: datetime) -> list[StaffUser]:
    """Return who should hear about a shopper waiting too long: the staff working today
    (available or busy, connected or not), else the supervisors and admins."""
    working = [s for s in list_team() if s.availability != "offline"]
    return working or [s for s in list_team() if s.role in SUPERVISING]


def requeue_absent(*, now: datetime, grace_s: int, staff_id: int | None = None) -> list[int]:
    """Put back at the front of the queue the conversations of staff whose workspace has
    been gone longer than `grace_s`; return the conversations requeued.

    Only staff whose presence is known (they were seen once) are concerned: an account that
    never opened the workspace (a script acting through the API) keeps its conversations.
    """
    from automation.conversations.assignment import requeue
    from database.conversations import held_by

    cutoff = now - timedelta(seconds=grace_s)
    requeued = []
    people = [get_staff(staff_id)] if staff_id is not None else list_team(active_only=False)
    for staff in people:
        if staff is None or staff.last_seen_at is None or staff.last_seen_at >= cutoff:
            continue
        for conversation in held_by(staff.id):
            absent_s = int((now - staff.last_seen_at).total_seconds())
            if requeue(conversation, reason="agent_disconnected", now=now, absent_s=absent_s):
                requeued.append(conversation.id)
    return requeued
