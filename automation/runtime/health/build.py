"""Which build is running, and for how long (both fixed when the process starts)."""

from __future__ import annotations

import functools
import subprocess
import time

from automation.runtime.settings import ROOT, VERSION

STARTED = time.monotonic()


@functools.cache
def version() -> str:
    """Return the package version, with `git describe` when running from a checkout."""
    try:
        described = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"], cwd=ROOT, timeout=2,
            capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return VERSION  # an installed copy has no .git
    return f"{VERSION} ({described})" if described else VERSION


def uptime_s() -> int:
    """Return the seconds since this process started."""
    return int(time.monotonic() - STARTED)


version()  # once at start-up: never a subprocess on a request
