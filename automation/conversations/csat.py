"""Customer satisfaction: the shopper rates a closed conversation from 1 to 5, once.

Asked on the conversation's own channel when a person closes it: the web chat shows stars;
WhatsApp gets a list of five ratings (Meta) or the question in words (Twilio), answered by a
tap or a number; email gets a signed one-click link to a rating page, and a number in a reply
email counts too. Whatever the way, the first rating is the one kept.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from automation.conversations import notices
from automation.conversations.staff_side import StaffSide
from automation.runtime import i18n
from automation.runtime.errors import DeskError
from automation.runtime.i18n import N_
from database import db, events
from database.base import utcnow
from database.conversations import get_conversation, latest_inbound, set_rating_once
from database.models import Conversation, Message
from database.staff import get_staff

RATINGS = range(1, 6)
ASK_CHANNELS = ("whatsapp", "email")
ANSWER_WINDOW = timedelta(days=7)      # a rating in a message counts this long after closing
SECOND_TAP = timedelta(minutes=10)     # a rating again this soon: "rated already", not a question
TOKEN_MAX_AGE = timedelta(days=30)
TOKEN_SALT = "desk-csat"
WHATSAPP_WINDOW = timedelta(hours=24)

ASK_WHATSAPP = N_("How did we do, {name}? Rate this conversation from 1 (poor) to 5 "
                  "(excellent): choose below or reply with a number.")
ASK_EMAIL_LINK = N_("How did we do, {name}? Rate this conversation in one click: {link}\n\n"
                    "Or reply to this email with a number from 1 (poor) to 5 (excellent).")
ASK_EMAIL = N_("How did we do, {name}? Reply to this email with a number from 1 (poor) to 5 "
               "(excellent).")
RATE_BUTTON = N_("Rate")
RATING_WORDS = {5: N_("Excellent"), 4: N_("Good"), 3: N_("Okay"), 2: N_("Poor"),
                1: N_("Very poor")}
THANKS = N_("Thank you for your rating, {name}: {rating}/5.")
ALREADY = N_("Thank you, {name}: this conversation was rated already.")
# "5", "5/5", "5 stars", "★★★★★", "5 étoiles", "nota 5"…
_RATING = re.compile(r"^\s*(?:nota|note|rating)?\s*([1-5])\s*(?:/\s*5)?\s*"
                     r"(?:\*+|★+|⭐+|stars?|étoiles?|etoiles?|estrelas?|[—–-]\s*[^\d]{1,20})?"
                     r"\s*[.!]*\s*$", re.IGNORECASE)
_STARS = re.compile(r"^\s*([★⭐]{1,5})\s*$")


def submit_rating(conversation_id: int, *, customer_id: int, rating: int) -> Conversation:
    """Store the shopper's rating of their closed conversation and commit (only once)."""
    if rating not in RATINGS:
        raise DeskError("validation_error", "rating: a whole number from 1 to 5",
                        fields={"rating": "a whole number from 1 to 5"})
    conversation = get_conversation(conversation_id)
    if conversation is None or conversation.customer_id != customer_id:
        # Someone else's conversation is not theirs to rate, nor to learn about.
        raise DeskError("not_found", f"no conversation {conversation_id}")
    if conversation.status != "closed":
        raise DeskError("conflict", "rating: the conversation is still open")
    if conversation.rating is not None or not record_rating(conversation, rating,
                                                            via=conversation.channel):
        db.session.rollback()  # a second submission (another tab) won the race
        raise DeskError("conflict", "rating: already given")
    db.session.commit()
    return conversation


def record_rating(conversation: Conversation, rating: int, *, via: str) -> bool:
    """Rate a closed conversation once and record the event (no commit); False if rated."""
    if not set_rating_once(conversation.id, rating):
        return False
    context = dict(conversation.context or {})
    context["csat"] = {**(context.get("csat") or {}), "rated_at": utcnow().isoformat()}
    conversation.context = context
    staff = get_staff(conversation.assigned_staff_id) if conversation.assigned_staff_id else None
    events.record(events.CSAT_SUBMITTED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"rating": rating, "channel": conversation.channel, "via": via,
                           "staff_id": conversation.assigned_staff_id,
                           "team": staff.team if staff else None})
    return True


