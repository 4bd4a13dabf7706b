"""Benchmark of the embedded desk: `python -m bench.turns`.

Prints the NLU's accuracy on held-out data it never trained on (intent per language and per
intent, language, order-number extraction) and the latency of the NLU alone and of a full
engine turn (NLU, agent, tools, storage, commit) on SQLite with the demo shop.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def engine_latency(*, turns: int = 400, seed: int = 7) -> dict[str, Any]:
    """Time full local turns on a fresh SQLite database holding the demo shop."""
    from flask import Flask
    from flask_migrate import upgrade
    from sqlalchemy import select

    from automation.agents.local import LocalAgent
    from automation.runtime.desk import engine_settings
    from automation.conversations.engine import Engine
    from automation.conversations.turns import Inbound
    from database import db
    from database import setup as database_setup
    from database.demo import seed as seed_demo
    from database.models import Customer, KnowledgeArticle, Order

    workdir = Path(tempfile.mkdtemp(prefix="desk-bench-"))
    app = Flask("bench")
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'bench.db'}",
                      SECRET_KEY="bench")
    database_setup.init_app(app)
    rng = random.Random(seed)
    with app.app_context():
        upgrade()
        seed_demo(seed=2026)
        db.session.commit()
        engine = Engine(agent=LocalAgent(), settings=engine_settings({}))
        shoppers = db.session.scalars(select(Customer).where(Customer.status == "active")
                                      .limit(60)).all()
        orders = {c.id: [o.number for o in db.session.scalars(
            select(Order).where(Order.customer_id == c.id).limit(3))] for c in shoppers}
        titles = db.session.execute(select(KnowledgeArticle.language, KnowledgeArticle.title)
                                    ).all()
        asks = {"fr": ["où est ma commande {n} ?", "bonjour", "merci !",
                       "je veux retourner la commande {n}"],
                "en": ["where is my order {n}?", "hello", "thanks!",
                       "can I return order {n}?"],
                "pt": ["onde está a minha encomenda {n}?", "olá", "obrigado!",
                       "quero devolver a encomenda {n}"]}
        engine.handle(Inbound(channel="api", customer_id=shoppers[0].id, text="warm up"))
        timings = []
        for index in range(turns):
            shopper = rng.choice(shoppers)
            language = shopper.language if shopper.language in asks else "en"
            if rng.random() < 0.3:
                candidates = [t for lang, t in titles if lang == language]
                text = rng.choice(candidates)
            else:
                text = rng.choice(asks[language]).format(n=rng.choice(orders[shopper.id]))
            inbound = Inbound(channel="api", customer_id=shopper.id, text=text,
                              external_id=f"bench-{index}")
            started = time.perf_counter()
            engine.handle(inbound)
            timings.append((time.perf_counter() - started) * 1000)
        db.session.remove()
        db.engine.dispose()
    return {"turns": turns, "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(_percentile(timings, 0.95), 2),
            "max_ms": round(max(timings), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    from automation.nlu.evaluation import evaluate

    nlu = evaluate()
    turn = engine_latency(turns=args.turns)
    if args.json:
        print(json.dumps({"nlu": nlu, "engine_turn": turn}, indent=2))
        return
    print(_report(nlu, turn))


def _report(nlu: dict[str, Any], turn: dict[str, Any]) -> str:
    from automation.nlu.evaluation import format_report

    lines = [format_report(nlu), "",
             f"Full local engine turn on SQLite ({turn['turns']} turns, demo shop): "
             f"p50 {turn['p50_ms']} ms, p95 {turn['p95_ms']} ms, max {turn['max_ms']} ms"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
