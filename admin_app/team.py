"""The team: who works on the desk, their roles, availability, capacity and skills."""

from __future__ import annotations

from flask import Blueprint, render_template

from admin_app.auth import roles_required
from database.staff import list_staff

bp = Blueprint("team", __name__)


@bp.get("/team")
@roles_required("admin", "supervisor")
def index():
    return render_template("team.html", staff=list_staff())
