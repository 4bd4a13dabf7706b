"""`flask --app web_app notion init`: the ticket database, made or completed.

With a database id, its (first) data source gets the properties the desk needs that it lacks,
and the options missing from its selects; a property of the wrong type is reported, never
changed (it holds a team's data). With a parent page id instead, the database is created there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from automation.runtime.errors import DeskError
from database.staff import list_staff
from notion.api import NotionAPI
from notion.schema import PROPERTIES, Property

DATABASE_TITLE = "Support tickets"


@dataclass
class InitReport:
    """What `init` found and did."""

    database_id: str
    data_source_id: str
    created_database_id: str | None = None
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Return the report as lines for the terminal."""
        if self.created_database_id:
            lines = [f"Created the database {self.created_database_id} "
                     f"(data source {self.data_source_id}) with every property."]
        else:
            lines = [f"Database {self.database_id} (data source {self.data_source_id}):"]
            lines += [f"  added property {name}" for name in self.added]
            lines += [f"  renamed {change}" for change in self.renamed]
            lines += [f"  added options to {name}: {', '.join(values)}"
                      for name, values in self.options.items()]
            if not (self.added or self.renamed or self.options):
                lines.append("  every property is there: nothing to change.")
        return lines


def init_database(api: NotionAPI, *, database_id: str | None,
                  parent_page_id: str | None) -> InitReport:
    """Complete the database `database_id`, or create one under `parent_page_id`."""
    staff = [s.email for s in list_staff(active_only=True)]
    wanted = [_with_staff(p, staff) for p in PROPERTIES]
    if database_id:
        return _complete(api, database_id, wanted)
    if parent_page_id:
        created = api.create_database(parent_page_id=parent_page_id, title=DATABASE_TITLE,
                                      properties={p.name: p.schema() for p in wanted})
        source = (created.get("data_sources") or [{}])[0].get("id", "")
        return InitReport(database_id=created["id"], data_source_id=source,
                          created_database_id=created["id"])
    raise DeskError("validation_error", "set NOTION_DATABASE_ID (a database to complete) or "
                    "NOTION_PARENT_PAGE_ID (a page to create it in)")


def data_source_of(api: NotionAPI, database_id: str) -> str:
    """Return the id of the database's first data source."""
    sources = api.retrieve_database(database_id).get("data_sources") or []
    if not sources:
        raise DeskError("conflict", f"Notion database {database_id} has no data source")
    return sources[0]["id"]


def _with_staff(prop: Property, staff: list[str]) -> Property:
    if prop.name != "Assignee":
        return prop
    return Property(prop.name, prop.type, prop.accepts, tuple(staff[:100]))


def _complete(api: NotionAPI, database_id: str, wanted: list[Property]) -> InitReport:
    source_id = data_source_of(api, database_id)
    existing: dict[str, Any] = api.retrieve_data_source(source_id).get("properties") or {}
    report = InitReport(database_id=database_id, data_source_id=source_id)
    changes: dict[str, Any] = {}
    problems = []
    title_name = next((name for name, p in existing.items() if p.get("type") == "title"), None)
    if title_name not in (None, "Title"):
        if "Title" in existing:
            problems.append(f"Title: a {existing['Title'].get('type')} property holds the "
                            f"name, and the title property is called {title_name}")
        else:
            changes[title_name] = {"name": "Title"}
            report.renamed.append(f"{title_name} → Title")
    for prop in wanted:
        if prop.type == "title":
            continue
        found = existing.get(prop.name)
        if found is None:
            changes[prop.name] = prop.schema()
            report.added.append(prop.name)
            continue
        kind = found.get("type")
        if kind not in (prop.accepts or (prop.type,)):
            problems.append(f"{prop.name}: is {kind}, the desk needs "
                            + " or ".join(prop.accepts or (prop.type,)))
            continue
        if kind in ("select", "status") and prop.options:
            have = [o for o in (found.get(kind) or {}).get("options", [])]
            names = {o.get("name") for o in have}
            missing = [o for o in prop.options if o not in names]
            if missing and kind == "status":
                problems.append(f"{prop.name}: add the options {', '.join(missing)} in Notion "
                                "(the API cannot change a status property)")
            elif missing:
                # Options left out of an update are removed: the existing ones go back in.
                keep = [{"id": o["id"], "name": o["name"]} if o.get("id") else
                        {"name": o["name"]} for o in have]
                changes[prop.name] = {"select": {"options": keep + [{"name": m}
                                                                    for m in missing]}}
                report.options[prop.name] = missing
    if problems:
        raise DeskError("conflict", "the Notion database needs changes the desk will not "
                        "make itself: " + "; ".join(problems))
    if changes:
        api.update_data_source(source_id, properties=changes)
    return report
