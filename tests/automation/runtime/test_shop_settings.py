"""Settings changed in the database win over the environment, are checked, and audited."""

from __future__ import annotations

import pytest

from automation.runtime.errors import DeskError
from automation.runtime.shop_settings import ShopSettings
from database import db
from database.models import Event


def test_the_environment_gives_defaults_and_a_stored_value_wins(app):
    store = ShopSettings({"RETURN_WINDOW_DAYS": "14", "ROUTING_STRATEGY": "least_loaded"})
    assert store.get("return_window_days") == 14
    assert store.get("routing_strategy") == "least_loaded"
    assert store.set("return_window_days", "21", staff_id=None) == 21
    assert store.get("return_window_days") == 21
    # Another process (another store) sees it too.
    assert ShopSettings({}).get("return_window_days") == 21
    event = db.session.query(Event).filter_by(kind="settings.changed").one()
    assert event.payload == {"key": "return_window_days", "before": 14, "after": 21,
                             "staff_id": None}


@pytest.mark.parametrize("key, value", [
    ("return_window_days", -1), ("return_window_days", "thirty"),
    ("routing_strategy", "random"), ("handoff_confidence", 2),
    ("opening_hours", {"timezone": "Mars/Olympus", "days": {}}),
    ("opening_hours", {"timezone": "UTC", "days": {"mon": ["18:00", "09:00"]}}),
])
def test_a_bad_value_is_refused_naming_the_setting(app, key, value):
    store = ShopSettings({})
    with pytest.raises(DeskError) as refused:
        store.set(key, value, staff_id=None)
    assert refused.value.code == "validation_error" and key in refused.value.fields
    assert db.session.query(Event).count() == 0
