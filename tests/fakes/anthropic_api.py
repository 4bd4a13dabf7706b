"""A local fake of the Anthropic Messages API: scripted answers, every request recorded.

It speaks HTTP on 127.0.0.1 so the real `anthropic` SDK is driven end to end through
`base_url`; payloads are shaped like the API's (content blocks, `stop_reason`, `usage` with
the cache fields, error bodies with a `request-id` header).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from tests.fakes.http_server import Answer, Recorded, RecordingServer

_ids = itertools.count(1)


Handler = Callable[[Recorded], Answer]


def usage(input_tokens: int = 1200, output_tokens: int = 80, *, cache_write: int = 0,
          cache_read: int = 0) -> dict[str, Any]:
    """Return a `usage` object as the API sends it."""
    return {"input_tokens": input_tokens, "output_tokens": output_tokens,
            "cache_creation_input_tokens": cache_write, "cache_read_input_tokens": cache_read,
            "cache_creation": {"ephemeral_5m_input_tokens": cache_write,
                               "ephemeral_1h_input_tokens": 0},
            "service_tier": "standard"}


def text(value: str) -> dict[str, Any]:
    """Return a text content block."""
    return {"type": "text", "text": value}


def thinking(value: str, signature: str = "EqQBCkgIARABGAIiQFake==") -> dict[str, Any]:
    """Return a thinking content block with its signature."""
    return {"type": "thinking", "thinking": value, "signature": signature}


def tool_use(name: str, arguments: dict[str, Any], tool_id: str | None = None
             ) -> dict[str, Any]:
    """Return a tool_use content block."""
    return {"type": "tool_use", "id": tool_id or f"toolu_{next(_ids):04d}Fake", "name": name,
            "input": arguments}


def message(*blocks: dict[str, Any], stop_reason: str | None = None, model: str = "",
            tokens: dict[str, Any] | None = None) -> Answer:
    """Return a 200 answer holding one assistant message."""
    if stop_reason is None:
        stop_reason = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    body = {"id": f"msg_{next(_ids):04d}Fake", "type": "message", "role": "assistant",
            "model": model or "claude-sonnet-4-20250514", "content": list(blocks),
            "stop_reason": stop_reason, "stop_sequence": None,
            "usage": tokens or usage()}
    return Answer(200, body, {"request-id": f"req_{next(_ids):04d}ok"})


ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error",
               403: "permission_error", 404: "not_found_error", 429: "rate_limit_error",
               500: "api_error", 529: "overloaded_error"}


def error(status: int, message_text: str = "", *, error_type: str | None = None) -> Answer:
    """Return an error answer with the API's body and a `request-id` header."""
    request_id = f"req_{next(_ids):04d}err"
    kind = error_type or ERROR_TYPES.get(status, "api_error")
    body = {"type": "error", "error": {"type": kind, "message": message_text or kind},
            "request_id": request_id}
    return Answer(status, body, {"request-id": request_id})


class FakeAnthropic(RecordingServer):
    """An HTTP server answering `POST /v1/messages` from a script or a handler function."""

    def __init__(self) -> None:
        super().__init__()
        self.handler: Handler | None = None

    def reset(self) -> FakeAnthropic:
        """Forget the script, the handler and the recorded requests (between tests)."""
        super().reset()
        self.handler = None
        return self

    def _next(self, recorded: Recorded) -> Answer:
        if self.handler is None:
            return super()._next(recorded)
        with self._lock:
            self.requests.append(recorded)
        return self.handler(recorded)

    def default_answer(self, recorded: Recorded) -> Answer:
        return error(500, "the fake has no answer scripted for this request")
