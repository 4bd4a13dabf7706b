"""Password guessing is slowed down per account and per address, on both apps, and audited."""

from __future__ import annotations

import pytest

from database import db
from database.models import Event
from tests import factories


def _shop_login(client, email: str, password: str, address: str = "203.0.113.7"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _staff_login(client, email: str, password: str, address: str = "203.0.113.7"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize("side", ["shop", "staff"])
def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, admin_client,
                                                                      side):
    if side == "shop":
        factories.customer(email="camille@example.com")
        http, login, email = client, _shop_login, "camille@example.com"
    else:
        factories.staff(email="admin@demo.shop", role="admin")
        http, login, email = admin_client, _staff_login, "admin@demo.shop"
    answers = [login(http, email, f"guess-{n}").status_code for n in range(5)]
    assert answers == [401, 401, 401, 401, 429]
    right = login(http, email, factories.PASSWORD)
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 60
    assert "Too many wrong passwords" in right.get_data(as_text=True)
    [audit] = db.session.query(Event).filter_by(kind="auth.throttled").all()
    assert audit.payload["scope"] == "account" and audit.payload["account"] == email
    assert audit.payload["app"] == ("shop" if side == "shop" else "admin")
    # Another account from another address is not slowed down by it.
    other = login(http, "someone@example.com", "x", address="198.51.100.9")
    assert other.status_code == 401


def test_one_address_guessing_many_accounts_is_slowed_down(admin_client):
    factories.staff(email="admin@demo.shop", role="admin")
    answers = [_staff_login(admin_client, f"user{n}@demo.shop", "guess").status_code
               for n in range(21)]
    assert answers[:19] == [401] * 19 and answers[19:] == [429, 429]
    # Even the right password of a real account waits, from that address.
    assert _staff_login(admin_client, "admin@demo.shop", factories.PASSWORD).status_code == 429
    assert _staff_login(admin_client, "admin@demo.shop", factories.PASSWORD,
                        address="198.51.100.9").status_code == 302


def test_a_successful_login_forgets_earlier_failures(client):
    factories.customer(email="camille@example.com")
    for n in range(4):
        assert _shop_login(client, "camille@example.com", f"guess-{n}").status_code == 401
    assert _shop_login(client, "camille@example.com", factories.PASSWORD).status_code == 302
    client.post("/logout")
    assert _shop_login(client, "camille@example.com", "guess-5").status_code == 401
