"""Shapes of the JSON bodies the shopper-facing API accepts, with their validation rules."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from babel.numbers import get_currency_precision, is_currency
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr,
                      ValidationError, model_validator)

from automation.runtime.errors import DeskError, validation_error
from database.base import MAX_AMOUNT
from database.models.choices import ORDER_STATUSES

Language = Literal["fr", "en", "pt", "es"]
MAX_STOCK = 1_000_000_000
FIRST_YEAR, LAST_YEAR = 1970, 2100
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
    try:
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError(f"a time between {FIRST_YEAR} and {LAST_YEAR}") from None
    return _in_range(value)


def _in_range(value: Any) -> Any:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"a date between {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _money(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("not a finite amount")
    if value < 0:
        raise ValueError("must not be negative")
    if value > MAX_AMOUNT:
        raise ValueError(f"at most {MAX_AMOUNT}")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("at most two decimals")
    return value


def _currency(code: str) -> str:
    if not is_currency(code):
        raise ValueError("not an ISO 4217 currency code")
    return code


def check_decimals(amounts: dict[str, Decimal], currency: str) -> None:
    """Refuse amounts with more decimals than the currency has (JPY 0, EUR 2…)."""
    digits = get_currency_precision(currency)
    for name, amount in amounts.items():
        if -amount.as_tuple().exponent > digits:  # type: ignore[operator]
            raise ValueError(f"{name}: {currency} amounts have {digits} decimals at most")


Email = Annotated[StrictStr, AfterValidator(normalise_email)]
Phone = Annotated[StrictStr, AfterValidator(_phone)]
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]
Money = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(_money)]
Currency = Annotated[StrictStr, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_currency)]
Day = Annotated[date, AfterValidator(_in_range)]


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
    phone: Phone | None = None           # null removes the phone
    language: Language = "en"            # may be left out, never null


class ProductUpsert(Body):
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    price: Money
    currency: Currency
    stock: Annotated[StrictInt, Field(ge=0, le=MAX_STOCK)]
    category: Annotated[StrictStr, Field(max_length=80)] = ""
    description: Annotated[StrictStr, Field(max_length=5000)] = ""
    attributes: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _decimals(self) -> ProductUpsert:
        check_decimals({"price": self.price}, self.currency)
        return self


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
    estimated_delivery: Day | None = None
    shipping_address: Address | None = None

    @model_validator(mode="after")
    def _decimals(self) -> OrderUpsert:
        check_decimals({"total": self.total, **{f"items.{n}.unit_price": item.unit_price
                                                 for n, item in enumerate(self.items)}},
                       self.currency)
        return self


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
            problem = problem.removeprefix("Value error, ")
            if name == "body" and re.match(r"^[\w.]+: ", problem):
                name, problem = problem.split(": ", 1)  # a check across fields names its field
            fields.setdefault(name, problem)
        raise validation_error(fields) from None
