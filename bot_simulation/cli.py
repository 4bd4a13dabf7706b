"""The command line: `run` for scripts, an interactive menu for people."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.prompt import Confirm, FloatPrompt, IntPrompt, Prompt

from bot_simulation.config import (CHANNELS, DEFAULT_FAKE_PORT, DEFAULT_SMTP_PORT, ROOT,
                                   Settings)
from bot_simulation.phrases import LANGUAGES
from bot_simulation.runner import Simulation
from bot_simulation.scenarios import SCENARIOS, RunOptions, SetupError

INTERRUPTED = 130


def demo_password() -> str | None:
    """Return the demo shop's shopper password, when the demo module is there."""
    try:
        from database.demo import DEMO_PASSWORD
    except ImportError:
        return None
    return DEMO_PASSWORD


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m bot_simulation",
        description="Shopper simulator and load tester of the support desk. With no "
                    "arguments: an interactive menu.")
    commands = main.add_subparsers(dest="command")
    run = commands.add_parser("run", help="run a scenario (for scripts)")
    run.add_argument("--scenario", choices=list(SCENARIOS), default="single")
    run.add_argument("--count", type=int, help="shoppers at once (single, burst) or at most "
                                               "(rate scenarios)")
    run.add_argument("--duration", type=float, help="seconds of simulated time")
    run.add_argument("--rate", type=float, help="new shoppers a minute (their follow-ups "
                                                "come on top)")
    run.add_argument("--speedup", type=float, default=1.0,
                     help="compress the clock: quick at 60 takes 5 s")
    run.add_argument("--channel", choices=[*CHANNELS, "mixed"], default="api")
    run.add_argument("--languages", default=",".join(LANGUAGES), help="e.g. fr,en,pt")
    run.add_argument("--target", help="the desk's web_app URL (default $DESK_URL or "
                                      "http://127.0.0.1:5000)")
    run.add_argument("--api-key", help="a messages:write key (default $DESK_API_KEY)")
    run.add_argument("--json", dest="json_path", help="write the report as JSON")
    run.add_argument("--csv", dest="csv_path", help="write one row per exchange as CSV")
    run.add_argument("--seed", type=int, help="the same seed draws the same shoppers and "
                                              "messages")
    more = run.add_argument_group("more")
    more.add_argument("--timeout", type=float, default=30.0, help="seconds a reply may take")
    more.add_argument("--max-turns", type=int, default=4, help="messages per shopper at most")
    more.add_argument("--think", default="3,12", help="seconds a shopper takes to write back "
                                                      "(min,max, before --speedup)")
    more.add_argument("--intruders", type=float, default=0.0,
                      help="share of shoppers who ask about another shopper's order (0-1)")
    more.add_argument("--whatsapp-provider", choices=("auto", "meta", "twilio"),
                      default="auto")
    more.add_argument("--fake-port", type=int, default=DEFAULT_FAKE_PORT,
                      help="port of the fake Graph/Twilio API the desk sends WhatsApp "
                           "replies to (0: any)")
    more.add_argument("--smtp-sink", type=int, nargs="?", const=DEFAULT_SMTP_PORT,
                      metavar="PORT", help="start an SMTP sink for email replies (the desk's "
                                           f"SMTP_URL; default port {DEFAULT_SMTP_PORT}); "
                                           "without it replies are read from the outbox")
    more.add_argument("--password", help="the shoppers' password for the web chat (default "
                                         "$SIM_SHOPPER_PASSWORD, else the demo shop's)")
    more.add_argument("--public-url", help="the desk's PUBLIC_BASE_URL, when set (Twilio "
                                           "signatures)")
    more.add_argument("--database-url", help="where to read shoppers (default $DATABASE_URL)")
    more.add_argument("--shoppers", type=int, help="read at most this many shoppers")
    more.add_argument("--prepare", type=int, default=50,
                      help="logins and socket handshakes at once before a burst")
    more.add_argument("--no-live", action="store_true", help="no live progress display")
    commands.add_parser("menu", help="the interactive menu")
    return main


def settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    settings.target = (args.target or settings.target).rstrip("/")
    settings.api_key = args.api_key or settings.api_key
    settings.password = args.password or settings.password or demo_password()
    settings.public_base_url = args.public_url or settings.public_base_url
    settings.database_url = args.database_url or settings.database_url
    return settings


def options_from(args: argparse.Namespace) -> RunOptions:
    languages = tuple(x.strip() for x in args.languages.split(",") if x.strip())
    unknown = [x for x in languages if x not in LANGUAGES]
    if unknown or not languages:
        raise SetupError(f"--languages: choose among {','.join(LANGUAGES)}")
    low, _, high = args.think.partition(",")
    return RunOptions(
        scenario=args.scenario, count=args.count, duration=args.duration, rate=args.rate,
        speedup=args.speedup, channel=args.channel, languages=languages, seed=args.seed,
        max_turns=args.max_turns, timeout=args.timeout,
        think=(float(low), float(high or low)), intruders=args.intruders,
        whatsapp_provider=args.whatsapp_provider, smtp_port=args.smtp_sink,
        fake_port=args.fake_port, shoppers=args.shoppers, prepare_concurrency=args.prepare,
        json_path=args.json_path, csv_path=args.csv_path,
        live=False if args.no_live else None)


