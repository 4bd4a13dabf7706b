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


@bp.get("")
@roles_required("admin")
def index():
    values = current_app.extensions["settings"].all()
    return _render("settings/index.html",
                   forms=[_form(group, shown(group, values)) for group in GROUPS])


@bp.post("/group/<group_name>")
@roles_required("admin")
def save(group_name: str):
    group = BY_NAME.get(group_name) or abort(404)
    values = read(group, request.form)
    saved, errors = False, {}
    try:
        current_app.extensions["settings"].update(values, staff_id=current_user.user.id)
        saved = True
    except DeskError as exc:
        if exc.code != "validation_error":
            raise
        errors = {f.key: f.hint for f in group.fields if f.key in exc.fields}
    form = _form(group, shown(group, values if errors
                               else current_app.extensions["settings"].all()),
                 errors=errors, saved=saved)
    if request.headers.get("HX-Request"):
        # htmx swaps 2xx answers only: a refused form comes back as 200 with its errors.
        response = current_app.make_response(_render("settings/_group.html", form=form))
        response.headers["Vary"] = "HX-Request"
        return response
    if saved:
        flash(_("Settings saved."))
        return redirect(url_for("settings.index") + f"#group-{group.name}", code=303)
    values = current_app.extensions["settings"].all()
    forms = [form if other.name == group.name else _form(other, shown(other, values))
             for other in GROUPS]
    return _render("settings/index.html", forms=forms), 400


def _render(template: str, **context: Any) -> str:
    return render_template(template, days=day_names(),
                           claude_configured=bool(current_app.config.get("ANTHROPIC_API_KEY")),
                           **context)


def _form(group: Group, values: dict[str, Any], *, errors: dict[str, Any] | None = None,
          saved: bool = False) -> dict[str, Any]:
    return {"group": group, "data": values, "errors": errors or {}, "saved": saved}
