"""`python -m automation.nlu.build`: train the NLU models at install time and cache them.

Quick and idempotent: when the cache already matches the data, the code and the library
versions, it only checks that the file loads. Workers then call `warm_up()` to load it before
they accept traffic. `--force` retrains even when the cache is fresh.
"""
from __future__ import annotations

import argparse
import sys
import time

from automation.nlu.model import build_cache


def main(argv: list[str] | None = None) -> int:
    """Build the model cache if it is missing or stale, and say what was done and how fast."""
    parser = argparse.ArgumentParser(prog="python -m automation.nlu.build", description=__doc__)
    parser.add_argument("--force", action="store_true", help="retrain even if the cache is fresh")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    path, built = build_cache(force=options.force)
    elapsed = time.perf_counter() - started
    if not path.exists():
        print(f"NLU models could not be cached at {path}", file=sys.stderr)
        return 1
    verb = "built" if built else "already fresh"
    print(f"NLU models {verb}: {path} ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
