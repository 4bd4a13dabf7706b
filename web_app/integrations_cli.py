"""Commands of the integrations: `flask --app web_app notion init|sync|status` and
`webhooks add|list|remove|deliver|redeliver`.

Importing this module also declares the integrations' background jobs (Notion push and pull,
the webhook dispatcher, the SLA check), so the worker started by this app runs them.
"""

from __future__ import annotations

import json

import click
from flask import Flask, current_app

import automation.tickets.jobs  # noqa: F401  (the SLA check's schedule)
import notion.jobs  # noqa: F401  (the Notion sync's jobs and schedule)
import workflows.jobs  # noqa: F401  (the dispatcher's jobs and schedule)
from automation.runtime.errors import DeskError
from workflows.subscriptions import KINDS


def init_app(app: Flask) -> None:
    """Register the `notion` and `webhooks` command groups."""
    app.cli.add_command(notion_group)
    app.cli.add_command(webhooks_group)


# --- notion ---------------------------------------------------------------------------------

@click.group("notion", help="The Notion ticket database, both ways.")
def notion_group() -> None:
    pass


@notion_group.command("init", help="Check the ticket database's properties and add missing "
                                    "ones (NOTION_DATABASE_ID), or create the database under "
                                    "NOTION_PARENT_PAGE_ID and print its id.")
def notion_init() -> None:
    from notion import connect
    from notion.setup import init_database

    sync = connect(current_app.config)
    if not sync.configured:
        raise click.ClickException("NOTION_TOKEN is not set: nothing to set up")
    try:
        report = init_database(sync.api, database_id=current_app.config.get("NOTION_DATABASE_ID"),
                               parent_page_id=current_app.config.get("NOTION_PARENT_PAGE_ID"))
    except DeskError as exc:
        raise click.ClickException(exc.message) from None
    for line in report.lines():
        click.echo(line)
    if report.created_database_id:
        click.echo(f"NOTION_DATABASE_ID={report.created_database_id}")
        click.echo("Set NOTION_DATABASE_ID to this id (.env) and restart the desk.", err=True)


@notion_group.command("sync", help="Run one push-and-pull cycle now and print what it did.")
def notion_sync() -> None:
    from notion import connect

    sync = connect(current_app.config)
    if not sync.configured:
        raise click.ClickException("NOTION_TOKEN is not set: tickets stay in the desk")
    result = sync.cycle(pull=True, wait_for_lease=True)
    for line in result.lines():
        click.echo(line)
    if result.error:
        raise SystemExit(1)


@notion_group.command("status", help="Print the sync's lag, backlog and last error as JSON.")
def notion_status() -> None:
    import notion

    click.echo(json.dumps(notion.status(current_app.config), indent=2))


# --- webhooks -------------------------------------------------------------------------------

@click.group("webhooks", help="Outbound webhook subscriptions (n8n and others).")
def webhooks_group() -> None:
    pass


@webhooks_group.command("add", help="Subscribe URL to event kinds; print its id and signing "
                                     "secret (shown once).")
@click.argument("url")
@click.option("--event", "kinds", multiple=True, required=True,
              type=click.Choice([*KINDS, "*"]),
              help="An event kind (repeat for several); * is all but message.received.")
@click.option("--description", default="", help="What the subscription is for.")
def webhooks_add(url: str, kinds: tuple[str, ...], description: str) -> None:
    from workflows.subscriptions import add_subscription

    try:
        subscription = add_subscription(url, kinds, description=description)
    except DeskError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"id: {subscription.id}")
    click.echo(f"secret: {subscription.secret}")
    click.echo(f"Subscription {subscription.id} to {', '.join(subscription.events)} created: "
               "copy the secret now, it is not shown again.", err=True)


@webhooks_group.command("list", help="List the subscriptions and their deliveries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def webhooks_list(as_json: bool) -> None:
    from workflows.subscriptions import delivery_counts, list_subscriptions, subscription_view

    counts = delivery_counts()
    rows = [{**subscription_view(s), "deliveries": counts.get(s.id, {})}
            for s in list_subscriptions()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No webhook subscription.")
    for row in rows:
        state = "active" if row["active"] else "paused"
        tally = ", ".join(f"{n} {status}" for status, n in sorted(row["deliveries"].items()))
        click.echo(f"{row['id']:>4}  {state:<6}  {row['url']}")
        click.echo(f"      events: {', '.join(row['events'])}")
        click.echo(f"      secret: {row['secret_hint']}  deliveries: {tally or 'none'}")


@webhooks_group.command("remove", help="Delete subscription ID and its deliveries.")
@click.argument("subscription_id", type=int)
def webhooks_remove(subscription_id: int) -> None:
    from workflows.subscriptions import remove_subscription

    try:
        remove_subscription(subscription_id)
    except DeskError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Subscription {subscription_id} removed.")


@webhooks_group.command("deliver", help="Run the dispatcher once now and print what it did.")
def webhooks_deliver() -> None:
    from workflows.dispatch import Policy, run

    outcome = run(policy=Policy.from_config(current_app.config))
    click.echo(f"{outcome.collected} collected, {outcome.delivered} delivered, "
               f"{outcome.failed} to retry, {outcome.dead} dead.")


@webhooks_group.command("redeliver", help="Send dead letter DELIVERY_ID (dlv_…) again.")
@click.argument("delivery_id")
def webhooks_redeliver(delivery_id: str) -> None:
    from workflows.dispatch import redeliver

    try:
        redeliver(delivery_id)
    except DeskError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Delivery {delivery_id} queued again.")
