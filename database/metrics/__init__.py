"""Aggregates for the dashboard: headline counts, and figures over a range of time read from
hourly counters (`rollup`) and, for the hours not rolled up, from the rows (`hourly`)."""

from database.metrics.headline import headline_figures
from database.metrics.ranges import range_figures

__all__ = ["headline_figures", "range_figures"]
