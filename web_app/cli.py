"""Commands of the shopper app: `flask --app web_app demo seed|bulk`, `… apikey create`."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask

import automation.monitoring.jobs  # noqa: F401  (the dashboard rollup's schedule)
from database import db, events
from database.api_keys import SCOPES, create_api_key
from web_app import integrations_cli, privacy_cli


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(demo)
    app.cli.add_command(apikey)
    app.cli.add_command(worker)
    app.cli.add_command(desk)
    integrations_cli.init_app(app)
    privacy_cli.init_app(app)


@click.group(help="The desk itself.")
def desk() -> None:
    pass


@desk.command("summary", help="Print what the settings turn on, and what stays off and why.")
@click.option("--logins", is_flag=True, help="Also print the demo logins.")
def desk_summary(logins: bool) -> None:
    from flask import current_app

    from automation.runtime.health import configured_parts

    click.echo("  Settings (README: Settings; .env.example):")
    for part in configured_parts(current_app.config):
        mark = "on " if part.configured else "off"
        click.echo(f"    {mark} {part.name:<16} {part.detail}")
    if logins:
        click.echo("")
        _print_logins()


@click.group(help="The demo shop.")
def demo() -> None:
    pass


@demo.command("seed", help="Fill an empty database with the deterministic demo shop.")
@click.option("--seed", "seed_value", default=2026, show_default=True, type=int)
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date the order history is relative to (default: today).")
@click.option("--if-empty", is_flag=True, help="Do nothing when shoppers or staff exist.")
def demo_seed(seed_value: int, today, if_empty: bool) -> None:
    from database.demo import is_empty, seed

    if not is_empty():
        if if_empty:
            click.echo("Database already has data: demo shop not seeded.")
            return
        raise click.ClickException("the database is not empty; seed a fresh database")
    summary = seed(seed=seed_value, today=today.date() if today else None)
    events.record(events.DEMO_SEEDED, payload={"seed": seed_value, "customers":
                                               summary.customers, "orders": summary.orders})
    db.session.commit()
    click.echo(f"Demo shop seeded: {summary.customers} shoppers, {summary.products} products, "
               f"{summary.orders} orders, {summary.articles} articles, {summary.staff} staff "
               "(logins: flask --app web_app demo logins).")


@demo.command("bulk", help="Add N messages of realistic history (and their events).")
@click.option("--messages", "count", required=True, type=click.IntRange(min=1))
@click.option("--days", default=30, show_default=True, type=click.IntRange(min=1),
              help="Spread over the last DAYS days.")
@click.option("--seed", "seed_value", default=7, show_default=True, type=int)
def demo_bulk(count: int, days: int, seed_value: int) -> None:
    import time

    from automation.agents.claude.pricing import cost_usd
    from automation.monitoring.rollup import roll_up
    from database.base import utcnow
    from database.demo.bulk import generate

    started, now = time.perf_counter(), utcnow()
    step = max(count // 10, 1)
    shown = [0]

    def progress(done: int) -> None:
        if done - shown[0] >= step:
            shown[0] = done
            click.echo(f"  {done} messages ({time.perf_counter() - started:.0f} s)", err=True)

    made = generate(messages=count, now=now, span=timedelta(days=days), seed=seed_value,
                    cost_usd=cost_usd, progress=progress)
    inserted = time.perf_counter() - started
    rows = roll_up(now=now, since=now - timedelta(days=days + 1))
    click.echo(f"Added {made.messages} messages, {made.events} events, {made.conversations} "
               f"conversations, {made.customers} shoppers in {inserted:.0f} s; dashboard "
               f"counters rolled up ({rows} rows) in "
               f"{time.perf_counter() - started - inserted:.0f} s.")


@demo.command("logins", help="Print the demo staff and shopper logins.")
def demo_logins() -> None:
    _print_logins()


def _print_logins() -> None:
    from database.demo import DEMO_PASSWORD, STAFF_LOGINS, shopper_logins

    click.echo("  Staff logins (admin app):")
    for role, email, password in STAFF_LOGINS:
        click.echo(f"    {role:<10} {email:<28} {password}")
    shoppers = shopper_logins()
    if shoppers:
        click.echo("  Shopper logins (shop app), password " + DEMO_PASSWORD + ":")
        for name, email, _password in shoppers:
            click.echo(f"    {name:<24} {email}")


@click.group(help="Integration API keys.")
def apikey() -> None:
    pass


@apikey.command("create", help="Create a key and print it once (only its hash is stored).")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES))
def apikey_create(name: str, scopes: tuple[str, ...]) -> None:
    api_key, raw_key = create_api_key(name, scopes)
    db.session.flush()
    events.record(events.API_KEY_CREATED, payload={"name": name, "prefix": api_key.prefix,
                                                   "scopes": api_key.scopes})
    db.session.commit()
    click.echo(raw_key)
    click.echo(f"Key {api_key.prefix}… ({', '.join(api_key.scopes)}) created: copy it now, "
               "it is not shown again.", err=True)




@click.command("worker", help="Run the background jobs and schedules (Huey consumer).")
@click.option("--workers", default=2, show_default=True, type=int)
def worker(workers: int) -> None:
    from automation.runtime import jobs, log_events
    from automation.runtime.health import beat

    from flask import current_app

    log_events.rename_source("worker")
    beat("worker", info={"starting": True})
    current_app.extensions["warm_up"]()
    click.echo(f"Worker: {workers} threads on {type(jobs.queue.storage).__name__}.")
    jobs.queue.create_consumer(workers=workers, worker_type="thread", periodic=True,
                               check_worker_health=True).run()
