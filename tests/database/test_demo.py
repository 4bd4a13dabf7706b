"""The demo shop: enough realistic, consistent data, and the same rows for the same seed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import phonenumbers
import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.security import check_password_hash

import database.models  # noqa: F401  (registers the tables)
from database import db
from database.demo import DEMO_PASSWORD, STAFF_LOGINS, SeedSummary, is_empty, seed
from database.models import Customer, KnowledgeArticle, Order, Product, StaffUser

TODAY = date(2026, 3, 18)
NOW = datetime(2026, 3, 18, tzinfo=UTC)
CARRIERS = {"FR": {"Colissimo", "Chronopost", "Mondial Relay"}, "GB": {"Royal Mail", "DHL Express"},
            "US": {"UPS", "DHL Express"}, "PT": {"CTT", "DHL Express"},
            "BR": {"Correios", "DHL Express"}}
COUNTRIES = {"fr": {"FR"}, "en": {"GB", "US"}, "pt": {"PT", "BR"}}
TRACKING = {"Colissimo": r"6[AC]\d{11}", "Chronopost": r"X[YW]\d{9}FR", "Mondial Relay": r"\d{8}",
            "Royal Mail": r"[A-Z]{2}\d{9}GB", "DHL Express": r"\d{10}",
            "UPS": r"1Z[0-9A-Z]{16}", "CTT": r"[A-Z]{2}\d{9}PT", "Correios": r"[A-Z]{2}\d{9}BR"}
KB_CATEGORIES = {"shipping", "returns_refunds", "payment", "account", "invoices", "products"}


def make_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", TESTING=True)
    db.init_app(app)
    return app


def seeded_rows(*, seed_value: int, today: date = TODAY) -> dict[str, list[tuple[Any, ...]]]:
    """Seed a fresh in-memory database and return every table's rows, in primary-key order."""
    with make_app().app_context():
        db.create_all()
        seed(seed=seed_value, today=today)
        db.session.commit()
        return {table.name: [tuple(row) for row in db.session.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}


@pytest.fixture(scope="module")
def shop() -> Iterator[SeedSummary]:
    with make_app().app_context():
        db.create_all()
        assert is_empty()
        summary = seed(today=TODAY)
        db.session.commit()
        yield summary
        db.session.remove()


@pytest.fixture(scope="module")
def orders(shop: SeedSummary) -> list[Order]:
    return list(db.session.scalars(select(Order).order_by(Order.id)))


@pytest.fixture(scope="module")
def customers(shop: SeedSummary) -> list[Customer]:
    return list(db.session.scalars(select(Customer).order_by(Customer.id)))


def test_the_shop_is_big_enough_to_feel_real(shop: SeedSummary) -> None:
    products = db.session.scalars(select(Product)).all()
    assert shop.customers == db.session.query(Customer).count() >= 200
    assert shop.products == len(products) >= 60
    assert len({product.category for product in products}) >= 5
    assert shop.orders == db.session.query(Order).count() >= 1000
    assert shop.articles == db.session.query(KnowledgeArticle).count()
    assert shop.staff == 3
    assert not is_empty()


def test_seeding_twice_is_refused(shop: SeedSummary) -> None:
    with pytest.raises(RuntimeError):
        seed(today=TODAY)


def test_shoppers_speak_french_english_and_portuguese(customers: list[Customer]) -> None:
    languages = Counter(customer.language for customer in customers)
    assert set(languages) == {"fr", "en", "pt"}
    assert all(0.28 <= count / len(customers) <= 0.40 for count in languages.values())
    assert 1 <= sum(customer.status == "blocked" for customer in customers) <= 10
    with_password = sum(customer.password_hash is not None for customer in customers)
    assert with_password > len(customers) / 2
    assert all(set(customer.preferences) == {"newsletter", "contact_channel"}
               for customer in customers)


def test_phones_are_valid_unique_e164_of_the_shoppers_country(
        customers: list[Customer], orders: list[Order]) -> None:
    countries = {order.customer_id: order.shipping_address["country"] for order in orders}
    phones = [customer.phone for customer in customers if customer.phone]
    assert len(phones) == len(set(phones)) > 0.8 * len(customers)
    for customer in customers:
        if customer.phone is None:
            assert customer.preferences["contact_channel"] == "email"
            continue
        number = phonenumbers.parse(customer.phone)
        assert phonenumbers.is_valid_number(number), customer.phone
        assert phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164) == customer.phone
        assert phonenumbers.region_code_for_number(number) == countries[customer.id]


