"""The shop's settings, in groups: each group's form saves on its own (htmx or plain POST)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import roles_required
from admin_app.settings import bp
from admin_app.settings.fields import BY_NAME, GROUPS, Group, day_names, read, shown
from automation.runtime.errors import DeskError
from database.desk_settings import last_changes


@bp.get("")
@roles_required("admin")
def index():
    return _render("settings/index.html", forms=_forms())


@bp.post("/group/<group_name>")
@roles_required("admin")
def save(group_name: str):
    group = BY_NAME.get(group_name) or abort(404)
    values = read(group, request.form)
    store = current_app.extensions["settings"]
    try:
        store.update(values, staff_id=current_user.user.id)
    except DeskError as exc:
        if exc.code != "validation_error":
            raise
        errors = {f.key: f.hint for f in group.fields if f.key in exc.fields}
    else:
        errors = {}
    form = _form(group, shown(group, values if errors else store.all()), last_changes(),
                 errors=errors, saved=not errors)
    if request.headers.get("HX-Request"):
        # htmx swaps 2xx answers only: a refused form comes back as 200 with its errors.
        response = current_app.make_response(_render("settings/_group.html", form=form))
        response.headers["Vary"] = "HX-Request"
        return response
    if not errors:
        flash(_("Settings saved."))
        return redirect(url_for("settings.index") + f"#group-{group.name}", code=303)
    return _render("settings/index.html", forms=_forms(refused=form)), 400


def _forms(*, refused: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Return every group's form with the stored values; `refused` stands in for its group."""
    values, changes = current_app.extensions["settings"].all(), last_changes()
    return [refused if refused and refused["group"] is group
            else _form(group, shown(group, values), changes) for group in GROUPS]


def _form(group: Group, values: dict[str, Any],
          changes: dict[str, tuple[Any, str | None]], *,
          errors: dict[str, Any] | None = None, saved: bool = False) -> dict[str, Any]:
    mine = [changes[field.key] for field in group.fields if field.key in changes]
    return {"group": group, "data": values, "errors": errors or {}, "saved": saved,
            # The group's latest change (when, by whom), None while the environment rules.
            "changed": max(mine, key=lambda change: change[0]) if mine else None}


def _render(template: str, **context: Any) -> str:
    return render_template(template, days=day_names(),
                           claude_configured=bool(current_app.config.get("ANTHROPIC_API_KEY")),
                           **context)
