"""The catalogue as the NLU sees it (SKUs and names), cached for a minute per database."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from database import db
from database.models import Product

TTL_S = 60.0
_lock = threading.Lock()
_cache: dict[str, tuple[float, object]] = {}


def nlu_catalogue() -> object:
    """Return an `automation.nlu.Catalogue` of the shop's products (refreshed every minute)."""
    from automation.nlu import Catalogue

    key = str(db.engine.url)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < TTL_S:
        return cached[1]
    rows = db.session.execute(select(Product.sku, Product.name)).all()
    catalogue = Catalogue(products=tuple((sku, name) for sku, name in rows))
    with _lock:
        _cache[key] = (now, catalogue)
    return catalogue


def forget() -> None:
    """Drop the cached catalogues (after products change in this process, or in tests)."""
    with _lock:
        _cache.clear()
