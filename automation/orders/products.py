"""Product tool: search the catalogue by words or SKU (price, stock, attributes)."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from automation.agents.results import ToolResult
from database import db
from database.models import Product

if TYPE_CHECKING:
    from automation.agents.toolbox import Toolbox


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def search_products(self: Toolbox, query: str = "", skus: list[str] | None = None,
                    limit: int = 5) -> ToolResult:
    """Return products matching SKUs or the words of `query`, best first."""
    limit = max(1, min(limit, 10))
    found: list[Product] = []
    if skus:
        found = list(db.session.scalars(select(Product).where(Product.sku.in_(skus[:10]))))
    words = [w for w in re.findall(r"\w{3,}", _plain(query or ""))][:8]
    if len(found) < limit and words:
        clauses = [Product.name.ilike(f"%{w}%") for w in words]
        clauses += [Product.category.ilike(f"%{w}%") for w in words]
        candidates = db.session.scalars(select(Product).where(or_(*clauses)).limit(50)).all()

        def score(product: Product) -> int:
            text = _plain(f"{product.name} {product.category} {product.description}")
            return sum(1 for w in words if w in text)

        for product in sorted(candidates, key=lambda p: (-score(p), p.id)):
            if product not in found:
                found.append(product)
    self.note_call("search_products", "ok" if found else "no_match")
    return ToolResult(bool(found), "ok" if found else "no_match", {"products": [
        {"sku": p.sku, "name": p.name, "price": f"{p.price:.2f}", "currency": p.currency,
         "in_stock": p.stock > 0, "stock": p.stock, "category": p.category,
         "attributes": p.attributes} for p in found[:limit]]})
