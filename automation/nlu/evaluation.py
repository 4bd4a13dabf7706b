"""Measure the NLU on data it never trained on: `python -m automation.nlu.evaluation`."""
from __future__ import annotations

import statistics
import time
from collections import Counter, defaultdict
from datetime import date

from automation.nlu.entities import extract_entities
from automation.nlu.examples import (
    is_first_hand,
    load_examples,
    load_order_number_cases,
    load_sentiment_cases,
)
from automation.nlu.model import warm_up
from automation.nlu.pipeline import analyse
from automation.nlu.sentiment import score_sentiment
from automation.nlu.text import squash

TARGETS = {"intent_accuracy": 0.90, "language_accuracy": 0.98, "latency_p95_ms": 5.0}
# A score at or below this reads as a negative message; within (-0.25, 0.25) as neutral.
NEGATIVE_AT = -0.25
_FIXED_TODAY = date(2026, 11, 21)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _ambiguous_texts() -> set[str]:
    """Return texts written identically in several language files ("ok", "test", "?")."""
    languages: dict[str, set[str]] = defaultdict(set)
    for example in load_examples("all"):
        languages[squash(example.text)].add(example.language)
    return {text for text, found in languages.items() if len(found) > 1}


def _calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float:
    """Return the expected calibration error: |confidence - accuracy| weighted over 10 bins."""
    error = 0.0
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        chosen = [(c, ok) for c, ok in pairs if low < c <= high or (index == 0 and c == 0)]
        if chosen:
            mean_confidence = sum(c for c, _ in chosen) / len(chosen)
            accuracy = sum(ok for _, ok in chosen) / len(chosen)
            error += len(chosen) / len(pairs) * abs(mean_confidence - accuracy)
    return error


def evaluate() -> dict:
    """Return held-out intent and language accuracy, order-number recall and latency."""
    warm_up()
    heldout = load_examples("heldout")
    ambiguous = _ambiguous_texts()
    by_language: dict[str, list[bool]] = defaultdict(list)
    # The first files of a language were written in one hand, the later ones by others.
    by_hand: dict[tuple[str, str], list[bool]] = defaultdict(list)
    by_intent: dict[str, list[bool]] = defaultdict(list)
    confusions: Counter[tuple[str, str]] = Counter()
    calibration: list[tuple[float, bool]] = []
    language_hits: list[bool] = []
    latencies: list[float] = []
    cpu_times: list[float] = []
    for example in heldout:
        started, cpu_started = time.perf_counter(), time.thread_time()
        result = analyse(example.text, today=_FIXED_TODAY)
        latencies.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.thread_time() - cpu_started) * 1000)
        correct = result.intent == example.intent
        by_language[example.language].append(correct)
        hand = "first" if is_first_hand(example.source) else "later"
        by_hand[(example.language, hand)].append(correct)
        by_intent[example.intent].append(correct)
        calibration.append((result.confidence, correct))
        if not correct:
            confusions[(example.intent, result.intent)] += 1
        if squash(example.text) not in ambiguous:
            language_hits.append(result.language == example.language)

    cases = load_order_number_cases()
    order_hits = [
        extract_entities(text, language="", today=_FIXED_TODAY)["order_numbers"] == expected
        for text, expected in cases
    ]
    with_numbers = [hit for hit, (_, expected) in zip(order_hits, cases) if expected]

    feelings: dict[str, list[bool]] = defaultdict(list)
    for text, expected in load_sentiment_cases():
        score = score_sentiment(text)
        if expected == "negative":
            feelings["negative"].append(score <= NEGATIVE_AT)
        elif expected == "neutral":
            feelings["neutral"].append(NEGATIVE_AT < score < -NEGATIVE_AT)
        else:
            feelings["positive"].append(score >= -NEGATIVE_AT)

    def share(values: list[bool]) -> float:
        return round(sum(values) / len(values), 4) if values else 0.0

    return {
        "heldout_examples": len(heldout),
        "intent_accuracy": share([hit for hits in by_language.values() for hit in hits]),
        "intent_accuracy_by_language": {
            language: share(hits) for language, hits in sorted(by_language.items())
        },
        "intent_examples_by_language": {
            language: len(hits) for language, hits in sorted(by_language.items())
        },
        "intent_by_language_and_hand": {
            f"{language}/{hand}": [share(hits), len(hits)]
            for (language, hand), hits in sorted(by_hand.items())
        },
        "intent_accuracy_by_intent": {
            intent: share(hits) for intent, hits in sorted(by_intent.items())
        },
        "intent_calibration_error": round(_calibration_error(calibration), 4),
        "top_confusions": [
            {"expected": expected, "predicted": predicted, "count": count}
            for (expected, predicted), count in confusions.most_common(8)
        ],
        "language_accuracy": share(language_hits),
        "language_examples": len(language_hits),
        "order_number_sentences": len(cases),
        "order_number_exact_match": share(order_hits),
        "order_number_recall": share(with_numbers),
        "sentiment_found": {kind: [sum(hits), len(hits)] for kind, hits in feelings.items()},
        "latency_ms": {
            "p50": round(statistics.median(latencies), 3),
            "p95": round(_percentile(latencies, 0.95), 3),
            "max": round(max(latencies), 3),
            # CPU time alone: what the wall figures would be on an otherwise idle machine.
            "cpu_p50": round(statistics.median(cpu_times), 3),
            "cpu_p95": round(_percentile(cpu_times, 0.95), 3),
        },
    }


