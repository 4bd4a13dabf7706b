"""Who writes on WhatsApp: the shopper behind a phone number or a WhatsApp user id.

Twilio sends `whatsapp:+15550001111`, Meta sends `15550001111` and, since 2026, a
business-scoped user id that stays when the shopper hides their number behind a username.
A sender we do not know gets an invitation to register, and nothing about anyone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from automation.accounts import invitations
from database import db, events
from database.base import utcnow
from database.customers import get_customer_by_phone
from database.models import Customer, Event

log = logging.getLogger(__name__)

REDELIVERY_WINDOW = timedelta(days=7)  # Meta retries a webhook for up to 7 days
# Countries whose shoppers most likely read French or Portuguese; everyone else gets English.
FRENCH = frozenset("FR BE CH LU MC SN CI CM ML BF NE TG BJ GA CG CD MG HT RE GP MQ GF YT PF NC "
                   "PM BL MF WF TN MA DZ".split())
PORTUGUESE = frozenset("PT BR AO MZ CV GW ST TL".split())

@dataclass(frozen=True)
class Sender:
    """A WhatsApp sender as a provider describes them."""

    phone: str | None = None       # E.164, when the provider shows it
    user_id: str | None = None     # Meta's business-scoped user id (BSUID)
    profile_name: str | None = None


def normalise_phone(raw: str | None) -> str | None:
    """Return a WhatsApp address or digits as an E.164 phone number, or None."""
    if not raw:
        return None
    text = raw.strip()
    if text.lower().startswith("whatsapp:"):
        text = text[len("whatsapp:"):].strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    elif not text.startswith("+"):
        text = "+" + text  # WhatsApp ids are international numbers without the plus
    try:
        number = phonenumbers.parse(text, None)
    except NumberParseException:
        return None
    # "Possible" rather than "valid": new number ranges reach WhatsApp before the metadata.
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def language_for_phone(phone: str | None) -> str:
    """Guess the language to greet an unknown number in, from its country."""
    if not phone:
        return "en"
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
    except NumberParseException:
        return "en"
    if region in FRENCH:
        return "fr"
    if region in PORTUGUESE:
        return "pt"
    return "en"


def find_shopper(sender: Sender) -> Customer | None:
    """Return the active shopper behind a sender (user id first, then phone), or None.

    A shopper found by phone who writes with a user id for the first time gets it remembered,
    so that they are still recognised once their number is hidden.
    """
    shopper = None
    if sender.user_id:
        shopper = db.session.scalar(
            select(Customer).where(Customer.whatsapp_user_id == sender.user_id))
    if shopper is None and sender.phone:
        shopper = get_customer_by_phone(sender.phone)
        if shopper is not None and sender.user_id and shopper.whatsapp_user_id is None:
            _remember_user_id(shopper, sender.user_id)
    if shopper is None or shopper.status != "active":
        return None
    return shopper


def _remember_user_id(shopper: Customer, user_id: str) -> None:
    shopper.whatsapp_user_id = user_id
    try:
        db.session.commit()
        log.info("remembered the WhatsApp user id of shopper %s", shopper.id)
    except IntegrityError:
        # Two deliveries of the same first message at once: the other one remembered it.
        db.session.rollback()


def invitation(sender: Sender, *, shop_name: str, public_base_url: str | None) -> str:
    """Return the invitation to register sent to an unknown number, in its likely language."""
    return invitations.invitation(language_for_phone(sender.phone), channel="whatsapp",
                                  shop_name=shop_name, public_base_url=public_base_url)


def record_unregistered(sender: Sender, *, provider: str, external_id: str | None) -> bool:
    """Note a message from an unknown sender (no phone kept) and commit; False if seen before.

    Providers deliver a message more than once; only the first delivery gets the invitation.
    """
    if external_id and _seen_unregistered(provider, external_id):
        return False
    events.record(events.MESSAGE_UNREGISTERED, level="warning", payload={
        "channel": "whatsapp", "provider": provider, "external_id": external_id,
        "language": language_for_phone(sender.phone), "by_user_id": sender.phone is None})
    db.session.commit()
    return True


def _seen_unregistered(provider: str, external_id: str) -> bool:
    since = utcnow() - REDELIVERY_WINDOW
    return db.session.scalar(
        select(Event.id).where(Event.kind == events.MESSAGE_UNREGISTERED,
                               Event.created_at >= since,
                               Event.payload["external_id"].as_string() == external_id,
                               Event.payload["provider"].as_string() == provider)
        .limit(1)) is not None
