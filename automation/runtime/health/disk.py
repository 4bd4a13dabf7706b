"""Free space where the desk keeps its files (the SQLite database, the job queue)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

DOWN_BELOW, DEGRADED_BELOW = 0.05, 0.15  # shares of the disk left free


def data_folder(config: Any) -> Path:
    """Return the folder of the SQLite database, or of the job queue's file otherwise."""
    url = make_url(config.get("SQLALCHEMY_DATABASE_URI") or "sqlite://")
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).resolve().parent
    return Path(config.get("JOBS_DB_PATH") or "data/jobs.db").resolve().parent


def disk_state(*, free: int, total: int) -> str:
    """Return "down" under 5 % free, "degraded" under 15 %, "ok" otherwise."""
    share = free / total if total else 0.0
    return "down" if share < DOWN_BELOW else "degraded" if share < DEGRADED_BELOW else "ok"


def disk_part(folder: Path) -> dict[str, Any]:
    """Return the state of the disk holding `folder`, with its free space."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("/"))
    usage = shutil.disk_usage(existing)
    state = disk_state(free=usage.free, total=usage.total)
    share = round(100 * usage.free / usage.total, 1) if usage.total else 0.0
    why = {"ok": "", "degraded": ": less than 15 % left",
           "down": ": less than 5 % left, writes will soon fail"}[state]
    return {"state": state, "path": str(folder), "free_bytes": usage.free,
            "total_bytes": usage.total, "free_percent": share,
            "detail": f"{usage.free / 2**30:.1f} GiB free of {usage.total / 2**30:.1f} GiB "
                      f"({share} %){why}"}
