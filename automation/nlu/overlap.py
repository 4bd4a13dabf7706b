"""Keep new examples apart from the held-out ones: `python -m automation.nlu.overlap FILE`.

A new data file (JSON lines of text and intent) may not repeat an example, nor come close to a
held-out one: a line whose words overlap a held-out example's by 60 % or more (of the longer of
the two) would let the model learn what it is then tested on. The command prints each such line
and why; with `--write` it rewrites FILE without them. The file's own lines are left out of the
comparison, so it can be run on a file already in `data/`.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from automation.nlu.examples import load_examples
from automation.nlu.text import squash

TOO_CLOSE = 0.6
_WORD = re.compile(r"[a-z0-9]+")


def word_set(text: str) -> frozenset[str]:
    """Return the folded words of a text."""
    return frozenset(_WORD.findall(squash(text)))


def closeness(first: frozenset[str], second: frozenset[str]) -> float:
    """Return the share of words two texts have in common, over the longer one."""
    longest = max(len(first), len(second))
    return len(first & second) / longest if longest else 0.0


def reasons_to_drop(lines: list[str], source: str) -> list[str | None]:
    """Return, for each JSON line, why it must go (or None to keep it)."""
    heldout = [(example.text, word_set(example.text))
               for example in load_examples("heldout") if example.source != source]
    existing = {squash(example.text) for example in load_examples("all")
                if example.source != source}
    seen: set[str] = set()
    reasons: list[str | None] = []
    for line in lines:
        text = json.loads(line)["text"]
        key, words = squash(text), word_set(text)
        reason = None
        if not words:
            reason = "no words"
        elif key in seen or key in existing:
            reason = "already an example"
        else:
            for other, other_words in heldout:
                share = closeness(words, other_words)
                if share >= TOO_CLOSE:
                    reason = f"{share:.0%} of its words are in a held-out example"
                    break
        seen.add(key)
        reasons.append(reason)
    return reasons


def main(argv: list[str] | None = None) -> int:
    """Print the lines of FILE to drop; with --write, drop them."""
    parser = argparse.ArgumentParser(prog="python -m automation.nlu.overlap",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--write", action="store_true", help="rewrite FILE without them")
    options = parser.parse_args(argv)
    lines = [line for line in options.path.read_text("utf-8").splitlines() if line.strip()]
    reasons = reasons_to_drop(lines, options.path.name)
    for line, reason in zip(lines, reasons):
        if reason:
            print(f"drop {json.loads(line)['text']!r}: {reason}")
    kept = [line for line, reason in zip(lines, reasons) if reason is None]
    print(f"{len(kept)} kept, {len(lines) - len(kept)} dropped of {len(lines)}")
    if options.write:
        options.path.write_text("".join(line + "\n" for line in kept), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
