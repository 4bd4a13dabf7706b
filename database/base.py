"""The SQLAlchemy extension and the portable column types every model uses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData, Numeric
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that Alembic migrations look the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, so values are normalised to UTC on the way in and tagged UTC on the
    way out; PostgreSQL stores `timestamptz`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware UTC value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # what NUMERIC(12, 2) holds


class Money(TypeDecorator):
    """An exact amount with two decimals: NUMERIC(12, 2) on PostgreSQL, integer cents on SQLite.

    SQLite keeps NUMERIC values as binary floats; whole cents are stored exactly. Amounts
    past NUMERIC(12, 2) or not finite are refused before they reach the database.
    """

    impl = Numeric(12, 2)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
        if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
            raise ValueError(f"not an amount the desk stores: {value!r}")
        amount = amount.quantize(CENT)
        return int(amount * 100) if dialect.name == "sqlite" else amount

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(CENT)
        return Decimal(value).quantize(CENT)


# JSON that is JSONB on PostgreSQL (indexable, compact) and JSON text on SQLite.
PortableJSON = JSON().with_variant(JSONB(), "postgresql")
# 64-bit ids on PostgreSQL; SQLite only autoincrements an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base with the naming convention and the portable type map."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: PortableJSON,
                             list[Any]: PortableJSON},
    )


db = SQLAlchemy(model_class=Base)
