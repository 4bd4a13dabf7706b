"""A small shop for engine tests: three shoppers (fr, en, pt), their orders, a few articles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from collections.abc import Iterator
from decimal import Decimal

import pytest

from automation.agents import EngineSettings
from automation.agents.local import LocalAgent
from automation.conversations.engine import Engine
from automation.conversations.turns import Inbound
from database import db
from database.models import KnowledgeArticle
from tests import factories
from tests.fakes.anthropic_api import FakeAnthropic

NOW = datetime.now(UTC)
SHOPPERS = {"fr": ("Camille", "Dubois", "+33612345678"), "en": ("Emma", "Brown", "+447700900123"),
            "pt": ("João", "Silva", "+351912345678")}
ARTICLES = {
    "shipping_times": {
        "fr": ("Quels sont les délais de livraison ?", "La livraison standard prend 2 à 4 jours "
               "ouvrés en France métropolitaine, 4 à 6 jours vers le Portugal.",
               ["délai", "livraison", "combien de temps"]),
        "en": ("How long does delivery take?", "Standard delivery takes 2 to 4 working days in "
               "mainland France and 4 to 6 days to the UK and Portugal.",
               ["delivery time", "how long", "shipping"]),
        "pt": ("Quanto tempo demora a entrega?", "A entrega normal demora 4 a 6 dias úteis "
               "para Portugal e 2 a 4 dias em França.", ["prazo", "entrega", "quanto tempo"]),
    },
    "payment_methods": {
        "fr": ("Quels moyens de paiement acceptez-vous ?", "Nous acceptons la carte bancaire, "
               "PayPal et Apple Pay.", ["paiement", "carte", "paypal"]),
        "en": ("Which payment methods do you accept?", "We accept cards, PayPal and Apple Pay.",
               ["payment", "card", "paypal"]),
        "pt": ("Que métodos de pagamento aceitam?", "Aceitamos cartão, PayPal, MB Way e "
               "Multibanco.", ["pagamento", "cartão", "mb way", "multibanco"]),
    },
}


class Shop:
    """The shoppers and orders of the engine tests, by language."""

    def __init__(self) -> None:
        self.shoppers = {}
        self.orders: dict[str, dict[str, str]] = {}
        for index, (language, (first, last, phone)) in enumerate(SHOPPERS.items()):
            shopper = factories.customer(first_name=first, last_name=last, phone=phone,
                                         language=language,
                                         email=f"{first.lower()}.{language}@example.com")
            self.shoppers[language] = shopper
            base = 10000 + index * 100
            numbers = {}
            for offset, (kind, fields) in enumerate({
                "pending": {"status": "paid", "placed_at": NOW - timedelta(hours=3)},
                "shipped": {"status": "shipped", "carrier": "Colissimo",
                            "tracking_number": f"6A{base}99887766",
                            "placed_at": NOW - timedelta(days=3),
                            "shipped_at": NOW - timedelta(days=2),
                            "estimated_delivery": date.today() + timedelta(days=1)},
                "recent": {"status": "delivered", "carrier": "DHL",
                           "tracking_number": f"JD{base}0001",
                           "placed_at": NOW - timedelta(days=9),
                           "shipped_at": NOW - timedelta(days=8),
                           "delivered_at": NOW - timedelta(days=6)},
                "old": {"status": "delivered", "carrier": "DHL",
                        "tracking_number": f"JD{base}0002",
                        "placed_at": NOW - timedelta(days=70),
                        "shipped_at": NOW - timedelta(days=68),
                        "delivered_at": NOW - timedelta(days=65)},
            }.items()):
                number = f"CMD-{base + offset + 1}"
                factories.order(shopper, number=number, total=Decimal("59.80"), **fields)
                numbers[kind] = number
            self.orders[language] = numbers
        stranger = factories.customer(first_name="Zoé", last_name="Martin",
                                      email="zoe@example.com")
        self.stranger_order = "CMD-20001"
        factories.order(stranger, number=self.stranger_order, status="shipped",
                        carrier="Chronopost", tracking_number="XY123456789FR",
                        shipping_address={"line1": "1 rue Secrète", "postcode": "13001",
                                          "city": "Marseille", "country": "FR"})
        for topic, translations in ARTICLES.items():
            for language, (title, answer, keywords) in translations.items():
                db.session.add(KnowledgeArticle(topic=topic, title=title, answer=answer,
                                                category="shipping" if "ship" in topic
                                                else "payment", language=language,
                                                keywords=keywords))
        db.session.commit()


@pytest.fixture
def shop(app) -> Shop:
    from automation.orders import catalogue
    from automation.knowledge.search import knowledge_base

    knowledge_base.invalidate()
    catalogue.forget()
    return Shop()


@pytest.fixture
def engine(app) -> Engine:
    return Engine(agent=LocalAgent(), settings=EngineSettings(return_window_days=30))


class Chat:
    """A conversation with the engine, as one shopper on one channel."""

    def __init__(self, engine: Engine, customer_id: int, channel: str = "api") -> None:
        self.engine, self.customer_id, self.channel = engine, customer_id, channel
        self.count = 0

    def say(self, text: str, **kwargs):
        self.count += 1
        return self.engine.handle(Inbound(channel=self.channel, customer_id=self.customer_id,
                                          text=text, **kwargs))


@pytest.fixture
def chat(engine, shop):
    def start(language: str, channel: str = "api") -> Chat:
        return Chat(engine, shop.shoppers[language].id, channel)

    return start


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeAnthropic]:
    """A local fake of the Anthropic Messages API, for the whole session."""
    with FakeAnthropic() as server:
        yield server


@pytest.fixture
def fake(fake_server: FakeAnthropic) -> FakeAnthropic:
    """The fake Messages API with an empty script and no recorded requests."""
    return fake_server.reset()
