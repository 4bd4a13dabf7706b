"""The desk's settings, read from the environment by the app factories and the CLIs only.

Everything below the apps receives its settings as arguments; this module is the one place
that knows the names of the environment variables.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSION = "0.1.0"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw is not None else default


def _proxies(raw: str) -> int:
    raw = raw.strip().lower()
    if raw in ("true", "yes", "on"):
        return 1
    return int(raw) if raw.isdigit() else 0


def default_database_url() -> str:
    """Return the embedded default: SQLite in `data/` at the repository root."""
    return f"sqlite:///{ROOT / 'data' / 'support.db'}"


class Config:
    """Settings from the environment; every one is optional (see README and .env.example)."""

    def __init__(self) -> None:
        self.SECRET_KEY = _env("SECRET_KEY", "dev-only-change-me")
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", default_database_url())
        self.REDIS_URL = _env("REDIS_URL")
        self.SHOP_NAME = _env("SHOP_NAME", "Demo Shop")
        self.PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL")
        self.RETURN_WINDOW_DAYS = _int("RETURN_WINDOW_DAYS", 30)
        self.ANTHROPIC_API_KEY = _env("ANTHROPIC_API_KEY")
        self.ANTHROPIC_MODEL = _env("ANTHROPIC_MODEL", "claude-sonnet-5-5")
        self.ANTHROPIC_MAX_TOKENS = _int("ANTHROPIC_MAX_TOKENS", 3000)
        self.ANTHROPIC_TIMEOUT_S = float(_env("ANTHROPIC_TIMEOUT_S", "20"))
        self.ANTHROPIC_MAX_RETRIES = _int("ANTHROPIC_MAX_RETRIES", 1)
        self.ANTHROPIC_THINKING = _env("ANTHROPIC_THINKING", "off")
        self.ANTHROPIC_THINKING_BUDGET = _int("ANTHROPIC_THINKING_BUDGET", 1024)
        self.ANTHROPIC_HISTORY_TOKENS = _int("ANTHROPIC_HISTORY_TOKENS", 4000)
        self.ANTHROPIC_MAX_ITERATIONS = _int("ANTHROPIC_MAX_ITERATIONS", 6)
        self.ANTHROPIC_BREAKER_FAILURES = _int("ANTHROPIC_BREAKER_FAILURES", 3)
        self.ANTHROPIC_BREAKER_COOLDOWN_S = float(_env("ANTHROPIC_BREAKER_COOLDOWN_S", "60"))
        self.ANTHROPIC_BASE_URL = _env("ANTHROPIC_BASE_URL")
        self.TWILIO_ACCOUNT_SID = _env("TWILIO_ACCOUNT_SID")
        self.TWILIO_AUTH_TOKEN = _env("TWILIO_AUTH_TOKEN")
        self.TWILIO_API_URL = _env("TWILIO_API_URL")
        self.TWILIO_WHATSAPP_NUMBER = _env("TWILIO_WHATSAPP_NUMBER")
        self.TWILIO_REPLY_MODE = _env("TWILIO_REPLY_MODE")  # twiml | rest; unset: rest with Claude
        # How many reverse proxies stand in front (their X-Forwarded-* are trusted): 0 = none.
        self.TRUST_PROXY_HEADERS = _proxies(_env("TRUST_PROXY_HEADERS", "0") or "0")
        self.WHATSAPP_RATE_LIMIT = _env("WHATSAPP_RATE_LIMIT", "30/minute")
        self.WHATSAPP_VERIFY_TOKEN = _env("WHATSAPP_VERIFY_TOKEN")
        self.WHATSAPP_APP_SECRET = _env("WHATSAPP_APP_SECRET")
        self.WHATSAPP_ACCESS_TOKEN = _env("WHATSAPP_ACCESS_TOKEN")
        self.WHATSAPP_PHONE_NUMBER_ID = _env("WHATSAPP_PHONE_NUMBER_ID")
        self.WHATSAPP_GRAPH_URL = _env("WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v24.0")
        self.SMTP_URL = _env("SMTP_URL")
        self.EMAIL_WEBHOOK_SECRET = _env("EMAIL_WEBHOOK_SECRET")
        self.SUPPORT_EMAIL = _env("SUPPORT_EMAIL")  # unset: support@<PUBLIC_BASE_URL's host>
        self.SMTP_TIMEOUT_S = float(_env("SMTP_TIMEOUT_S", "10"))
        self.EMAIL_RATE_LIMIT = _env("EMAIL_RATE_LIMIT", "20 per hour")  # per sender address
        self.NOTION_TOKEN = _env("NOTION_TOKEN")
        self.NOTION_DATABASE_ID = _env("NOTION_DATABASE_ID")
        self.NOTION_BASE_URL = _env("NOTION_BASE_URL")
        self.NOTION_PARENT_PAGE_ID = _env("NOTION_PARENT_PAGE_ID")
        self.NOTION_POLL_S = _int("NOTION_POLL_S", 60)
        self.NOTION_RATE_PER_S = float(_env("NOTION_RATE_PER_S", "3"))
        self.NOTION_TIMEOUT_S = float(_env("NOTION_TIMEOUT_S", "20"))
        self.WEBHOOK_RETRY_BASE_S = float(_env("WEBHOOK_RETRY_BASE_S", "30"))
        self.WEBHOOK_TIMEOUT_S = float(_env("WEBHOOK_TIMEOUT_S", "10"))
        # Where staff open the admin app: links in Notion pages and webhook payloads.
        self.ADMIN_BASE_URL = _env("ADMIN_BASE_URL", "http://{}:{}".format(
            _env("HOST", "127.0.0.1"), _env("ADMIN_PORT", "5001")))
        for priority, hours in (("URGENT", 4), ("HIGH", 24), ("NORMAL", 72), ("LOW", 168)):
            setattr(self, f"SLA_HOURS_{priority}", _int(f"SLA_HOURS_{priority}", hours))
        # The staff side's defaults (admins change them in the settings store).
        for name in ("ROUTING_STRATEGY", "OPENING_HOURS", "RECONNECT_GRACE_S",
                     "ESCALATION_MINUTES", "VIP_SPEND", "WHATSAPP_TEMPLATE_NAME",
                     "WHATSAPP_TEMPLATE_LANGUAGE", "TWILIO_TEMPLATE_SID"):
            setattr(self, name, _env(name))
        # The defaults of the settings admins change on /settings (automation.runtime
        # .shop_settings): unset here, the store's own default applies.
        for name in ("HANDOFF_CONFIDENCE", "CLAUDE_ENABLED", "API_RATE_LIMIT", "RETENTION_DAYS",
                     "ARCHIVE_DAYS"):
            setattr(self, name, _env(name))
        self.MAX_CONTENT_LENGTH = 64 * 1024
        # Off only for load tests from one address; every limit applies when it is on.
        self.RATELIMIT_ENABLED = (_env("RATELIMIT_ENABLED", "true") or "").lower() != "false"
        # Web chat: messages per shopper (POST and socket together); a gthread web worker
        # holds one socket per thread, so the chat keeps a few threads free for pages.
        self.CHAT_RATE_LIMIT = _env("CHAT_RATE_LIMIT", "30 per minute")
        self.WEB_THREADS = _int("WEB_THREADS", 100)
        # The staff app: each open workspace holds a thread of its gthread worker.
        self.ADMIN_THREADS = _int("ADMIN_THREADS", 32)
        self.LIVE_CHANNEL = _env("LIVE_CHANNEL", "desk:live")  # Redis pub/sub wake-ups
        self.SOCK_SERVER_OPTIONS = {"ping_interval": 25, "max_message_size": 64 * 1024}
        self.JOBS_DB_PATH = _env("JOBS_DB_PATH", str(ROOT / "data" / "jobs.db"))
        # Rate-limit counters all processes share: Redis at scale, else a SQLite file.
        self.LIMITS_DB_PATH = _env("LIMITS_DB_PATH", str(ROOT / "data" / "limits.db"))
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or f"desk+sqlite:///{self.LIMITS_DB_PATH}"
        self.JOBS_IMMEDIATE = False
        # WARNING+ log lines of every process become events, for the live log console.
        self.LOG_EVENTS = (_env("LOG_EVENTS", "true") or "").lower() != "false"
        # Load models and indexes at start-up, so no shopper waits for them (off in tests).
        self.WARM_UP = (_env("WARM_UP", "true") or "").lower() != "false"
        self.WTF_CSRF_ENABLED = True
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = (self.PUBLIC_BASE_URL or "").startswith("https://")

    def __iter__(self):
        return iter(vars(self).items())


class TestConfig(Config):
    """Settings for the test suite: a given database, background jobs run inline."""

    def __init__(self, database_url: str = "sqlite://", **overrides: object) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret"
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.JOBS_IMMEDIATE = True
        self.WARM_UP = False
        self.LOG_EVENTS = False  # the suite's own warnings would land in its tests' tables
        self.RATELIMIT_STORAGE_URI = "memory://"  # each test starts from zero
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_ENABLED = False
        # The test suite never reaches an outside service unless a test points it at a fake.
        for name in ("REDIS_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "TWILIO_ACCOUNT_SID",
                     "TWILIO_AUTH_TOKEN", "TWILIO_API_URL", "WHATSAPP_APP_SECRET",
                     "TWILIO_WHATSAPP_NUMBER", "TWILIO_REPLY_MODE", "TRUST_PROXY_HEADERS",
                     "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID",
                     "SMTP_URL", "EMAIL_WEBHOOK_SECRET", "NOTION_TOKEN", "NOTION_DATABASE_ID",
                     "NOTION_BASE_URL", "NOTION_PARENT_PAGE_ID", "PUBLIC_BASE_URL",
                     "ROUTING_STRATEGY", "OPENING_HOURS", "RECONNECT_GRACE_S",
                     "ESCALATION_MINUTES", "VIP_SPEND", "WHATSAPP_TEMPLATE_NAME",
                     "WHATSAPP_TEMPLATE_LANGUAGE",                     "TWILIO_TEMPLATE_SID"):
            setattr(self, name, None)
        for name, value in overrides.items():
            setattr(self, name, value)
