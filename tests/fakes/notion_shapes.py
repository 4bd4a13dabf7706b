"""Notion's documented shapes, as the fake Notion API checks and stores them (API version
2025-09-03): property schemas of a data source, page property values, page content blocks.

A value that does not fit is a `NotionInvalid`: the fake answers it with Notion's 400
`validation_error`, as Notion does.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

WRITABLE = ("title", "rich_text", "select", "status", "date", "email", "url", "people",
            "number", "checkbox", "phone_number", "multi_select")
MAX_TEXT = 2000


class NotionInvalid(Exception):
    """A request Notion answers with 400 validation_error."""


def new_id() -> str:
    return str(uuid.uuid4())


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def rich(content: str) -> dict[str, Any]:
    """Return a rich text item as Notion answers it."""
    return {"type": "text", "text": {"content": content, "link": None},
            "annotations": {"bold": False, "italic": False, "strikethrough": False,
                            "underline": False, "code": False, "color": "default"},
            "plain_text": content, "href": None}


def property_schema(name: str, config: Any, existing: dict[str, Any] | None
                    ) -> dict[str, Any]:
    """Return a data source property as Notion stores it (select options keep their ids)."""
    if not isinstance(config, dict):
        raise NotionInvalid(f"body.properties.{name} should be an object")
    kinds = [k for k in config if k in WRITABLE or k in ("formula", "relation", "rollup",
                                                         "created_time", "last_edited_time")]
    if len(kinds) != 1:
        raise NotionInvalid(f"body.properties.{name} should define exactly one type")
    kind = kinds[0]
    if kind == "status" and existing is not None and config[kind].get("options"):
        raise NotionInvalid("It is not possible to update the name or options values "
                            "of a status property via the API.")
    body: dict[str, Any] = {}
    if kind in ("select", "status", "multi_select"):
        old = {o["name"]: o for o in ((existing or {}).get(kind) or {}).get("options", [])}
        options = []
        for option in (config[kind] or {}).get("options", []):
            option_name = option.get("name") or next(
                (o["name"] for o in old.values() if o["id"] == option.get("id")), None)
            if not option_name:
                raise NotionInvalid(f"body.properties.{name}.{kind}.options: a name or id")
            if "," in option_name:
                raise NotionInvalid(f"Select option names cannot contain commas: "
                                    f"{option_name!r}")
            kept = old.get(option_name)
            options.append({"id": kept["id"] if kept else new_id()[:8], "name": option_name,
                            "color": option.get("color") or (kept or {}).get("color")
                            or "default", "description": None})
        body = {"options": options}
    prop_id = "title" if kind == "title" else (existing or {}).get("id") or new_id()[:4]
    return {"id": prop_id, "name": name, "description": None, "type": kind, kind: body}


def plain_to_request(kind: str, plain: Any) -> dict[str, Any]:
    if kind in ("title", "rich_text"):
        return {kind: [{"text": {"content": plain}}] if plain else []}
    if kind in ("select", "status"):
        return {kind: {"name": plain} if plain else None}
    if kind == "date":
        return {"date": {"start": plain} if plain else None}
    return {kind: plain}


def stored_value(source: dict[str, Any], name: str, raw: Any) -> dict[str, Any]:
    """Validate one property value of a request; return it as Notion stores it."""
    schema = source["properties"].get(name)
    if schema is None:
        by_id = [p for p in source["properties"].values() if p["id"] == name]
        if not by_id:
            raise NotionInvalid(f"{name} is not a property that exists.")
        schema = by_id[0]
        name = schema["name"]
    kind = schema["type"]
    if not isinstance(raw, dict):
        raise NotionInvalid(f"body.properties.{name} should be an object")
    given = [k for k in raw if k != "type"]
    if given != [kind] or raw.get("type", kind) != kind:
        raise NotionInvalid(f"{name} is expected to be {kind}.")
    value = raw[kind]
    if kind in ("title", "rich_text"):
        if not isinstance(value, list) or len(value) > 100:
            raise NotionInvalid(f"body.properties.{name}.{kind} should be an array of at "
                                "most 100 rich text objects")
        parts = []
        for item in value:
            content = (item or {}).get("text", {}).get("content")
            if not isinstance(content, str) or item.get("type", "text") != "text":
                raise NotionInvalid(f"body.properties.{name}.{kind}[].text.content "
                                    "should be a string")
            if len(content) > MAX_TEXT:
                raise NotionInvalid(f"body.properties.{name}.{kind}[].text.content.length"
                                    " should be ≤ `2000`")
            parts.append(rich(content))
        stored: Any = parts
    elif kind in ("select", "status"):
        if value is None:
            stored = None
        else:
            option_name = (value or {}).get("name")
            if not isinstance(option_name, str) or not option_name:
                raise NotionInvalid(f"body.properties.{name}.{kind}.name should be a "
                                    "string")
            if "," in option_name:
                raise NotionInvalid("Select option names cannot contain commas.")
            options = schema[kind]["options"]
            option = next((o for o in options if o["name"] == option_name), None)
            if option is None:
                if kind == "status":
                    raise NotionInvalid(f"Invalid status option: {option_name!r}")
                option = {"id": new_id()[:8], "name": option_name, "color": "default",
                          "description": None}
                options.append(option)  # Notion adds a new select option
            stored = {"id": option["id"], "name": option["name"], "color": option["color"]}
    elif kind == "date":
        if value is None:
            stored = None
        else:
            start = (value or {}).get("start")
            try:
                datetime.fromisoformat(str(start).replace("Z", "+00:00"))
            except ValueError:
                raise NotionInvalid(f"body.properties.{name}.date.start should be a "
                                    f"valid ISO 8601 date string, instead was {start!r}")
            stored = {"start": start, "end": value.get("end"), "time_zone": None}
    elif kind in ("email", "url", "phone_number"):
        if value is not None and not isinstance(value, str):
            raise NotionInvalid(f"body.properties.{name}.{kind} should be a string")
        if kind == "url" and value and len(value) > 2000:
            raise NotionInvalid(f"body.properties.{name}.url.length should be ≤ `2000`")
        stored = value
    else:
        stored = value
    return {"id": schema["id"], "type": kind, kind: stored}


def empty_value(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema["type"]
    empty: Any = [] if kind in ("title", "rich_text", "people", "multi_select") else None
    return {"id": schema["id"], "type": kind, kind: empty}


def check_children(children: Any) -> None:
    if not isinstance(children, list) or len(children) > 100:
        raise NotionInvalid("body.children should be an array of at most 100 blocks")
    for block in children:
        kind = (block or {}).get("type")
        if not kind or not isinstance(block.get(kind), dict):
            raise NotionInvalid("body.children[] should be a block object with its type")
        for item in block[kind].get("rich_text", []):
            if len(item.get("text", {}).get("content", "")) > MAX_TEXT:
                raise NotionInvalid("body.children[].rich_text[].text.content.length "
                                    "should be ≤ `2000`")
