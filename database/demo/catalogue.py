"""The demo catalogue: product families from `data/products.json`, one product per variant."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from database.demo.datafiles import load
from database.demo.timeline import moment_between
from database.models import Product

OUT_OF_STOCK = 6  # enough sold-out variants for "when is it back?" conversations
VARIANT_KEYS = ("colour", "scent", "hair_type", "size")


def make_products(rng: random.Random, *, now: datetime) -> list[Product]:
    """Build one product per variant, with stock drawn from the seed and a few sold out."""
    products = [_product(family, variant) for family in load("products.json")
                for variant in family["variants"]]
    sold_out = {product.sku for product in rng.sample(products, OUT_OF_STOCK)}
    for product in products:
        product.stock = 0 if product.sku in sold_out else _stock(rng, product.category)
        product.created_at = moment_between(rng, now - timedelta(days=900),
                                            now - timedelta(days=560))
        product.updated_at = moment_between(rng, product.created_at, now - timedelta(days=1))
    return products


def _product(family: dict[str, Any], variant: dict[str, Any]) -> Product:
    details = {key: value for key, value in variant.items() if key != "sku"}
    label = [str(details[key]) for key in VARIANT_KEYS if key in details]
    if "plug" in details:
        label.append(f"{details['plug']} plug")
    name = f"{family['name']} – {', '.join(label)}" if label else family["name"]
    return Product(sku=variant["sku"], name=name, description=family["description"],
                   category=family["category"], price=Decimal(family["price"]), currency="EUR",
                   attributes={**family["attributes"], **details})


def _stock(rng: random.Random, category: str) -> int:
    # Bulky or expensive things are kept in smaller numbers than T-shirts and lip balm.
    high = 25 if category in {"electronics", "sports"} else 120
    return rng.randint(1, high) if rng.random() < 0.85 else rng.randint(1, 4)
