"""The live progress line: sent, answered, in flight, errors, rate, p50/p95 so far."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from bot_simulation.stats import Stats


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} ms"


def render(stats: Stats, title: str) -> Table:
    """Return the progress table of the run so far."""
    live = stats.live()
    table = Table(title=title, title_justify="left", expand=False)
    for column in ("elapsed", "sent", "answered", "in flight", "errors", "answers/s",
                   "p50", "p95"):
        table.add_column(column, justify="right")
    table.add_row(f"{live['elapsed']:.1f} s", str(live["sent"]), str(live["answered"]),
                  str(live["in_flight"]), f"[red]{live['errors']}[/red]" if live["errors"]
                  else "0", f"{live['rate']:.1f}", _ms(live["p50"]), _ms(live["p95"]))
    return table


class Progress:
    """Show the run's progress live on a terminal; a line every few seconds otherwise."""

    def __init__(self, stats: Stats, console: Console, *, title: str,
                 live: bool | None = None) -> None:
        self.stats, self.console, self.title = stats, console, title
        self.live = console.is_terminal if live is None else live
        self._display: Live | None = None
        self._task: asyncio.Task[Any] | None = None

    def start(self) -> None:
        if self.live:
            self._display = Live(render(self.stats, self.title), console=self.console,
                                 refresh_per_second=4, transient=False)
            self._display.start()
        self._task = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        ticks = 0
        while True:
            await asyncio.sleep(0.25)
            ticks += 1
            if self._display is not None:
                self._display.update(render(self.stats, self.title))
            elif ticks % 20 == 0:  # every 5 s when nobody watches a terminal
                live = self.stats.live()
                self.console.print(
                    f"{live['elapsed']:.0f}s sent {live['sent']} answered {live['answered']} "
                    f"in flight {live['in_flight']} errors {live['errors']} "
                    f"p50 {_ms(live['p50'])} p95 {_ms(live['p95'])}", highlight=False)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        if self._display is not None:
            self._display.update(render(self.stats, self.title))
            self._display.stop()