def format_report(report: dict) -> str:
    """Return the evaluation as a short plain-text report."""
    lines = [f"NLU evaluation on {report['heldout_examples']} held-out examples"]
    lines.append(f"  intent accuracy            {report['intent_accuracy']:.1%}"
                 f"   (target >= {TARGETS['intent_accuracy']:.0%} per language)")
    for language, accuracy in report["intent_accuracy_by_language"].items():
        count = report["intent_examples_by_language"][language]
        hands = report["intent_by_language_and_hand"]
        split = ", ".join(
            f"{name} {hands[key][0]:.1%} ({hands[key][1]})"
            for name, key in (("first files", f"{language}/first"),
                              ("later hands", f"{language}/later"))
            if key in hands
        )
        lines.append(f"    {language}  {accuracy:.1%}  ({count} examples: {split})")
    lines.append("  intent accuracy by intent")
    for intent, accuracy in report["intent_accuracy_by_intent"].items():
        lines.append(f"    {intent:<14} {accuracy:.1%}")
    lines.append(f"  confidence calibration error (ECE)  {report['intent_calibration_error']:.3f}")
    lines.append("  most frequent confusions (expected -> predicted)")
    for confusion in report["top_confusions"]:
        lines.append(f"    {confusion['expected']} -> {confusion['predicted']}"
                     f"  x{confusion['count']}")
    lines.append(f"  language accuracy          {report['language_accuracy']:.1%}"
                 f"   ({report['language_examples']} texts; target >= "
                 f"{TARGETS['language_accuracy']:.0%})")
    lines.append(f"  order numbers, exact list  {report['order_number_exact_match']:.1%}"
                 f"   ({report['order_number_sentences']} sentences)")
    lines.append(f"  order numbers, recall      {report['order_number_recall']:.1%}"
                 "   (sentences that hold one or more)")
    for kind, (found, total) in report["sentiment_found"].items():
        lines.append(f"  sentiment, {kind:<9}       {found}/{total} read as {kind}")
    latency = report["latency_ms"]
    lines.append(f"  latency per message        p50 {latency['p50']:.2f} ms, p95 "
                 f"{latency['p95']:.2f} ms, max {latency['max']:.2f} ms"
                 f"   (target p95 <= {TARGETS['latency_p95_ms']:.0f} ms)")
    lines.append(f"  CPU time per message       p50 {latency['cpu_p50']:.2f} ms, p95 "
                 f"{latency['cpu_p95']:.2f} ms   (same, without other processes' load)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_report(evaluate()))