def ask(conversation: Conversation, *, now: datetime, setup: StaffSide) -> Message | None:
    """Store the rating question for the shopper's channel (no commit), or None where the
    channel asks by itself (the web chat's stars) or cannot ask (the API)."""
    if conversation.channel not in ASK_CHANNELS:
        return None
    language = notices.language_of(conversation)
    name = conversation.customer.first_name
    meta: dict[str, Any] = {"notice": "csat", "csat": True}
    if conversation.channel == "whatsapp":
        last = latest_inbound(conversation.id)
        if last is None or now - last.created_at >= WHATSAPP_WINDOW:
            return None  # only a template could reach them: not worth one for a rating
        body = i18n.text(language, ASK_WHATSAPP, name=name)
        meta["choice_list"] = {
            "button": i18n.text(language, RATE_BUTTON),
            "rows": [{"id": f"qr:{value}",
                      "title": f"{value} — {i18n.text(language, RATING_WORDS[value])}"}
                     for value in sorted(RATINGS, reverse=True)]}
    elif setup.public_base_url:
        body = i18n.text(language, ASK_EMAIL_LINK, name=name,
                         link=rating_link(conversation.id, setup=setup))
    else:
        body = i18n.text(language, ASK_EMAIL, name=name)
    message = notices.store(conversation, body, now=now, kind="csat")
    message.meta = {**(message.meta or {}), **meta}
    conversation.context = {**(conversation.context or {}),
                            "csat": {"asked_at": now.isoformat(),
                                     "channel": conversation.channel}}
    events.record(events.CSAT_REQUESTED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"channel": conversation.channel,
                           "staff_id": conversation.assigned_staff_id})
    return message


def awaiting(conversation: Conversation, now: datetime) -> bool:
    """Tell whether a closed conversation still waits for the rating it asked for (or was
    rated a moment ago: a second tap on the list is answered, not taken for a new question)."""
    asked = (conversation.context or {}).get("csat") or {}
    if conversation.status != "closed" or not asked.get("asked_at"):
        return False
    if conversation.rating is None:
        return now - datetime.fromisoformat(asked["asked_at"]) <= ANSWER_WINDOW
    rated = asked.get("rated_at")
    return bool(rated) and now - datetime.fromisoformat(rated) <= SECOND_TAP


def rating_from(text: str) -> int | None:
    """Return the rating a short answer gives ("5", "4/5", "★★★", "5 étoiles"), or None."""
    if (match := _RATING.match(text or "")) is not None:
        return int(match.group(1))
    if (stars := _STARS.match(text or "")) is not None:
        return len(stars.group(1))
    return None


def rating_turn(message: Message, conversation: Conversation, *, language: str) -> str:
    """Store the rating a shopper's message gives their closed conversation (once, no
    commit) and return the thanks to send."""
    rating = rating_from(message.body)
    kept = rating is not None and record_rating(conversation, rating,
                                                via=f"{conversation.channel}_message")
    return thanks(conversation, rating if kept else None, language=language)


def thanks(conversation: Conversation, rating: int | None, *, language: str) -> str:
    """Return the reply to a rating given in a message."""
    name = conversation.customer.first_name
    if rating is None:
        return i18n.text(language, ALREADY, name=name)
    return i18n.text(language, THANKS, name=name, rating=rating)


# --- the email's one-click link ----------------------------------------------------------------

def rating_token(conversation_id: int, *, secret: str) -> str:
    """Return the signed token of a conversation's rating link."""
    return URLSafeTimedSerializer(secret, salt=TOKEN_SALT).dumps({"c": conversation_id})


def read_rating_token(token: str, *, secret: str) -> int:
    """Return the conversation a rating token is about, or raise `not_found`."""
    try:
        data = URLSafeTimedSerializer(secret, salt=TOKEN_SALT).loads(
            token, max_age=int(TOKEN_MAX_AGE.total_seconds()))
    except (SignatureExpired, BadSignature):
        raise DeskError("not_found", "this rating link is not valid or has expired") from None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        raise DeskError("not_found", "this rating link is not valid or has expired")
    return data["c"]


def rating_link(conversation_id: int, *, setup: StaffSide) -> str:
    """Return the absolute link to the rating page of the shop (web_app)."""
    base = (setup.public_base_url or "").rstrip("/")
    return f"{base}/rate/{rating_token(conversation_id, secret=setup.secret_key)}"
