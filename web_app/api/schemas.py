"""Shapes of the JSON bodies the shopper-facing API accepts, with their validation rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr,
                      ValidationError)

from automation.runtime.errors import DeskError, validation_error
from database.models.choices import ORDER_STATUSES

Language = Literal["fr", "en", "pt", "es"]
Name = Annotated[StrictStr, Field(min_length=1, max_length=80)]


def normalise_email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValueError("not a valid address") from None


def _phone(value: str) -> str:
    # "Possible" (the right length for its country), not "valid": libphonenumber's metadata
    # lags newly assigned ranges, and one such number must not stop a shopper's sync.
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number in international form (+33…)") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError("not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)



def _utc(value: datetime) -> datetime:
    # A timestamp without a zone is taken as UTC, as the shop platforms we know send them.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _money(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("must not be negative")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("at most two decimals")
    return value


Email = Annotated[StrictStr, AfterValidator(normalise_email)]
Phone = Annotated[StrictStr, AfterValidator(_phone)]
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]
Money = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(_money)]
Currency = Annotated[StrictStr, Field(pattern=r"^[A-Z]{3}$")]


class Body(BaseModel):
    """A request body: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Registration(Body):
    first_name: Name
    last_name: Name
    email: Email
    password: Annotated[StrictStr, Field(min_length=8, max_length=128)]
    language: Language = "en"
    phone: Phone | None = None


class CustomerUpsert(Body):
    first_name: Name
    last_name: Name
    phone: Phone | None = None
    language: Language | None = None


class ProductUpsert(Body):
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    price: Money
    currency: Currency
    stock: Annotated[StrictInt, Field(ge=0)]
    category: Annotated[StrictStr, Field(max_length=80)] | None = None
    description: Annotated[StrictStr, Field(max_length=5000)] | None = None
    attributes: dict[str, Any] | None = None


class OrderItem(Body):
    sku: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    quantity: Annotated[StrictInt, Field(ge=1, le=10_000)]
    unit_price: Money


class Address(Body):
    name: Annotated[StrictStr, Field(max_length=120)] | None = None
    line1: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    line2: Annotated[StrictStr, Field(max_length=200)] | None = None
    postcode: Annotated[StrictStr, Field(max_length=20)]
    city: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    country: Annotated[StrictStr, Field(min_length=2, max_length=2)]


class OrderUpsert(Body):
    customer_email: Email
    status: Literal[ORDER_STATUSES]  # type: ignore[valid-type]
    items: Annotated[list[OrderItem], Field(min_length=1, max_length=200)]
    total: Money
    currency: Currency
    carrier: Annotated[StrictStr, Field(max_length=60)] | None = None
    tracking_number: Annotated[StrictStr, Field(max_length=80)] | None = None
    placed_at: UtcDateTime
    shipped_at: UtcDateTime | None = None
    delivered_at: UtcDateTime | None = None
    estimated_delivery: date | None = None
    shipping_address: Address | None = None


def parse(schema: type[Body], data: Any) -> Any:
    """Validate `data` against `schema`; raise a DeskError naming every bad field."""
    if not isinstance(data, dict):
        raise DeskError("validation_error", "body: expected a JSON object",
                        fields={"body": "expected a JSON object"})
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        fields: dict[str, str] = {}
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "body"
            problem = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
            fields.setdefault(name, problem.removeprefix("Value error, "))
        raise validation_error(fields) from None
