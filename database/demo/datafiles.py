"""The demo shop's data files: names, addresses, products and the knowledge base, as JSON."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """Return the parsed JSON file `name` under `database/demo/data/` (cached; do not mutate)."""
    with (DATA_DIR / name).open(encoding="utf-8") as file:
        return json.load(file)
