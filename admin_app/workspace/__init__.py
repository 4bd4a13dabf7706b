"""The agent workspace (`/workspace`): the queue, my conversations, one conversation in full
with its shopper beside it, canned replies, notes, transfer, and live updates.

Actions (accept, send, transfer, hand back, close, my status) post to the staff API
(`admin_app.api`), which answers the workspace with the fragments below.
"""

from __future__ import annotations

from flask import Flask

from admin_app.workspace import socket, views

bp = views.bp


def init_app(app: Flask) -> None:
    """Register the workspace pages and its live socket."""
    app.register_blueprint(views.bp)
    socket.init_app(app)


__all__ = ["bp", "init_app"]
