"""Labelled shop-chat examples shipped with the package, and their fixed held-out split."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from automation.nlu.text import squash

DATA_DIR = Path(__file__).resolve().parent / "data"
# "xx.jsonl" came first; "xx.more.jsonl" broadens it (accounts, invoices, delivery, refunds in
# more registers); "xx.<nth>.jsonl" were written later by other hands, in other voices (see
# data/README.md). The language is the part of the name before the first dot.
LANGUAGE_FILES = tuple(sorted(
    path.name for path in DATA_DIR.glob("*.jsonl") if len(path.name.split(".")[0]) == 2
))
ORDER_NUMBERS_FILE = DATA_DIR / "order_numbers.jsonl"
SENTIMENT_FILE = DATA_DIR / "sentiment.jsonl"
HELDOUT_PERCENT = 20


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str
    source: str = ""  # the data file it comes from


def is_first_hand(source: str) -> bool:
    """Tell whether a data file is one of the first two of its language ("fr.jsonl",
    "fr.more.jsonl"), written in the same hand; the others came later from other hands."""
    return source.count(".") == 1 or ".more." in source


def is_heldout(text: str) -> bool:
    """Tell whether a text belongs to the held-out split, from a stable hash of its folded form."""
    # Hashing the folded text sends near-duplicates ("é" vs "e") to the same side of the split.
    digest = hashlib.sha256(squash(text).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELDOUT_PERCENT


@lru_cache(maxsize=1)
def _all_examples() -> tuple[Example, ...]:
    examples = []
    for name in LANGUAGE_FILES:
        language = name.split(".")[0]
        for number, line in enumerate((DATA_DIR / name).read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                examples.append(Example(row["text"], row["intent"], language, name))
            except (ValueError, KeyError) as error:
                raise ValueError(f"{name}:{number}: {error}") from error
    return tuple(examples)


def load_examples(split: str = "train") -> list[Example]:
    """Return the labelled examples of one split: "train", "heldout" or "all"."""
    if split not in ("train", "heldout", "all"):
        raise ValueError(f"unknown split {split!r}")
    examples = _all_examples()
    if split == "all":
        return list(examples)
    want_heldout = split == "heldout"
    return [example for example in examples if is_heldout(example.text) == want_heldout]


def load_order_number_cases() -> list[tuple[str, list[str]]]:
    """Return the labelled order-number sentences with the numbers expected from each."""
    cases = []
    for line in ORDER_NUMBERS_FILE.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append((row["text"], list(row["order_numbers"])))
    return cases


def load_sentiment_cases() -> list[tuple[str, str]]:
    """Return the labelled feelings: (text, "negative" | "neutral" | "positive")."""
    cases = []
    for line in SENTIMENT_FILE.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append((row["text"], row["sentiment"]))
    return cases


def data_fingerprint() -> str:
    """Return a hash of the training files, so a cached model is rebuilt when they change."""
    digest = hashlib.sha256()
    for name in LANGUAGE_FILES:
        digest.update(name.encode())
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()
