"""The staff API (API.md): conversations for the workspace itself, n8n and scripts."""

from __future__ import annotations

from admin_app.api.conversations import bp

__all__ = ["bp"]
