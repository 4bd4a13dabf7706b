"""JSON as both apps read it: a body nested past Python's recursion limit is bad input.

`json.loads` raises RecursionError (not ValueError) on 30,000 nested brackets, which Flask
would turn into a 500; here it becomes the ValueError every JSON reader already handles.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """Parse JSON; raise ValueError for broken or too deeply nested input."""
    try:
        return json.loads(data, **kwargs)
    except RecursionError:
        raise ValueError("nested too deeply") from None


class DeskJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, with deep nesting refused as invalid JSON."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s, **kwargs)