def test_emails_are_unique_and_lower_case(customers: list[Customer]) -> None:
    emails = [customer.email for customer in customers]
    assert len(emails) == len(set(emails))
    assert all(re.fullmatch(r"[a-z0-9.]+@example\.(com|org|net)", email) for email in emails)


def test_products_have_skus_prices_stock_and_attributes(shop: SeedSummary) -> None:
    products = db.session.scalars(select(Product)).all()
    assert len({product.sku for product in products}) == len(products)
    assert all(re.fullmatch(r"[A-Z]{3}(-[A-Z0-9]+)+", product.sku) for product in products)
    assert all(isinstance(product.price, Decimal) and product.price > 0 for product in products)
    assert any(product.stock == 0 for product in products)
    assert any(product.stock > 20 for product in products)
    assert all(product.description and product.attributes for product in products)


def test_orders_cover_every_status_in_plausible_proportions(orders: list[Order]) -> None:
    statuses = Counter(order.status for order in orders)
    assert set(statuses) == {"pending", "paid", "processing", "shipped", "delivered",
                             "cancelled", "returned"}
    assert statuses["delivered"] > len(orders) / 2
    assert all(re.fullmatch(r"CMD-\d{5}", order.number) for order in orders)
    assert len({order.number for order in orders}) == len(orders)


def test_every_shopper_has_an_order(customers: list[Customer], orders: list[Order]) -> None:
    assert {customer.id for customer in customers} == {order.customer_id for order in orders}


def test_order_totals_are_the_sum_of_their_items(orders: list[Order]) -> None:
    prices = {product.sku: product.price for product in db.session.scalars(select(Product))}
    for order in orders:
        assert 1 <= len(order.items) <= 4
        assert {"sku", "name", "quantity", "unit_price"} == set().union(*order.items)
        assert all(isinstance(item["unit_price"], str) for item in order.items)
        assert all(Decimal(item["unit_price"]) == prices[item["sku"]] for item in order.items)
        total = sum(Decimal(item["unit_price"]) * item["quantity"] for item in order.items)
        assert order.total == total and order.currency == "EUR", order.number


def test_order_dates_agree_with_the_status(orders: list[Order]) -> None:
    for order in orders:
        moments = [order.placed_at, order.shipped_at, order.delivered_at,
                   order.return_requested_at]
        present = [moment for moment in moments if moment is not None]
        assert present == sorted(present) and all(m.tzinfo is not None for m in present)
        assert max(present + [order.cancelled_at or order.placed_at]) < NOW
        shipped = order.status in {"shipped", "delivered", "returned"}
        assert (order.shipped_at is not None) == shipped == (order.tracking_number is not None)
        assert (order.delivered_at is not None) == (order.status in {"delivered", "returned"})
        assert (order.return_requested_at is not None) == (order.status == "returned")
        assert (order.cancelled_at is not None) == (order.status == "cancelled")
        assert bool(order.cancellation_reason) == (order.status == "cancelled")
        if shipped:
            assert order.estimated_delivery > order.shipped_at.date()
        if order.status == "returned":
            assert order.return_requested_at - order.delivered_at <= timedelta(days=30)
        if order.status == "cancelled":
            assert order.placed_at < order.cancelled_at
        if order.status in {"pending", "cancelled"}:
            assert order.estimated_delivery is None


def test_orders_ship_with_the_carriers_of_their_country(orders: list[Order]) -> None:
    for order in orders:
        address = order.shipping_address
        assert {"name", "line1", "postcode", "city", "country"} <= set(address)
        assert set(address) <= {"name", "line1", "line2", "postcode", "city", "country"}
        assert address["country"] in COUNTRIES[order.customer.language]
        assert order.carrier in CARRIERS[address["country"]]
        if order.tracking_number:
            assert re.fullmatch(TRACKING[order.carrier], order.tracking_number)
            assert tracking_check_digit_is_right(order.carrier, order.tracking_number)


