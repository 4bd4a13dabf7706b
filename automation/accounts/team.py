"""Admins manage the staff: invite, change role, skills and capacity, deactivate.

Two rules hold whatever a page sends: an admin cannot deactivate or demote themselves, and the
desk always keeps one active admin. An invited person gets a signed link, valid a week and
once, to choose their password.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from automation.runtime.errors import DeskError
from database import db, events
from database.models import StaffUser
from database.models.choices import LANGUAGES, STAFF_ROLES
from database.staff import count_active_admins, get_staff, get_staff_by_email

INVITATION_MAX_AGE_S = 7 * 24 * 3600
MIN_PASSWORD = 10


def invite_staff(*, name: str, email: str, role: str, language: str, languages: Iterable[str],
                 categories: Iterable[str], capacity: Any, invited_by: int) -> StaffUser:
    """Add a staff member who cannot log in until they follow their invitation
    (`invitation_token`); audit it, and commit."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not 1 <= len(name) <= 120:
        errors["name"] = "1 to 120 characters"
    try:
        email = validate_email(email or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors["email"] = "not a valid address"
    if not errors.get("email") and get_staff_by_email(email) is not None:
        errors["email"] = "already on the team"
    if language not in LANGUAGES:
        errors["language"] = "one of " + ", ".join(LANGUAGES)
    fields = _checked_fields(role=role, languages=languages, categories=categories,
                             capacity=capacity, errors=errors)
    if errors:
        raise DeskError("validation_error", _message(errors), fields=errors)
    # An unguessable password nobody knows: the invitation link sets the real one.
    staff = StaffUser(name=name, email=email, language=language,
                      password_hash=generate_password_hash(secrets.token_urlsafe(32)), **fields)
    db.session.add(staff)
    db.session.flush()
    events.record(events.STAFF_INVITED, payload={"staff_id": staff.id, "role": staff.role,
                                                  "by": invited_by})
    db.session.commit()
    return staff


def invitation_token(staff: StaffUser, secret_key: str) -> str:
    """Return the signed token of a staff member's invitation (void once a password is set)."""
    return _signer(secret_key).dumps({"id": staff.id, "p": staff.password_hash[-16:]})


def invited_staff(token: str, secret_key: str) -> StaffUser:
    """Return the staff member a live invitation token names, or raise not_found."""
    try:
        data = _signer(secret_key).loads(token, max_age=INVITATION_MAX_AGE_S)
    except BadSignature:
        raise DeskError("not_found", "this invitation is not valid or has expired") from None
    staff = get_staff(int(data.get("id", 0)))
    if staff is None or not staff.active or staff.password_hash[-16:] != data.get("p"):
        raise DeskError("not_found", "this invitation is not valid or has been used")
    return staff


def accept_invitation(token: str, password: str, *, secret_key: str) -> StaffUser:
    """Set the invited person's password (which voids the link), audit it, and commit."""
    staff = invited_staff(token, secret_key)
    if len(password or "") < MIN_PASSWORD:
        raise DeskError("validation_error", f"password: at least {MIN_PASSWORD} characters",
                        fields={"password": f"at least {MIN_PASSWORD} characters"})
    staff.password_hash = generate_password_hash(password)
    events.record(events.STAFF_JOINED, payload={"staff_id": staff.id})
    db.session.commit()
    return staff


def change_staff(staff_id: int, *, role: str, languages: Iterable[str],
                 categories: Iterable[str], capacity: Any, by: int) -> StaffUser:
    """Change a staff member's role, skills and capacity; audit what changed, and commit."""
    staff = _staff(staff_id)
    errors: dict[str, str] = {}
    fields = _checked_fields(role=role, languages=languages, categories=categories,
                             capacity=capacity, errors=errors)
    if not errors and staff.role == "admin" and fields["role"] != "admin":
        if staff.id == by:
            errors["role"] = "you cannot remove your own admin role"
        elif staff.active and count_active_admins() <= 1:
            errors["role"] = "the desk needs at least one active admin"
    if errors:
        raise DeskError("validation_error", _message(errors), fields=errors)
    # Skills this page does not edit (channels…) stay as they were.
    fields["skills"] = {**{key: value for key, value in (staff.skills or {}).items()
                           if key not in ("languages", "categories")}, **fields["skills"]}
    before = {"role": staff.role, "skills": staff.skills, "max_concurrent": staff.max_concurrent}
    after = {"role": fields["role"], "skills": fields["skills"],
             "max_concurrent": fields["max_concurrent"]}
    changed = {key: {"before": before[key], "after": after[key]}
               for key in after if before[key] != after[key]}
    if changed:
        staff.role, staff.skills, staff.max_concurrent = (
            fields["role"], fields["skills"], fields["max_concurrent"])
        events.record(events.STAFF_CHANGED, payload={"staff_id": staff.id, "by": by,
                                                     "changes": changed})
    db.session.commit()
    return staff


def set_staff_active(staff_id: int, active: bool, *, by: int) -> StaffUser:
    """Deactivate (they can no longer log in) or reactivate a staff member; audit, commit."""
    staff = _staff(staff_id)
    if not active and staff.id == by:
        raise DeskError("conflict", "you cannot deactivate yourself")
    if not active and staff.role == "admin" and staff.active and count_active_admins() <= 1:
        raise DeskError("conflict", "the desk needs at least one active admin")
    if staff.active != active:
        staff.active = active
        if not active:
            staff.availability = "offline"  # routing must stop giving them conversations
        events.record(events.STAFF_CHANGED, payload={
            "staff_id": staff.id, "by": by,
            "changes": {"active": {"before": not active, "after": active}}})
    db.session.commit()
    return staff


def _checked_fields(*, role: str, languages: Iterable[str], categories: Iterable[str],
                    capacity: Any, errors: dict[str, str]) -> dict[str, Any]:
    if role not in STAFF_ROLES:
        errors["role"] = "one of " + ", ".join(STAFF_ROLES)
    languages = sorted({code for code in languages if code})
    if any(code not in LANGUAGES for code in languages):
        errors["languages"] = "one of " + ", ".join(LANGUAGES)
    categories = sorted({c.strip().lower() for c in categories if c and c.strip()})
    if any(len(c) > 40 for c in categories):
        errors["categories"] = "names of at most 40 characters"
    try:
        max_concurrent = int(str(capacity).strip())
        if not 1 <= max_concurrent <= 50:
            raise ValueError
    except ValueError:
        errors["max_concurrent"] = "a whole number from 1 to 50"
        max_concurrent = 1
    skills = {key: value for key, value in (("languages", languages),
                                            ("categories", categories)) if value}
    return {"role": role, "skills": skills, "max_concurrent": max_concurrent}


def _staff(staff_id: int) -> StaffUser:
    staff = get_staff(staff_id)
    if staff is None:
        raise DeskError("not_found", f"no staff member {staff_id}")
    return staff


def _message(errors: dict[str, str]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in errors.items())


def _signer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="staff-invitation")
