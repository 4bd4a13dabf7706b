"""A local fake of Notion's API (version 2025-09-03) over HTTP, for the real notion-client.

It keeps databases, their data sources (with property schemas) and pages in memory, and
answers the calls the ticket sync makes the way Notion does: objects shaped like Notion's
(recorded cassettes of ramnes/notion-sdk-py and developers.notion.com), errors as
`{"object": "error", "status", "code", "message", "request_id"}`, page edit times rounded
down to the minute. Request bodies are checked against Notion's documented shapes (property
values of the schema's type, 2000-character texts, no comma in a select option, ISO dates,
page sizes up to 100); a body that does not fit gets Notion's 400 `validation_error`.

Tests script faults (`fail`: the next requests get a 429 with Retry-After, a 529, a 503, an
HTML 502, a slow answer) or a whole outage (`outage` … `restore`), and play a support lead
editing a page (`edit`).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.notion_shapes import (NotionInvalid, check_children, empty_value, iso, new_id,
                                       plain_to_request, property_schema, rich, stored_value)

VERSION = "2025-09-03"
TOKEN = "ntn_test_token_0123456789"
BOT_ID = "7775f3a3-893f-43fa-b625-460c61094c78"
LEAD_ID = "5b8183bd-8984-4417-b2a6-7dc8e439e679"


@dataclass
class Fault:
    """One scripted failure: a status and Notion error code, or an HTML page, or a delay."""

    status: int
    code: str = ""
    retry_after: str | None = None
    html: bool = False
    delay_s: float = 0.0
    processed: bool = False   # Notion did the work, but its answer is this failure


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict[str, Any] | None
    at: float = field(default_factory=time.monotonic)
    status: int = 0


class FakeNotion:
    """Notion's API on 127.0.0.1, in memory; use as a context manager."""

    def __init__(self, *, token: str = TOKEN,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.token = token
        self.clock = clock or (lambda: datetime.now(UTC))
        self.databases: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, dict[str, Any]] = {}
        self.parent_pages: set[str] = set()
        self.calls: list[Call] = []
        self.faults: deque[Fault] = deque()
        self.down: Fault | None = None
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)

    # --- the test's side --------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeNotion:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_parent_page(self) -> str:
        """Return the id of a page the integration may create a database in."""
        page_id = new_id()
        self.parent_pages.add(page_id)
        return page_id

    def add_database(self, properties: dict[str, Any], *, title: str = "Tickets") -> str:
        """Create a database as a person would in Notion; return its id."""
        with self._lock:
            return self._create_database(self.add_parent_page(), title, properties)["id"]

    def fail(self, *faults: Fault) -> None:
        """Answer the next requests with these faults, in order."""
        self.faults.extend(faults)

    def outage(self, fault: Fault | None = None) -> None:
        """Answer every request with `fault` (503 service_unavailable) until `restore`."""
        self.down = fault or Fault(503, "service_unavailable")

    def restore(self) -> None:
        self.down = None

    def source_of(self, database_id: str) -> dict[str, Any]:
        return self.sources[self.databases[database_id]["data_sources"][0]["id"]]

    def pages_of(self, database_id: str) -> list[dict[str, Any]]:
        source = self.source_of(database_id)["id"]
        return [p for p in self.pages.values() if p["parent"]["data_source_id"] == source]

    def value(self, page_id: str, name: str) -> Any:
        """Return a page property's plain value (an option's name, a text, a date's start)."""
        prop = self.pages[page_id]["properties"][name]
        value = prop[prop["type"]]
        if prop["type"] in ("title", "rich_text"):
            return "".join(part["plain_text"] for part in value)
        if prop["type"] in ("select", "status"):
            return value["name"] if value else None
        if prop["type"] == "date":
            return value["start"] if value else None
        return value

    def edit(self, page_id: str, values: dict[str, str | None], *,
             by: str = LEAD_ID) -> None:
        """Change a page as a lead does in Notion's interface (options made as needed)."""
        with self._lock:
            page = self.pages[page_id]
            source = self.sources[page["parent"]["data_source_id"]]
            for name, plain in values.items():
                kind = source["properties"][name]["type"]
                raw = plain_to_request(kind, plain)
                page["properties"][name] = stored_value(source, name, raw)
            self._touch(page, by)

    def calls_to(self, method: str, prefix: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    # --- Notion's side ----------------------------------------------------------------------

    def _now(self) -> datetime:
        return self.clock().replace(second=0, microsecond=0)  # Notion rounds to the minute

    def _touch(self, page: dict[str, Any], by: str) -> None:
        page["last_edited_time"] = iso(self._now())
        page["last_edited_by"] = {"object": "user", "id": by}

    def _create_database(self, parent: str, title: str,
                         properties: dict[str, Any]) -> dict[str, Any]:
        database_id, source_id = new_id(), new_id()
        schema: dict[str, Any] = {}
        for name, config in (properties or {}).items():
            schema[name] = property_schema(name, config, None)
        if not any(p["type"] == "title" for p in schema.values()):
            schema["Name"] = {"id": "title", "name": "Name", "description": None,
                              "type": "title", "title": {}}
        now = iso(self._now())
        database = {"object": "database", "id": database_id,
                    "title": [rich(title)], "description": [],
                    "parent": {"type": "page_id", "page_id": parent}, "is_inline": False,
                    "in_trash": False, "is_locked": False, "created_time": now,
                    "last_edited_time": now,
                    "data_sources": [{"id": source_id, "name": title}], "icon": None,
                    "cover": None, "url": f"https://www.notion.so/{database_id.replace('-', '')}",
                    "public_url": None, "archived": False}
        self.databases[database_id] = database
        self.sources[source_id] = {
            "object": "data_source", "id": source_id, "cover": None, "icon": None,
            "created_time": now, "last_edited_time": now,
            "created_by": {"object": "user", "id": BOT_ID},
            "last_edited_by": {"object": "user", "id": BOT_ID},
            "title": [rich(title)], "description": [], "is_inline": False,
            "properties": schema,
            "parent": {"type": "database_id", "database_id": database_id},
            "database_parent": {"type": "page_id", "page_id": parent},
            "url": database["url"], "public_url": None, "archived": False, "in_trash": False}
        return database

    def _page_view(self, page: dict[str, Any]) -> dict[str, Any]:
        view = json.loads(json.dumps(page))
        view.pop("_children", None)
        view["request_id"] = new_id()
        return view

    # --- routes -----------------------------------------------------------------------------

    def handle(self, call: Call) -> tuple[int, dict[str, Any] | str, dict[str, str]]:
        """Answer one request: (status, body, headers)."""
        fault = self.down or (self.faults.popleft() if self.faults else None)
        if fault is not None:
            if fault.delay_s:
                time.sleep(fault.delay_s)
            if fault.status < 400:
                fault = None  # only slow
        if fault is not None and fault.processed:
            with self._lock:
                self._route(call)
        if fault is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            if fault.html:
                return fault.status, "<html><body>Bad gateway</body></html>", headers
            return fault.status, self._error_body(fault.status, fault.code,
                                                  f"fake {fault.code or fault.status}"), headers
        if call.headers.get("authorization") != f"Bearer {self.token}":
            return 401, self._error_body(401, "unauthorized", "API token is invalid."), {}
        if call.headers.get("notion-version") != VERSION:
            return 400, self._error_body(400, "missing_version",
                                         "Notion-Version header should be 2025-09-03"), {}
        try:
            with self._lock:
                return self._route(call)
        except NotionInvalid as exc:
            return 400, self._error_body(400, "validation_error", str(exc)), {}
        except KeyError as exc:
            return 404, self._error_body(404, "object_not_found",
                                         f"Could not find object with ID: {exc.args[0]}."), {}

    def _route(self, call: Call) -> tuple[int, dict[str, Any], dict[str, str]]:
        parts = call.path.removeprefix("/v1/").strip("/").split("/")
        body = call.body or {}
        match (call.method, parts):
            case ("GET", ["databases", database_id]):
                return 200, {**self.databases[database_id], "request_id": new_id()}, {}
            case ("POST", ["databases"]):
                return 200, self._post_database(body), {}
            case ("GET", ["data_sources", source_id]):
                return 200, {**self.sources[source_id], "request_id": new_id()}, {}
            case ("PATCH", ["data_sources", source_id]):
                return 200, self._patch_source(self.sources[source_id], body), {}
            case ("POST", ["data_sources", source_id, "query"]):
                return 200, self._query(self.sources[source_id], body), {}
            case ("POST", ["pages"]):
                return 200, self._post_page(body), {}
            case ("GET", ["pages", page_id]):
                return 200, self._page_view(self.pages[page_id]), {}
            case ("PATCH", ["pages", page_id]):
                return 200, self._patch_page(self.pages[page_id], body), {}
        return 400, self._error_body(400, "invalid_request_url", "Invalid request URL."), {}

    def _post_database(self, body: dict[str, Any]) -> dict[str, Any]:
        parent = body.get("parent") or {}
        if parent.get("type") not in ("page_id", None) or "page_id" not in parent:
            raise NotionInvalid("body.parent.page_id should be defined")
        if parent["page_id"] not in self.parent_pages:
            raise KeyError(parent["page_id"])
        title = "".join(t.get("text", {}).get("content", "") for t in body.get("title") or [])
        initial = body.get("initial_data_source") or {}
        if "properties" in body:
            raise NotionInvalid("body.properties is not allowed in 2025-09-03: use "
                                "initial_data_source.properties")
        return {**self._create_database(parent["page_id"], title, initial.get("properties")),
                "request_id": new_id()}

    def _patch_source(self, source: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        changes = body.get("properties")
        if not isinstance(changes, dict):
            raise NotionInvalid("body.properties should be an object")
        schema = source["properties"]
        for key, change in changes.items():
            name = key if key in schema else next(
                (n for n, p in schema.items() if p["id"] == key), key)
            if change is None:
                if schema.get(name, {}).get("type") == "title":
                    raise NotionInvalid("The title property cannot be removed.")
                schema.pop(name, None)
                continue
            new_name = change.get("name", name)
            typed = {k: v for k, v in change.items() if k not in ("name", "description")}
            existing = schema.get(name)
            if typed:
                if existing is not None and existing["type"] == "title" and "title" not in typed:
                    raise NotionInvalid("The type of the title property cannot be changed.")
                prop = property_schema(new_name, typed, existing)
            elif existing is not None:
                prop = {**existing, "name": new_name}
            else:
                raise NotionInvalid(f"{key} is not a property that exists.")
            schema.pop(name, None)
            schema[new_name] = prop
        source["last_edited_time"] = iso(self._now())
        return {**source, "request_id": new_id()}

    def _post_page(self, body: dict[str, Any]) -> dict[str, Any]:
        parent = body.get("parent") or {}
        source_id = parent.get("data_source_id")
        if not source_id:
            raise NotionInvalid("body.parent.data_source_id should be defined")
        source = self.sources[source_id]
        if "children" in body:
            check_children(body["children"])
        props = body.get("properties")
        if not isinstance(props, dict):
            raise NotionInvalid("body.properties should be an object")
        stored = {n: stored_value(source, n, v) for n, v in props.items()}
        page_id = new_id()
        now = iso(self._now())
        properties = {n: stored.get(n) or empty_value(s)
                      for n, s in source["properties"].items()}
        title = next((v for v in properties.values() if v["type"] == "title"), None)
        slug = "-".join("".join(p["plain_text"] for p in title["title"]).split()) if title else ""
        page = {"object": "page", "id": page_id, "created_time": now, "last_edited_time": now,
                "created_by": {"object": "user", "id": BOT_ID},
                "last_edited_by": {"object": "user", "id": BOT_ID}, "cover": None,
                "icon": None,
                "parent": {"type": "data_source_id", "data_source_id": source_id,
                           "database_id": source["parent"]["database_id"]},
                "in_trash": False, "is_archived": False, "is_locked": False,
                "properties": properties,
                "url": f"https://www.notion.so/{slug}-{page_id.replace('-', '')}",
                "public_url": None, "archived": False,
                "_children": body.get("children") or []}
        self.pages[page_id] = page
        return self._page_view(page)

    def _patch_page(self, page: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if page["in_trash"] and not body.get("in_trash") is False:
            raise NotionInvalid("Can't edit block that is archived. You must unarchive the "
                                "block before editing.")
        source = self.sources[page["parent"]["data_source_id"]]
        props = body.get("properties") or {}
        if not isinstance(props, dict):
            raise NotionInvalid("body.properties should be an object")
        stored = {n: stored_value(source, n, v) for n, v in props.items()}
        for key, value in stored.items():
            name = key if key in page["properties"] else next(
                n for n, s in source["properties"].items() if s["id"] == key)
            page["properties"][name] = value
        if "in_trash" in body or "archived" in body:
            page["in_trash"] = page["archived"] = bool(body.get("in_trash",
                                                                body.get("archived")))
        self._touch(page, BOT_ID)
        return self._page_view(page)

    def _query(self, source: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        allowed = {"sorts", "filter", "start_cursor", "page_size", "archived", "in_trash",
                   "result_type"}
        if set(body) - allowed:
            raise NotionInvalid(f"body has unknown keys: {sorted(set(body) - allowed)}")
        size = body.get("page_size", 100)
        if not isinstance(size, int) or not 1 <= size <= 100:
            raise NotionInvalid("body.page_size should be ≤ `100`, instead was "
                                f"`{size}`.")
        pages = [p for p in self.pages.values()
                 if p["parent"]["data_source_id"] == source["id"] and not p["in_trash"]]
        if body.get("filter"):
            pages = [p for p in pages if self._matches(p, body["filter"])]
        for sort in reversed(body.get("sorts") or []):
            key = sort.get("timestamp")
            if key not in ("last_edited_time", "created_time"):
                raise NotionInvalid("the fake sorts by timestamp only")
            pages.sort(key=lambda p: p[key], reverse=sort.get("direction") == "descending")
        start = 0
        if body.get("start_cursor"):
            ids = [p["id"] for p in pages]
            if body["start_cursor"] not in ids:
                raise NotionInvalid("body.start_cursor should be a valid cursor")
            start = ids.index(body["start_cursor"])
        chunk = pages[start:start + size]
        more = start + size < len(pages)
        return {"object": "list", "results": [self._page_view(p) for p in chunk],
                "next_cursor": pages[start + size]["id"] if more else None, "has_more": more,
                "type": "page_or_data_source", "page_or_data_source": {},
                "request_id": new_id()}

    def _matches(self, page: dict[str, Any], flt: dict[str, Any]) -> bool:
        if "timestamp" in flt:
            key = flt["timestamp"]
            if key not in ("last_edited_time", "created_time") or key not in flt:
                raise NotionInvalid("body.filter.timestamp should be last_edited_time or "
                                    "created_time, with its condition")
            (operator, raw), = flt[key].items()
            try:
                bound = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
            except ValueError:
                raise NotionInvalid(f"body.filter.{key}.{operator} should be an ISO 8601 "
                                    "date") from None
            moment = datetime.fromisoformat(page[key].replace("Z", "+00:00"))
            checks = {"on_or_after": moment >= bound, "after": moment > bound,
                      "before": moment < bound, "on_or_before": moment <= bound,
                      "equals": moment == bound}
            if operator not in checks:
                raise NotionInvalid(f"unknown date filter {operator}")
            return checks[operator]
        if "and" in flt:
            return all(self._matches(page, f) for f in flt["and"])
        name = flt.get("property")
        prop = page["properties"].get(name)
        if prop is None:
            raise NotionInvalid(f"Could not find property with name or id: {name}")
        kind = prop["type"]
        condition = flt.get(kind)
        if not isinstance(condition, dict) or "equals" not in condition:
            raise NotionInvalid(f"body.filter.{kind} should be defined for {name}")
        if kind in ("title", "rich_text"):
            return "".join(p["plain_text"] for p in prop[kind]) == condition["equals"]
        if kind in ("select", "status"):
            return (prop[kind] or {}).get("name") == condition["equals"]
        return prop[kind] == condition["equals"]

    def _error_body(self, status: int, code: str, message: str) -> dict[str, Any]:
        return {"object": "error", "status": status, "code": code or "internal_server_error",
                "message": message, "request_id": new_id()}

    # --- HTTP -------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                call = Call(self.command, parts.path, parse_qs(parts.query), headers, body)
                with fake._lock:
                    fake.calls.append(call)
                if raw and body is None:
                    status, answer, extra = 400, fake._error_body(
                        400, "invalid_json", "Error parsing JSON body."), {}
                else:
                    status, answer, extra = fake.handle(call)
                call.status = status
                payload = answer.encode() if isinstance(answer, str) else \
                    json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "text/html" if isinstance(answer, str)
                                     else "application/json; charset=utf-8")
                    self.send_header("content-length", str(len(payload)))
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PATCH = _serve  # noqa: N815 - the http.server naming

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
