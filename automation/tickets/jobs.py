"""The SLA check runs every minute in the worker."""

from __future__ import annotations

from automation.runtime import jobs
from automation.tickets import sla


@jobs.job()
def check_sla() -> None:
    """Record `sla.breached` for tickets that just went past their due time."""
    sla.check()


sla_every_minute = jobs.every_minute(check_sla, name="sla_every_minute")
