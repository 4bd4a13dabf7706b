"""Measure intents and order numbers on a public support corpus, never trained on.

The corpus is never shipped nor trained on; only the mapping of its intents to ours lives here.
It reads the Bitext customer-support CSV (columns `instruction` and `intent`) or a TSV of
`intent<TAB>text` lines, splits it into a dev and a final half by a stable hash of each text,
runs every text through `python -m automation.nlu` and prints accuracy, confusions and how
often an order number typed after "order"/"purchase" is found.

    python -m automation.nlu.corpus_eval PATH --split final
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

# The Bitext corpus's 27 intents as the desk names them. A shipping address set up or changed
# outside any order lives in the shopper's account (the address book).
BITEXT_INTENTS = {
    "track_order": "order_status", "cancel_order": "cancel_order",
    "check_cancellation_fee": "cancel_order", "change_order": "modify_order",
    "change_shipping_address": "account", "set_up_shipping_address": "account",
    "place_order": "place_order", "check_invoice": "invoice", "get_invoice": "invoice",
    "check_payment_methods": "payment", "payment_issue": "payment",
    "check_refund_policy": "return_refund", "get_refund": "return_refund",
    "track_refund": "return_refund", "complaint": "complaint", "review": "feedback",
    "contact_customer_service": "human_agent", "contact_human_agent": "human_agent",
    "create_account": "account", "delete_account": "account", "edit_account": "account",
    "recover_password": "account", "registration_problems": "account",
    "switch_account": "account", "delivery_options": "delivery_info",
    "delivery_period": "delivery_info", "newsletter_subscription": "newsletter",
}
_ORDER_NUMBER = re.compile(
    r"\b(?:order|purchase|purchaes|purchqse|ordedr|ofder|roder|oorder)[a-z]*\s*(\d{6,})"
)


def split_of(text: str) -> str:
    """Return "dev" or "final": half of the corpus to look at, half to report once."""
    return "dev" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 == 0 else "final"


def read_corpus(path: Path) -> list[tuple[str, str]]:
    """Return (corpus intent, text) pairs from a Bitext CSV or an intent<TAB>text file."""
    with path.open(encoding="utf-8", newline="") as handle:
        if path.suffix == ".tsv":
            return [tuple(line.rstrip("\n").split("\t", 1)) for line in handle if line.strip()]
        rows = csv.DictReader(handle)
        return [(row["intent"], row.get("instruction") or row["utterance"]) for row in rows]


def _analyse_all(texts: list[str]) -> list[dict]:
    payload = "".join(json.dumps({"text": text}) + "\n" for text in texts)
    completed = subprocess.run(
        [sys.executable, "-m", "automation.nlu"], input=payload, capture_output=True,
        text=True, check=True,
    )
    return [json.loads(line) for line in completed.stdout.splitlines()]


def evaluate(pairs: list[tuple[str, str]]) -> dict:
    """Return intent accuracy (overall, per corpus intent), confusions and order-number recall."""
    results = _analyse_all([text for _, text in pairs])
    by_source: dict[str, list[bool]] = defaultdict(list)
    confusions: Counter[tuple[str, str]] = Counter()
    orders: list[bool] = []
    english: list[bool] = []
    for (source, text), result in zip(pairs, results, strict=True):
        expected = BITEXT_INTENTS[source]
        by_source[source].append(result["intent"] == expected)
        if result["intent"] != expected:
            confusions[(expected, result["intent"])] += 1
        english.append(result["language"] == "en")
        if match := _ORDER_NUMBER.search(text.lower()):
            orders.append(match.group(1) in result["entities"]["order_numbers"])
    hits = [hit for values in by_source.values() for hit in values]
    return {
        "texts": len(pairs),
        "intent_accuracy": sum(hits) / len(hits),
        "by_corpus_intent": {name: sum(v) / len(v) for name, v in sorted(by_source.items())},
        "confusions": confusions.most_common(10),
        "order_numbers": [sum(orders), len(orders)],
        "language_en": sum(english) / len(english),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures for one half (or all) of a corpus file."""
    parser = argparse.ArgumentParser(prog="python -m automation.nlu.corpus_eval")
    parser.add_argument("path", type=Path)
    parser.add_argument("--split", choices=("dev", "final", "all"), default="dev")
    options = parser.parse_args(argv)
    pairs = [
        (source, text) for source, text in read_corpus(options.path)
        if source in BITEXT_INTENTS and (options.split == "all" or split_of(text) == options.split)
    ]
    report = evaluate(pairs)
    found, total = report["order_numbers"]
    print(f"{options.split}: {report['texts']} texts, intent {report['intent_accuracy']:.1%}, "
          f"language en {report['language_en']:.1%}, order numbers {found}/{total}")
    for name, accuracy in report["by_corpus_intent"].items():
        print(f"  {name:<26} {accuracy:6.1%}")
    for (expected, predicted), count in report["confusions"]:
        print(f"  {expected} -> {predicted} x{count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