def tracking_check_digit_is_right(carrier: str, number: str) -> bool:
    if carrier == "DHL Express":
        return int(number[:9]) % 7 == int(number[9])
    if carrier == "UPS":
        values = [int(c) if c.isdigit() else (ord(c) - 63) % 10 for c in number[2:17]]
        total = sum(v * 2 if i % 2 else v for i, v in enumerate(values))
        return (10 - total % 10) % 10 == int(number[17])
    if re.fullmatch(r"[A-Z]{2}\d{9}[A-Z]{2}", number):  # UPU S10
        total = sum(int(d) * w for d, w in zip(number[2:10], (8, 6, 4, 2, 3, 5, 9, 7)))
        return {10: 0, 11: 5}.get(11 - total % 11, 11 - total % 11) == int(number[10])
    return True


def test_the_printed_shoppers_can_try_every_flow(shop: SeedSummary) -> None:
    assert {"fr", "en", "pt"} <= {
        db.session.scalars(select(Customer.language).where(Customer.email == email)).one()
        for _name, email, _password in shop.shopper_logins}
    hashes: set[str] = set()  # one scrypt check per distinct hash: each costs ~0.1 s
    for name, email, password in shop.shopper_logins:
        shopper = db.session.scalars(select(Customer).where(Customer.email == email)).one()
        assert shopper.full_name == name and shopper.status == "active"
        assert password == DEMO_PASSWORD
        hashes.add(shopper.password_hash)
        theirs = db.session.scalars(select(Order).where(Order.customer_id == shopper.id)).all()
        delivered_ago = [(TODAY - order.delivered_at.date()).days for order in theirs
                         if order.status == "delivered"]
        assert any(order.status in {"pending", "paid"} for order in theirs), email
        assert any(order.status == "shipped" for order in theirs), email
        assert any(days <= 10 for days in delivered_ago), email
        assert any(days >= 60 for days in delivered_ago), email
    for password_hash in hashes:
        assert check_password_hash(password_hash, DEMO_PASSWORD)
        assert not check_password_hash(password_hash, "wrong password")


def test_staff_has_one_login_per_role(shop: SeedSummary) -> None:
    staff = db.session.scalars(select(StaffUser)).all()
    assert sorted(member.role for member in staff) == ["admin", "agent", "supervisor"]
    assert shop.staff_logins == STAFF_LOGINS
    by_email = {member.email: member for member in staff}
    for role, email, password in STAFF_LOGINS:
        member = by_email[email]
        assert member.role == role and member.active
        assert check_password_hash(member.password_hash, password)
        assert set(member.skills) == {"languages", "categories"}
    assert len({password for _role, _email, password in STAFF_LOGINS}) == 3


def test_knowledge_base_has_the_same_topics_in_french_english_and_portuguese(
        shop: SeedSummary) -> None:
    articles = db.session.scalars(select(KnowledgeArticle)).all()
    topics = {language: {(a.topic, a.category) for a in articles if a.language == language}
              for language in ("fr", "en", "pt")}
    assert topics["fr"] == topics["en"] == topics["pt"]
    assert len(topics["en"]) >= 60 and len(articles) == 3 * len(topics["en"])
    per_category = Counter(category for _topic, category in topics["en"])
    assert set(per_category) == KB_CATEGORIES and min(per_category.values()) >= 8
    for article in articles:
        assert article.title and article.published
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", article.answer)) <= 5, article.topic
        assert article.keywords and all(isinstance(word, str) for word in article.keywords)


def test_same_seed_and_day_give_identical_rows() -> None:
    first, second = seeded_rows(seed_value=7), seeded_rows(seed_value=7)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table


def test_another_seed_or_day_gives_other_rows() -> None:
    reference = seeded_rows(seed_value=7)
    assert seeded_rows(seed_value=8)["customers"] != reference["customers"]
    assert seeded_rows(seed_value=7, today=TODAY + timedelta(days=1))["orders"] != \
        reference["orders"]


def test_seed_fits_the_migrated_schema_of_both_databases(app: Flask) -> None:
    summary = seed(today=TODAY)
    db.session.commit()
    assert db.session.query(Order).count() == summary.orders
    first = db.session.query(Customer).order_by(Customer.id).first()
    assert first.email == summary.shopper_logins[0][1]
