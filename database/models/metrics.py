"""Hourly counters the dashboard reads instead of scanning millions of rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from database.base import db


class MetricHour(db.Model):
    """One hour's count and total of one figure for one key (inbound web messages, the AI
    replies that took 1,200 ms…), rolled up from the messages and events of that hour."""

    __tablename__ = "metric_hours"
    # The chart's messages per hour: two figures over every hour of the range.
    __table_args__ = (Index("ix_metric_hours_metric_hour", "metric", "hour"),)

    hour: Mapped[datetime] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[float] = mapped_column(default=0.0)  # a sum: milliseconds, tokens, dollars


class MetricDay(db.Model):
    """One UTC day's sums of the hourly counters, once all 24 hours of it are stored: a
    month of figures is thirty rows per figure instead of seven hundred and twenty."""

    __tablename__ = "metric_days"

    day: Mapped[datetime] = mapped_column(primary_key=True)  # midnight UTC
    metric: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[float] = mapped_column(default=0.0)
