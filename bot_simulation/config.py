"""The simulator's settings: its flags, the desk's secrets from the environment or `.env`.

The simulator is a client of the desk: it needs the same secrets the desk checks (webhook
signatures, the email secret) and may read the same database to pick real shoppers.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGET = "http://127.0.0.1:5000"
DEFAULT_FAKE_PORT = 5098   # the fake Graph API and Twilio REST endpoint
DEFAULT_SMTP_PORT = 5025   # the SMTP sink, when asked for
SIMULATION_HEADER = "X-Desk-Simulation"
CHANNELS = ("api", "web", "whatsapp", "email")


def default_database_url() -> str:
    """Return the desk's own default: SQLite in `data/` at the repository root."""
    return f"sqlite:///{ROOT / 'data' / 'support.db'}"


def read_dotenv(path: Path) -> dict[str, str]:
    """Return the `KEY=value` lines of a `.env` file (comments and blanks skipped)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def new_run_id() -> str:
    """Return a short random id that tags every request of one run."""
    return secrets.token_hex(4)


@dataclass
class Settings:
    """Where the desk is and the secrets that make its webhooks accept the simulator."""

    target: str = DEFAULT_TARGET
    api_key: str | None = None
    database_url: str = field(default_factory=default_database_url)
    password: str | None = None            # the demo shoppers' password (web chat)
    public_base_url: str | None = None     # what the desk signs Twilio URLs against
    twilio_auth_token: str | None = None
    twilio_account_sid: str = "AC" + "0" * 32
    twilio_number: str = "whatsapp:+14155238886"
    whatsapp_app_secret: str | None = None
    whatsapp_phone_number_id: str = "106540352242922"
    email_webhook_secret: str | None = None
    support_email: str = "support@localhost"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *,
                 dotenv: Path | None = ROOT / ".env") -> Settings:
        """Read the settings from `.env`, overridden by the environment."""
        values = read_dotenv(dotenv) if dotenv is not None else {}
        values.update({k: v for k, v in (os.environ if env is None else env).items() if v})
        get = values.get
        settings = cls(
            target=get("DESK_URL") or DEFAULT_TARGET,
            api_key=get("DESK_API_KEY"),
            database_url=get("DATABASE_URL") or default_database_url(),
            password=get("SIM_SHOPPER_PASSWORD"),
            public_base_url=get("PUBLIC_BASE_URL"),
            twilio_auth_token=get("TWILIO_AUTH_TOKEN"),
            whatsapp_app_secret=get("WHATSAPP_APP_SECRET"),
            email_webhook_secret=get("EMAIL_WEBHOOK_SECRET"),
        )
        if get("TWILIO_ACCOUNT_SID"):
            settings.twilio_account_sid = get("TWILIO_ACCOUNT_SID")
        if get("TWILIO_WHATSAPP_NUMBER"):
            settings.twilio_number = get("TWILIO_WHATSAPP_NUMBER")
        if get("WHATSAPP_PHONE_NUMBER_ID"):
            settings.whatsapp_phone_number_id = get("WHATSAPP_PHONE_NUMBER_ID")
        if get("SUPPORT_EMAIL"):
            settings.support_email = get("SUPPORT_EMAIL")
        return settings

    @property
    def webhook_base(self) -> str:
        """Return the origin the desk believes it is reached at (for Twilio's signature)."""
        return (self.public_base_url or self.target).rstrip("/")

    def channels_ready(self) -> dict[str, str | None]:
        """Return each channel with why it cannot run (None: ready)."""
        return {
            "api": None if self.api_key else "no API key (--api-key or DESK_API_KEY)",
            "web": None if self.password else "no shopper password (--password or "
                                              "SIM_SHOPPER_PASSWORD; demo: demo-shop-2026)",
            "whatsapp": None if (self.whatsapp_app_secret or self.twilio_auth_token) else
            "set WHATSAPP_APP_SECRET (Meta) or TWILIO_AUTH_TOKEN (Twilio) as the desk has them",
            "email": None if self.email_webhook_secret else "set EMAIL_WEBHOOK_SECRET as the "
                                                            "desk has it",
        }


def sqlalchemy_url(database_url: str) -> str:
    """Return the URL with the driver the desk uses (psycopg 3 for PostgreSQL)."""
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix):]
    return database_url
