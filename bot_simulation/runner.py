"""Run a scenario: shoppers arrive (at a rate, or all at once), each follows its persona to
the end on its channel, and every exchange is timed from submission to reply.

One asyncio loop drives every shopper, so a thousand simultaneous shoppers cost a thousand
small tasks, not threads. Ctrl-C (SIGINT) stops the run: exchanges still waiting are counted
as in flight and the report is written all the same.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import signal
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from rich.console import Console

from bot_simulation.channels import ChannelError, Context, Outgoing, Session, session_for
from bot_simulation.config import CHANNELS, Settings
from bot_simulation.desk_records import OutboxPoller, make_engine, stored_replies
from bot_simulation.observers import FakeProviders, ReplyBox, SmtpSink
from bot_simulation.personas import Persona, draw_persona
from bot_simulation.progress import Progress
from bot_simulation.report import build_report, print_report, write_csv, write_json
from bot_simulation.scenarios import RunOptions, SetupError, ShopperPool
from bot_simulation.shoppers import Shopper, load_products, load_shoppers
from bot_simulation.stats import ANSWERED, Exchange, Stats

log = logging.getLogger(__name__)

class Simulation:
    """One run of a scenario against a desk."""

    def __init__(self, options: RunOptions, settings: Settings, *,
                 shoppers: list[Shopper] | None = None,
                 products: list[str] | None = None,
                 console: Console | None = None) -> None:
        self.options = options.resolved()
        self.settings = settings
        self.console = console or Console()
        self.rng = random.Random(self.options.seed)
        self._shoppers, self._products = shoppers, products
        self.stats = Stats()
        self.numbers = itertools.count(1)
        self.stopping = False
        self.interrupted = False
        self.deadline: float | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        self.fakes: FakeProviders | None = None
        self.smtp: SmtpSink | None = None
        self.report: dict[str, Any] | None = None
        self.prepared = 0   # shoppers whose session is open (or failed to open)

    @property
    def run_id(self) -> str:
        return self.options.run_id

    # --- set up -----------------------------------------------------------------------------

    def channels(self) -> list[str]:
        """Return the channels this run uses (every ready one for `mixed`)."""
        ready = self.settings.channels_ready()
        if self.options.channel == "mixed":
            chosen = [c for c in CHANNELS if ready[c] is None]
            if not chosen:
                raise SetupError("no channel is ready: " + "; ".join(
                    f"{c}: {why}" for c, why in ready.items()))
            for channel, why in ready.items():
                if why:
                    self.console.print(f"[yellow]mixed: skipping {channel} ({why})[/yellow]")
            return chosen
        if self.options.channel not in CHANNELS:
            raise SetupError(f"unknown channel {self.options.channel!r}")
        if (why := ready[self.options.channel]) is not None:
            raise SetupError(f"{self.options.channel}: {why}")
        return [self.options.channel]

    def _start_observers(self, box: ReplyBox, channels: list[str]) -> None:
        options = self.options
        if "whatsapp" in channels and options.fake_port is not None and self.fakes is None:
            try:
                self.fakes = FakeProviders(box, port=options.fake_port).start()
            except OSError as exc:
                raise SetupError(f"the fake WhatsApp APIs cannot listen on port "
                                 f"{options.fake_port}: {exc}") from exc
        if "email" in channels and options.smtp_port is not None and self.smtp is None:
            self.smtp = SmtpSink(box, port=options.smtp_port).start()

    # --- the run ----------------------------------------------------------------------------

    async def run(self) -> dict[str, Any]:
        """Run the scenario; return the report (also printed and written when asked)."""
        options = self.options
        channels = self.channels()
        loop = asyncio.get_running_loop()
        self._install_signal_handler(loop)  # from now on Ctrl-C still ends with a report
        try:
            return await self._run(options, channels, loop)
        finally:
            self._remove_signal_handler(loop)

    async def _run(self, options: RunOptions, channels: list[str],
                   loop: asyncio.AbstractEventLoop) -> dict[str, Any]:
        shoppers = self._shoppers
        if shoppers is None:
            shoppers = await asyncio.to_thread(load_shoppers, self.settings.database_url,
                                               limit=options.shoppers)
        products = self._products
        if products is None:
            products = await asyncio.to_thread(load_products, self.settings.database_url)
        if not shoppers:
            raise SetupError(f"no shoppers in {self.settings.database_url} (seed the demo "
                             "shop: flask --app web_app demo seed)")
        pool = ShopperPool(shoppers, self.rng, languages=options.languages)
        usable = [c for c in channels if pool.eligible(c)]
        if not usable:
            raise SetupError(f"no shopper can use {', '.join(channels)} (web needs a "
                             "password, WhatsApp a phone)")
        box = ReplyBox(loop)
        self._start_observers(box, usable)
        email_replies = options.email_replies
        if email_replies == "auto":
            email_replies = "smtp" if self.smtp is not None else "outbox"
        engine = make_engine(self.settings.database_url)
        outbox = OutboxPoller(engine, box) if "email" in usable else None
        # Enough connections that a slow desk is measured, not the simulator's own queue.
        limits = httpx.Limits(max_connections=max(1000, (options.count or 0) + 10),
                              max_keepalive_connections=100)
        http = httpx.AsyncClient(limits=limits, timeout=options.timeout)
        context = Context(settings=self.settings, run_id=self.run_id, http=http, box=box,
                          timeout=options.timeout, whatsapp_provider=options.whatsapp_provider,
                          email_replies=email_replies, outbox=outbox)
        started_at = datetime.now(UTC)
        self.stats.started = time.monotonic()
        progress = Progress(self.stats, self.console, live=options.live,
                            title=f"run {self.run_id} · {options.scenario} · "
                                  f"{'+'.join(usable)}")
        progress.start()
        try:
            if self.stopping:
                pass  # stopped while setting up: an empty report
            elif options.count is not None and options.rate is None:
                await self._all_at_once(context, pool, usable, shoppers, products)
            else:
                await self._at_a_rate(context, pool, usable, shoppers, products)
        finally:
            await progress.stop()
            if outbox is not None:
                await outbox.stop()
            await http.aclose()
            self.stop_observers()
        self.stats.interrupt()
        finished = time.monotonic()
        database = await asyncio.to_thread(self._from_database, engine)
        engine.dispose()
        run = {"id": self.run_id, "scenario": options.scenario, "channel": options.channel,
               "channels": usable, "languages": list(options.languages),
               "target": self.settings.target, "started_at": started_at.isoformat(),
               "duration_s": round(finished - self.stats.started, 3),
               "speedup": options.speedup, "seed": options.seed, "count": options.count,
               "rate_per_min": options.rate, "planned_duration_s": options.duration,
               "interrupted": self.interrupted, "shoppers_available": len(pool.shoppers),
               "shoppers_shared": pool.shared, "unexpected_replies": box.unexpected,
               "email_replies": email_replies if "email" in usable else None,
               "tag": {"header": "X-Desk-Simulation", "value": self.run_id,
                       "message_id_prefix": f"sim-{self.run_id}-"}}
        self.report = build_report(self.stats.exchanges, run=run, database=database)
        print_report(self.report, self.console)
        if options.json_path:
            write_json(self.report, options.json_path)
        if options.csv_path:
            write_csv(self.stats.exchanges, options.csv_path)
        return self.report

    def stop_observers(self) -> None:
        """Stop the fake APIs and the SMTP sink this run started."""
        if self.fakes is not None:
            self.fakes.stop()
            self.fakes = None
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None

    async def _all_at_once(self, context: Context, pool: ShopperPool, channels: list[str],
                           shoppers: list[Shopper], products: list[str]) -> None:
        """Open every shopper's session, then let them all write at the same instant."""
        go = asyncio.Event()
        gate = asyncio.Semaphore(max(1, self.options.prepare_concurrency))
        for index in range(self.options.count or 1):
            self._spawn(self._shopper(context, pool, channels[index % len(channels)],
                                      shoppers, products, go=go, gate=gate))
        await self._ready(self.options.count or 1)
        go.set()
        await self._finish()

    async def _at_a_rate(self, context: Context, pool: ShopperPool, channels: list[str],
                         shoppers: list[Shopper], products: list[str]) -> None:
        """Start new shoppers at the scenario's rate until its duration is over."""
        options = self.options
        interval = 60.0 / max(options.rate or 1.0, 0.001) / options.speedup
        if options.duration is not None:
            self.deadline = time.monotonic() + options.duration / options.speedup
        # The schedule, not the clock, says how many come: a busy machine makes them late,
        # never fewer (quick: 25 shoppers, whatever the speed-up).
        planned = options.count
        if options.duration is not None:
            arrivals = max(1, round(options.duration * (options.rate or 1.0) / 60))
            planned = arrivals if planned is None else min(planned, arrivals)
        index = 0
        next_at = time.monotonic()
        while not self.stopping:
            if planned is not None and index >= planned:
                break
            self._spawn(self._shopper(context, pool, channels[index % len(channels)],
                                      shoppers, products))
            index += 1
            next_at += interval
            await self._sleep_until(next_at)
        await self._finish()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _ready(self, expected: int) -> None:
        while self.prepared < expected and not self.stopping and self.tasks:
            await asyncio.sleep(0.02)

    async def _finish(self) -> None:
        while self.tasks:
            await asyncio.wait(set(self.tasks))

    async def _sleep_until(self, moment: float) -> None:
        while not self.stopping and (delay := moment - time.monotonic()) > 0:
            await asyncio.sleep(min(delay, 0.25))

    # --- one shopper ------------------------------------------------------------------------

    async def _shopper(self, context: Context, pool: ShopperPool, channel: str,
                       shoppers: list[Shopper], products: list[str], *,
                       go: asyncio.Event | None = None,
                       gate: asyncio.Semaphore | None = None) -> None:
        options = self.options
        shopper = pool.lease(channel)
        if shopper is None:  # nobody can use this channel: the run's channels said so
            self.prepared += 1
            return
        persona = draw_persona(shopper, random.Random(self.rng.random()),
                               languages=options.languages, products=tuple(products),
                               max_turns=options.max_turns, intruder_rate=options.intruders,
                               strangers=tuple(shoppers))
        session = session_for(channel, context, shopper)
        message = persona.first()
        opened: ChannelError | None = None
        try:
            try:
                if gate is not None:
                    async with gate:
                        await session.open()
                else:
                    await session.open()
            except ChannelError as exc:
                opened = exc
            finally:
                self.prepared += 1
            if go is not None:
                await go.wait()
            if opened is not None:
                exchange = self._exchange(persona, session, channel, message.text, 1)
                self.stats.failed(exchange, opened.kind, opened.detail)
                return
            await self._converse(persona, session, channel, message)
        finally:
            pool.release(shopper)
            await asyncio.shield(session.close())

    async def _converse(self, persona: Persona, session: Session, channel: str,
                        message: Any) -> None:
        turn = 1
        low, high = self.options.think
        while message is not None:
            exchange = self._exchange(persona, session, channel, message.text, turn)
            exchange.intruder = message.intruder
            try:
                # One deadline for the whole exchange: httpx's timeouts are per phase.
                reply = await asyncio.wait_for(
                    session.send(Outgoing(message.text, exchange.number)),
                    self.options.timeout + 1.0)
            except TimeoutError:
                exchange.db_key = session.db_key
                self.stats.failed(exchange, "timeout", "no reply in time")
                return
            except ChannelError as exc:
                exchange.db_key = session.db_key
                self.stats.failed(exchange, exc.kind, exc.detail)
                return
            except Exception as exc:  # noqa: BLE001 - one shopper's bug must not end the run
                exchange.db_key = session.db_key
                log.debug("exchange failed", exc_info=True)
                self.stats.failed(exchange, "client_error", f"{type(exc).__name__}: {exc}")
                return
            exchange.db_key = session.db_key
            exchange.provider = session.provider
            self.stats.answered(exchange, at=reply.at)
            exchange.reply = reply.text
            exchange.intent, exchange.desk_category = reply.intent, reply.category
            exchange.reply_language, exchange.handoff = reply.language, reply.handoff
            exchange.ticket, exchange.actions = reply.ticket, reply.actions
            if self.stopping or self._past_deadline():
                return
            await self._sleep_until(time.monotonic() + self.rng.uniform(low, high)
                                    / self.options.speedup)
            if self.stopping or self._past_deadline():
                return
            message = persona.next(reply.text)
            turn += 1

    def _exchange(self, persona: Persona, session: Session, channel: str, text: str,
                  turn: int) -> Exchange:
        return self.stats.add(Exchange(
            number=next(self.numbers), channel=channel, shopper=persona.shopper.email,
            language=persona.language, persona=persona.kind, category=persona.category,
            turn=turn, text=text, provider=session.provider, intruder=persona.intruder))

    def _past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    # --- stopping ---------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop the run now: waiting exchanges are counted in flight, the report follows."""
        if self.stopping:
            return
        self.stopping = self.interrupted = True
        for task in list(self.tasks):
            task.cancel()

    def _install_signal_handler(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            loop.add_signal_handler(signal.SIGINT, self.stop)
            loop.add_signal_handler(signal.SIGTERM, self.stop)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (a test drives the run): stop() is called directly

    def _remove_signal_handler(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            loop.remove_signal_handler(signal.SIGINT)
            loop.remove_signal_handler(signal.SIGTERM)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    # --- what the database received ---------------------------------------------------------

    def _from_database(self, engine: Any) -> dict[str, Any] | None:
        keys = {e.db_key: e for e in self.stats.exchanges if e.db_key is not None}
        if not keys:
            return None
        try:
            found = stored_replies(engine, list(keys))
        except Exception as exc:  # noqa: BLE001 - the report comes out anyway
            return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        for key, record in found.items():
            exchange = keys[key]
            outcome = record.get("outcome") or {}
            if exchange.status == ANSWERED and exchange.intent is None and outcome:
                ticket = outcome.get("ticket") or {}
                exchange.intent = outcome.get("intent")
                exchange.desk_category = outcome.get("category")
                exchange.reply_language = outcome.get("language")
                exchange.handoff = bool(outcome.get("handoff"))
                exchange.ticket = ticket.get("reference") if isinstance(ticket, dict) else None
                exchange.actions = list(outcome.get("actions") or [])
        return {"checked": len(keys), "received": len(found),
                "replied": sum(r["reply"] is not None for r in found.values())}
