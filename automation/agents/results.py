"""The answer every tool gives."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ToolResult:
    """What a tool answers: `code` is ok, not_found, not_allowed, needs_confirmation, …"""

    ok: bool
    code: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Return the result as the JSON an LLM reads."""
        return json.dumps({"ok": self.ok, "code": self.code, **self.data}, default=str,
                          ensure_ascii=False)