def execute(options: RunOptions, settings: Settings, console: Console) -> int:
    """Run one simulation; return the exit status (130 when stopped by Ctrl-C)."""
    simulation = Simulation(options, settings, console=console)
    try:
        channels = simulation.channels()
    except SetupError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    _explain(simulation, channels, console)
    try:
        asyncio.run(simulation.run())
    except SetupError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    except KeyboardInterrupt:  # before the run could take over Ctrl-C
        console.print("[yellow]stopped before the run started[/yellow]")
        return INTERRUPTED
    finally:
        simulation.stop_observers()
    return INTERRUPTED if simulation.interrupted else 0


def _explain(simulation: Simulation, channels: list[str], console: Console) -> None:
    options = simulation.options
    console.print(f"Run [bold]{simulation.run_id}[/bold]: requests carry "
                  f"X-Desk-Simulation: {simulation.run_id}; message ids start with "
                  f"sim-{simulation.run_id}-", highlight=False)
    if "whatsapp" in channels and options.fake_port is not None:
        port = options.fake_port or "<port>"
        console.print(f"WhatsApp replies are observed on a fake Graph/Twilio API: start the desk "
                      f"with WHATSAPP_GRAPH_URL=http://127.0.0.1:{port}/v24.0 "
                      f"TWILIO_API_URL=http://127.0.0.1:{port} WHATSAPP_ACCESS_TOKEN=x "
                      f"WHATSAPP_PHONE_NUMBER_ID="
                      f"{simulation.settings.whatsapp_phone_number_id}", highlight=False)
    if "email" in channels:
        if options.smtp_port is not None:
            console.print(f"Email replies are read from an SMTP sink: start the desk with "
                          f"SMTP_URL=smtp://127.0.0.1:{options.smtp_port}", highlight=False)
        else:
            console.print("Email replies are read from the desk's outbox (the database)",
                          highlight=False)


def menu(console: Console) -> int:
    """Ask what to run, then run it."""
    console.print("[bold]Support desk — shopper simulator[/bold]\n")
    settings = Settings.from_env()
    settings.password = settings.password or demo_password()
    settings.target = Prompt.ask("Desk URL", default=settings.target, console=console)
    scenario = Prompt.ask("Scenario", choices=list(SCENARIOS), default="quick",
                          console=console)
    ready = settings.channels_ready()
    if ready["api"] and Confirm.ask("No API key: create one with `flask --app web_app apikey "
                                    "create sim`?", default=True, console=console):
        settings.api_key = create_api_key(settings, console)
        ready = settings.channels_ready()
    for channel, why in ready.items():
        console.print(f"  {channel}: " + ("[green]ready[/green]" if why is None
                                          else f"[yellow]{why}[/yellow]"))
    channel = Prompt.ask("Channel", choices=[*CHANNELS, "mixed"], default="mixed",
                         console=console)
    languages = Prompt.ask("Languages", default="fr,en,pt", console=console)
    options = RunOptions(scenario=scenario, channel=channel,
                         languages=tuple(x.strip() for x in languages.split(",") if x))
    if scenario in ("single", "burst"):
        options.count = IntPrompt.ask("Shoppers at once", default=SCENARIOS[scenario]["count"],
                                      console=console)
    else:
        default = SCENARIOS[scenario]
        options.rate = FloatPrompt.ask("New shoppers a minute", default=default["rate"],
                                       console=console)
        if default["duration"] is not None:
            options.duration = FloatPrompt.ask("Duration (s)", default=default["duration"],
                                               console=console)
    # Think times shrink too: a single shopper's follow-ups come faster.
    options.speedup = FloatPrompt.ask("Speed-up (60: a minute a second)", default=1.0,
                                      console=console)
    json_path = Prompt.ask("Write the JSON report to (empty: no)", default="",
                           console=console)
    options.json_path = json_path or None
    try:
        return execute(options, settings, console)
    except SetupError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2


def create_api_key(settings: Settings, console: Console) -> str | None:
    """Create a messages:write key with the desk's own command; return it."""
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "web_app", "apikey", "create", "sim",
         "--scope", "messages:write"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False)
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not lines:
        console.print(f"[red]could not create a key: {result.stderr.strip()[-300:]}[/red]")
        return None
    console.print("Created an API key (export DESK_API_KEY to reuse it).")
    return lines[-1]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Piped to a file or a CI log: wide enough for the report's tables.
    console = Console() if sys.stdout.isatty() else Console(width=150)
    args = parser().parse_args(argv)
    if args.command in (None, "menu"):
        try:
            return menu(console)
        except (KeyboardInterrupt, EOFError):
            console.print()
            return INTERRUPTED
    try:
        options = options_from(args)
        settings = settings_from(args)
    except (SetupError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    return execute(options, settings, console)
