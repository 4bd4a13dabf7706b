"""Outbound webhooks in the admin (Settings): subscriptions, their deliveries, dead letters
with a Redeliver button. Admins only."""

from __future__ import annotations

from flask import (Blueprint, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import roles_required
from automation.runtime.errors import DeskError
from database import db
from database.models import WebhookDelivery, WebhookSubscription
import notion.jobs  # noqa: F401  (staff changes to tickets wake the Notion push)
from workflows import dispatch, jobs, status
from workflows.subscriptions import (KINDS, OPT_IN, add_subscription, delivery_counts,
                                     get_subscription, list_subscriptions,
                                     remove_subscription, secret_hint, set_active)

bp = Blueprint("webhooks", __name__, url_prefix="/settings/webhooks")


def kind_labels() -> dict[str, str]:
    """Return what each event kind means, in the staff member's language."""
    return {
        "ticket.created": _("A ticket is opened"),
        "ticket.updated": _("A ticket changes (status, priority, assignee, note)"),
        "ticket.resolved": _("A ticket is resolved"),
        "handoff.requested": _("A shopper asks for a person"),
        "conversation.closed": _("A conversation is closed"),
        "csat.submitted": _("A shopper rates a conversation"),
        "message.received": _("Every shopper message (many: only if a workflow needs it)"),
        "sla.breached": _("A ticket goes past its due time"),
    }


def status_labels() -> dict[str, str]:
    return {"pending": _("waiting"), "sending": _("sending"), "delivered": _("delivered"),
            "dead": _("dead letter")}


def _page(*, new_secret: dict | None = None, form: dict | None = None,
          errors: dict | None = None, code: int = 200):
    counts = delivery_counts()
    subscriptions = [{"row": s, "counts": counts.get(s.id, {}), "hint": secret_hint(s.secret)}
                     for s in list_subscriptions()]
    return render_template(
        "webhooks/index.html", subscriptions=subscriptions, kinds=KINDS, opt_in=OPT_IN,
        labels=kind_labels(), statuses=status_labels(), health=status(),
        dead=dispatch.dead_letters(limit=100), recent=dispatch.recent_deliveries(limit=20),
        new_secret=new_secret, form=form or {"events": []}, errors=errors or {},
        url_example="https://n8n.example.com/webhook/desk-sla-breached"), code


@bp.get("")
@roles_required("admin")
def index():
    # The secret of a subscription just made is shown on this one page, never again.
    shown = session.pop("webhook_secret_for", None)
    new_secret = None
    if shown is not None:
        subscription = db.session.get(WebhookSubscription, shown)
        if subscription is not None:
            new_secret = {"id": subscription.id, "url": subscription.url,
                          "secret": subscription.secret}
    return _page(new_secret=new_secret)


@bp.post("")
@roles_required("admin")
def create():
    form = {"url": request.form.get("url", "").strip(),
            "description": request.form.get("description", "").strip(),
            "events": request.form.getlist("events")}
    try:
        subscription = add_subscription(form["url"], form["events"],
                                        description=form["description"],
                                        staff_id=current_user.user.id)
    except DeskError as exc:
        db.session.rollback()
        errors = {"url": _("An http:// or https:// address."),
                  "events": _("Choose at least one event.")}
        return _page(form=form, errors={k: errors.get(k, v) for k, v in exc.fields.items()},
                     code=400)
    jobs.forget_kinds()
    # After a redirect, a reload never makes a second subscription; the session holds the
    # id only, the secret stays in the database.
    session["webhook_secret_for"] = subscription.id
    return redirect(url_for("webhooks.index"), code=303)


def _subscription(subscription_id: int):
    try:
        return get_subscription(subscription_id)
    except DeskError:
        raise DeskError("not_found", _("This subscription does not exist.")) from None


@bp.post("/<int:subscription_id>/active")
@roles_required("admin")
def toggle(subscription_id: int):
    subscription = _subscription(subscription_id)
    set_active(subscription.id, not subscription.active, staff_id=current_user.user.id)
    jobs.forget_kinds()
    flash(_("Subscription resumed.") if subscription.active else _("Subscription paused."))
    return redirect(url_for("webhooks.index"))


@bp.post("/<int:subscription_id>/remove")
@roles_required("admin")
def remove(subscription_id: int):
    remove_subscription(_subscription(subscription_id).id, staff_id=current_user.user.id)
    jobs.forget_kinds()
    flash(_("Subscription removed."))
    return redirect(url_for("webhooks.index"))


@bp.post("/deliveries/<delivery_id>/redeliver")
@roles_required("admin")
def redeliver(delivery_id: str):
    try:
        delivery = dispatch.redeliver(delivery_id, staff_id=current_user.user.id)
    except DeskError as exc:
        message = _("This delivery is already being sent.") if exc.code == "conflict" \
            else _("This delivery does not exist.")
        raise DeskError(exc.code, message) from None
    _wake()
    if request.headers.get("HX-Request"):
        return render_template("webhooks/_dead_row.html", delivery=delivery,
                               statuses=status_labels(), requeued=True)
    flash(_("Delivery queued again."))
    return redirect(url_for("webhooks.index"))


@bp.post("/dead-letters/redeliver")
@roles_required("admin")
def redeliver_all():
    dead = dispatch.dead_letters(limit=1000)
    for delivery in dead:
        dispatch.redeliver(delivery.delivery_id, staff_id=current_user.user.id)
    _wake()
    flash(_("Queued again: %(n)d.", n=len(dead)))
    return redirect(url_for("webhooks.index"))


@bp.get("/deliveries/<delivery_id>")
@roles_required("admin")
def delivery(delivery_id: str):
    row = db.session.query(WebhookDelivery).filter_by(delivery_id=delivery_id).one_or_none()
    if row is None:
        raise DeskError("not_found", _("This delivery does not exist."))
    return render_template("webhooks/delivery.html", delivery=row, statuses=status_labels())


def _wake() -> None:
    """Ask the worker for a dispatch now (inline when jobs run inline)."""
    try:
        jobs.dispatch_webhooks()
    except Exception:  # noqa: BLE001 - the minute sweep will send it anyway
        current_app.logger.warning("could not enqueue the webhook dispatcher", exc_info=True)
