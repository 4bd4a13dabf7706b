"""The shopper's own pages: home with their orders, and the order list."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from database.catalog import list_customer_orders
from database.models.choices import ORDER_STATUSES

bp = Blueprint("pages", __name__)
PAGE_SIZE = 20


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("landing.html")
    orders = list_customer_orders(current_user.customer.id, limit=5)
    return render_template("home.html", orders=orders)


@bp.get("/orders")
@login_required
def orders():
    status = request.args.get("status") or None
    if status not in ORDER_STATUSES:
        status = None
    page = max(request.args.get("page", 1, type=int), 1)
    rows = list_customer_orders(current_user.customer.id, status=status,
                                limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    context = {"orders": rows[:PAGE_SIZE], "has_more": len(rows) > PAGE_SIZE, "page": page,
               "status": status, "statuses": ORDER_STATUSES}
    template = "orders/_list.html" if request.headers.get("HX-Request") else "orders/index.html"
    return render_template(template, **context), 200, {"Vary": "HX-Request"}
