"""Commands of privacy: `flask --app web_app privacy export|erase EMAIL` and `privacy retention`.

Importing this module also declares the retention schedule, so the worker started by this app
runs it.
"""

from __future__ import annotations

import json

import click
from flask import Flask, current_app

from automation.privacy import erase, export
from automation.privacy.jobs import apply_retention
from automation.runtime.errors import DeskError


def init_app(app: Flask) -> None:
    """Register the `privacy` command group."""
    app.cli.add_command(privacy)


@click.group(help="A shopper's data (export, erase) and the retention schedule.")
def privacy() -> None:
    pass


@privacy.command("export", help="Print everything the desk holds about a shopper, as JSON.")
@click.argument("email")
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help="Write the JSON to this file instead of standard output.")
def privacy_export(email: str, out: str | None) -> None:
    try:
        document = export.export_shopper(email, by="cli",
                                         secret_key=current_app.config["SECRET_KEY"])
    except DeskError as exc:
        raise click.ClickException(exc.message) from None
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    if out:
        with open(out, "w", encoding="utf-8") as file:
            file.write(text + "\n")
        click.echo(f"Written to {out}.", err=True)
    else:
        click.echo(text)


@privacy.command("erase", help="Erase a shopper's data (orders are kept, anonymised).")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def privacy_erase(email: str, yes: bool) -> None:
    try:
        export.find_shopper(email)
    except DeskError as exc:
        raise click.ClickException(exc.message) from None
    if not yes:
        click.confirm(f"Erase everything about {email}? This cannot be undone", abort=True)
    done = erase.erase_shopper(email, by="cli", secret_key=current_app.config["SECRET_KEY"])
    summary = ", ".join(f"{key} {value}" for key, value in done.counts.items())
    click.echo(f"Shopper {done.customer_id} erased ({summary}).")


@privacy.command("retention", help="Archive and erase what is past the retention periods now.")
def privacy_retention() -> None:
    run = apply_retention.call_local()
    click.echo(f"Archived {run.archived} conversations ({run.messages} messages); "
               f"erased {run.purged} archives.")
