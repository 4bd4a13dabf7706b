"""The integration API: the shop's platform pushes shoppers, products and orders in."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from automation.orders.sync import upsert_customer, upsert_order, upsert_product
from automation.runtime.errors import DeskError, validation_error
from database.catalog import get_order_by_number
from database.models import Order
from web_app.api import json_body
from web_app.api.schemas import CustomerUpsert, OrderUpsert, ProductUpsert, normalise_email, parse
from web_app.auth import require_scope
from web_app.extensions import csrf

bp = Blueprint("catalog_api", __name__, url_prefix="/api")
csrf.exempt(bp)  # bearer-key callers send no cookie, so there is no session to forge


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def order_json(order: Order) -> dict[str, Any]:
    """Return the order as the API shows it, with the changes the desk made."""
    return {
        "number": order.number, "customer_email": order.customer.email,
        "status": order.status, "items": order.items, "total": f"{order.total:.2f}",
        "currency": order.currency, "carrier": order.carrier,
        "tracking_number": order.tracking_number, "placed_at": _iso(order.placed_at),
        "shipped_at": _iso(order.shipped_at), "delivered_at": _iso(order.delivered_at),
        "estimated_delivery": _iso(order.estimated_delivery),
        "shipping_address": order.shipping_address,
        "cancelled_at": _iso(order.cancelled_at),
        "cancellation_reason": order.cancellation_reason,
        "return_requested_at": _iso(order.return_requested_at),
        "return_reason": order.return_reason,
        "address_changed_at": _iso(order.address_changed_at),
    }


def _path_value(name: str, value: str, max_length: int) -> str:
    value = value.strip()
    if not value or len(value) > max_length:
        raise validation_error({name: f"must be 1 to {max_length} characters"})
    return value


@bp.put("/customers/<path:email>")
@require_scope("catalog:write")
def put_customer(email: str):
    try:
        email = normalise_email(email)
    except ValueError as exc:
        raise validation_error({"email": str(exc)}) from None
    data = parse(CustomerUpsert, json_body())
    customer, created = upsert_customer(email, data.model_dump(exclude_unset=True))
    body = {"customer": {"id": customer.id, "email": customer.email,
                         "first_name": customer.first_name, "last_name": customer.last_name,
                         "phone": customer.phone, "phone_doubtful": customer.phone_doubtful,
                         "language": customer.language}}
    if customer.phone_doubtful:
        body["warnings"] = {"phone": "a possible number, not known as assigned: stored, "
                                     "please check it"}
    return jsonify(body), 201 if created else 200


@bp.put("/products/<path:sku>")
@require_scope("catalog:write")
def put_product(sku: str):
    sku = _path_value("sku", sku, 64)
    data = parse(ProductUpsert, json_body())
    product, created = upsert_product(sku, data.model_dump(exclude_unset=True))
    body = {"product": {"sku": product.sku, "name": product.name,
                        "price": f"{product.price:.2f}", "currency": product.currency,
                        "stock": product.stock, "category": product.category,
                        "description": product.description, "attributes": product.attributes}}
    return jsonify(body), 201 if created else 200


@bp.put("/orders/<path:number>")
@require_scope("catalog:write")
def put_order(number: str):
    number = _path_value("number", number, 40)
    data = parse(OrderUpsert, json_body())
    values = data.model_dump(exclude={"customer_email", "items", "shipping_address"})
    # JSON columns hold money as strings: floats would round, Decimal is not JSON.
    values["items"] = [{**item.model_dump(), "unit_price": f"{item.unit_price:.2f}"}
                       for item in data.items]
    values["shipping_address"] = (data.shipping_address.model_dump(exclude_none=True)
                                  if data.shipping_address else {})
    order, created = upsert_order(number, data.customer_email, values)
    return jsonify(order=order_json(order)), 201 if created else 200


@bp.get("/orders/<path:number>")
@require_scope("catalog:write")
def get_order(number: str):
    order = get_order_by_number(number)
    if order is None:
        raise DeskError("not_found", f"no order {number}")
    return jsonify(order=order_json(order))
