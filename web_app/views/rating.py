"""`/rate/<token>`: the one-click rating page of the email a shopper gets when a person closes
their conversation. The signed token names the conversation; no login is needed, the rating is
kept once. The link's GET only shows the choice (mail scanners follow links): POST stores it.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import force_locale

from automation.conversations.csat import RATINGS, read_rating_token, submit_rating
from automation.runtime import i18n
from automation.runtime.errors import DeskError
from database.conversations import get_conversation
from web_app.extensions import limiter

bp = Blueprint("rating", __name__)


@bp.get("/rate/<token>")
@limiter.limit("60 per minute")
def show(token: str):
    conversation = _conversation(token)
    chosen = request.args.get("rating", type=int)
    with force_locale(_language(conversation)):
        return render_template("rating.html", token=token, conversation=conversation,
                               chosen=chosen if chosen in RATINGS else None, ratings=RATINGS)


@bp.post("/rate/<token>")
@limiter.limit("20 per minute")
def store(token: str):
    conversation = _conversation(token)
    rating = request.form.get("rating", 0, type=int)
    try:
        conversation = submit_rating(conversation.id, customer_id=conversation.customer_id,
                                     rating=rating)
    except DeskError as exc:
        if exc.code != "conflict":
            raise
    status = 200 if conversation.rating is not None else 400
    with force_locale(_language(conversation)):
        return render_template("rating.html", token=token, conversation=conversation,
                               chosen=None, ratings=RATINGS), status


def _language(conversation) -> str:
    # The page speaks the shopper's language, whoever's browser opens the link.
    return i18n.language_of(conversation.language, conversation.customer.language)


def _conversation(token: str):
    conversation_id = read_rating_token(token, secret=current_app.config["SECRET_KEY"])
    conversation = get_conversation(conversation_id)
    if conversation is None:
        raise DeskError("not_found", "this rating link is not valid or has expired")
    return conversation
