"""The local NLU as a shopper's message meets it: language, intent, feelings, entities, CLI."""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from automation.nlu import INTENTS, Catalogue, NluResult, analyse, load_examples, warm_up
from automation.nlu.evaluation import evaluate
from automation.nlu.model import (
    cache_path,
    intent_sample,
    language_sample,
    train_intent,
    train_language,
)

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 11, 21)
CATALOGUE = Catalogue(products=(
    ("TSH-BIO-M", "T-shirt bio coton"),
    ("SNK-NOVA", "Sneakers Nova"),
    ("HP-ARIA", "Casque Aria"),
    ("HP-ARIA-PRO", "Casque Aria Pro"),
    ("BAG-URBAN", "Sac à dos Urban 20L"),
    ("BOT-INOX", "Gourde inox 750 ml"),
))


@pytest.fixture(scope="module", autouse=True)
def models_ready() -> None:
    warm_up()


@pytest.mark.parametrize(("text", "language"), [
    ("ou est ma commande", "fr"),
    ("slt jai tjrs pas recu ma cmd", "fr"),
    ("oui", "fr"),
    ("merci beaucoup", "fr"),
    ("wheres my order", "en"),
    ("pls cancel my order asap", "en"),
    ("thx", "en"),
    ("ou esta minha encomenda", "pt"),
    ("cadê meu pedido", "pt"),
    ("vc pode me ajudar pq nao chegou", "pt"),
    ("sim", "pt"),
    ("obrigado", "pt"),
    ("dónde está mi pedido", "es"),
    ("😀😀", "und"),
    ("", "und"),
    ("48213", "und"),
    ("CMD-48213", "und"),
    (" " * 400, "und"),
    ("\n" * 350 + "bonjour, où est ma commande ?", "fr"),
])
def test_language_of_short_messages(text: str, language: str) -> None:
    assert analyse(text).language == language


def test_an_email_is_in_the_language_it_starts_in_not_the_one_it_quotes() -> None:
    reply = ("Bonjour, je n'ai toujours rien reçu pour la commande CMD-48213 passée il y a "
             "deux semaines. Le suivi indique qu'elle est partie de l'entrepôt mais rien ne bouge "
             "depuis cinq jours et le transporteur ne répond pas. Pouvez-vous me dire où elle en "
             "est et quand je peux espérer la recevoir ? Merci d'avance, Camille")
    quoted = "\n> On Monday you wrote: " + "Your order has been shipped and is on its way. " * 20
    assert analyse(reply + quoted).language == "fr"


@pytest.mark.parametrize(("history", "hint", "language"), [
    ((), "pt", "pt"),
    (("bonjour, où en est ma commande ?",), None, "fr"),
    (("hi, where is my parcel?",), "pt", "en"),
])
def test_ok_takes_the_language_of_the_conversation(history, hint, language) -> None:
    assert analyse("ok", history=history, language_hint=hint).language == language


@pytest.mark.parametrize(("text", "intent"), [
    ("bonjour, ma commande CMD-48213 n'est toujours pas arrivée, elle est où ?", "order_status"),
    ("je veux annuler ma commande svp", "cancel_order"),
    ("je me suis trompée d'adresse de livraison, vous pouvez la changer ?", "modify_order"),
    ("comment je fais pour renvoyer un article et être remboursée ?", "return_refund"),
    ("ma carte bancaire a été refusée", "payment"),
    ("je voudrais la facture de ma commande", "invoice"),
    ("j'ai oublié mon mot de passe", "account"),
    ("je veux parler à un conseiller", "human_agent"),
    ("désabonnez-moi de la newsletter", "newsletter"),
    ("merci beaucoup !", "thanks"),
    ("where is my parcel? it was supposed to arrive yesterday", "order_status"),
    ("please cancel my order", "cancel_order"),
    ("how much is shipping to Ireland?", "delivery_info"),
    ("I want to return these shoes, they don't fit", "return_refund"),
    ("can I get an invoice with my company VAT number?", "invoice"),
    ("is the Aria headset available in black?", "product_info"),
    ("this is the worst service ever, the box arrived broken", "complaint"),
    ("let me talk to a real person", "human_agent"),
    ("hi there", "greeting"),
    ("onde está a minha encomenda? já passou uma semana", "order_status"),
    ("quero cancelar o meu pedido", "cancel_order"),
    ("quanto custa o envio para os Açores?", "delivery_info"),
    ("quero devolver as sapatilhas e receber o reembolso", "return_refund"),
    ("não consigo entrar na minha conta", "account"),
    ("têm esta t-shirt no tamanho L?", "product_info"),
    ("obrigada pela ajuda", "thanks"),
    ("bom dia", "greeting"),
])
def test_intent_of_typical_asks(text: str, intent: str) -> None:
    result = analyse(text)
    assert result.intent == intent
    assert 0.0 <= result.confidence <= 1.0


@pytest.mark.parametrize(("text", "intent"), [
    ("I want to set up a second delivery address on my profile", "account"),
    ("how can I switch to my other account?", "account"),
    ("there's an error when I try to finish my registration", "account"),
    ("je n'arrive pas à finir mon inscription sur le site", "account"),
    ("comment passer de mon compte perso à mon compte pro ?", "account"),
    ("não consigo concluir o registo no site", "account"),
    ("quero guardar uma nova morada no meu perfil", "account"),
    ("can I see my bills from last year?", "invoice"),
    ("can I get a copy of my bill for last month?", "invoice"),
    ("vous pouvez m'envoyer un double de la facture ?", "invoice"),
    ("preciso de uma cópia da fatura de março", "invoice"),
    ("can I order from Japan?", "delivery_info"),
    ("how soon can I expect my parcel after buying?", "delivery_info"),
    ("quels modes d'expédition avez-vous ?", "delivery_info"),
    ("vous livrez à Tokyo ?", "delivery_info"),
    ("quais são os métodos de envio?", "delivery_info"),
    ("entregam no Japão?", "delivery_info"),
    ("where can I check the early termination fee?", "cancel_order"),
    ("y a-t-il des frais si j'annule ma commande ?", "cancel_order"),
    ("há alguma taxa se cancelar a encomenda?", "cancel_order"),
    ("I'm still waiting for my refund of 30 euros", "return_refund"),
])
def test_account_invoice_delivery_and_fee_questions(text: str, intent: str) -> None:
    assert analyse(text).intent == intent


@pytest.mark.parametrize(("text", "numbers"), [
    ("où est ma commande CMD-48213 ?", ["CMD-48213"]),
    ("ma cmd48213 svp", ["CMD-48213"]),
    ("cmd 48213", ["CMD-48213"]),
    ("commande 48213 pas reçue", ["CMD-48213"]),
    ("my order number is 48213", ["CMD-48213"]),
    ("encomenda nº 48213", ["CMD-48213"]),
    ("Order #W2378156 - any update?", ["W2378156"]),
    ("where is order 771204", ["771204"]),
    ("commandes 48213 et 48214", ["CMD-48213", "CMD-48214"]),
    ("appelez-moi au 06 12 34 56 78", []),
    ("j'ai payé 49,90 € le 12/11/2026", []),
    ("TVA intracommunautaire FR12345678901", []),
])
def test_order_numbers_are_found_and_normalised(text: str, numbers: list[str]) -> None:
    assert analyse(text).entities["order_numbers"] == numbers


@pytest.mark.parametrize(("text", "numbers"), [
    ("cancel purchase 00004587345", ["00004587345"]),
    ("please cancel order 113542617735902", ["113542617735902"]),
    ("order #1042 still not here", ["1042"]),
    ("my order 1042 hasn't arrived", ["1042"]),
    ("status of purchase 00123842?", ["00123842"]),
    ("commande n° 000123", ["000123"]),
    ("annuler la commande 00004587345 svp", ["00004587345"]),
    ("encomenda 4587345", ["4587345"]),
    ("o pedido 113542617735902 ainda não chegou", ["113542617735902"]),
])
def test_all_digit_order_numbers_are_found_in_context(text: str, numbers: list[str]) -> None:
    assert analyse(text).entities["order_numbers"] == numbers


@pytest.mark.parametrize("text", [
    "I want to order 1000 units of the blue mug",
    "je voudrais commander 2000 pièces",
    "my order of 1500 € was charged twice",
    "I placed my order on 12/03/2025",
    "I ordered in 2024 and never got it",
    "call me about my order on 07911 123456",
    "my zip code is 10001, where is my order",
    "I need invoice #85632",
    "my card 4111111111111111 was declined",
    "j'ai payé 1499 euros pour cette commande",
])
def test_quantities_amounts_dates_phones_and_invoices_are_not_order_numbers(text: str) -> None:
    assert analyse(text).entities["order_numbers"] == []


@pytest.mark.parametrize(("text", "dates"), [
    ("livré le 12/11 ?", ["2026-11-12"]),
    ("commande du 12/11/2026", ["2026-11-12"]),
    ("ordered on 2026-11-12", ["2026-11-12"]),
    ("depuis le 12 novembre", ["2026-11-12"]),
    ("since November 12", ["2026-11-12"]),
    ("desde 12 de novembro", ["2026-11-12"]),
    ("je l'ai reçu hier", ["2026-11-20"]),
    ("it came yesterday", ["2026-11-20"]),
    ("chegou ontem", ["2026-11-20"]),
    ("aujourd'hui", ["2026-11-21"]),
    ("livraison demain ?", ["2026-11-22"]),
    ("chega amanhã?", ["2026-11-22"]),
    ("commandé il y a 3 jours", ["2026-11-18"]),
    ("ordered 3 days ago", ["2026-11-18"]),
    ("encomendei há 3 dias", ["2026-11-18"]),
    ("la semaine dernière", ["2026-11-14"]),
    ("last week", ["2026-11-14"]),
    ("semana passada", ["2026-11-14"]),
    ("je vous donne 4/5", []),
])
def test_dates_resolve_against_today(text: str, dates: list[str]) -> None:
    assert analyse(text, today=TODAY).entities["dates"] == dates


@pytest.mark.parametrize(("text", "amounts"), [
    ("j'ai payé 49,90 €", [{"value": 49.9, "currency": "EUR"}]),
    ("charged €49.90", [{"value": 49.9, "currency": "EUR"}]),
    ("49.90 EUR", [{"value": 49.9, "currency": "EUR"}]),
    ("paguei R$ 120", [{"value": 120.0, "currency": "BRL"}]),
    ("it was $30", [{"value": 30.0, "currency": "USD"}]),
    ("only £12", [{"value": 12.0, "currency": "GBP"}]),
    ("1 234,56 € au total", [{"value": 1234.56, "currency": "EUR"}]),
    ("commande CMD-48213 de 3 articles", []),
])
def test_amounts_carry_their_currency(text: str, amounts: list[dict]) -> None:
    assert analyse(text).entities["amounts"] == amounts


@pytest.mark.parametrize(("text", "phones"), [
    ("rappelez-moi au 06 12 34 56 78", ["+33612345678"]),
    ("mon numéro : 0612345678", ["+33612345678"]),
    ("liguem-me para o 912 345 678", ["+351912345678"]),
    ("call me on +44 7911 123456", ["+447911123456"]),
    ("order 771204 please", []),
])
def test_phones_come_out_in_e164(text: str, phones: list[str]) -> None:
    assert analyse(text).entities["phones"] == phones


@pytest.mark.parametrize(("text", "skus"), [
    ("le casque aria est compatible iphone ?", ["HP-ARIA"]),
    ("je veux le Casque Aria Pro", ["HP-ARIA-PRO"]),
    ("vous avez les sneakres nova en 42 ?", ["SNK-NOVA"]),
    ("le sac a dos urban est impermeable ?", ["BAG-URBAN"]),
    ("TSH-BIO-M en stock ?", ["TSH-BIO-M"]),
    ("une gourde inox et un t-shirt bio", ["TSH-BIO-M", "BOT-INOX"]),
    ("où est ma commande ?", []),
])
def test_products_match_the_catalogue(text: str, skus: list[str]) -> None:
    assert analyse(text, catalogue=CATALOGUE).entities["products"] == skus


@pytest.mark.parametrize(("text", "history"), [
    ("vous êtes des incapables, bande d'idiots", ()),
    ("C'EST INADMISSIBLE, TOUJOURS PAS LIVRÉ", ()),
    ("where is my order??!! this is ridiculous", ()),
    ("péssimo atendimento, é um absurdo", ()),
    ("worst shop ever", ()),
    ("ou est ma commande 48213", ("ou est ma commande 48213 ?", "bonjour ?")),
])
def test_frustration_is_noticed(text: str, history: tuple[str, ...]) -> None:
    result = analyse(text, history=history)
    assert result.frustrated
    assert result.sentiment <= 0


@pytest.mark.parametrize("text", [
    "Bonjour, où en est ma commande CMD-48213 ?",
    "Hi, could you tell me when my parcel will arrive?",
    "MERCI BEAUCOUP !!!",
    "obrigada, adorei o vestido",
])
def test_calm_or_happy_shopper_is_not_frustrated(text: str) -> None:
    assert not analyse(text).frustrated


@pytest.mark.parametrize("text", [
    "great, still nothing after 3 weeks",
    "I'm not happy with your service at all",
    "I'm really disappointed",
    "merci pour rien, toujours pas de colis",
    "je ne recommande pas cette boutique",
    "c'est inadmissible",
    "obrigado por nada, ainda nada da encomenda",
    "não estou nada satisfeito com o serviço",
    "isto é uma vergonha",
])
def test_angry_or_disappointed_shoppers_read_negative(text: str) -> None:
    assert analyse(text).sentiment <= -0.25


@pytest.mark.parametrize("text", [
    "is there a fee if I cancel my order?",
    "still available in size M?",
    "y a-t-il des frais si j'annule ma commande ?",
    "há alguma taxa se cancelar a encomenda?",
])
def test_neutral_questions_stay_neutral(text: str) -> None:
    assert analyse(text).sentiment == 0.0


def test_sentiment_reads_negation_and_lexicons() -> None:
    assert analyse("super, merci, tout est parfait").sentiment > 0.5
    assert analyse("produit nul et livraison horrible").sentiment < -0.5
    assert analyse("not bad at all").sentiment > analyse("bad").sentiment


def test_result_has_the_documented_json_shape() -> None:
    result = analyse("ou est ma commande cmd 48213")
    assert isinstance(result, NluResult)
    data = result.to_dict()
    assert list(data) == ["language", "intent", "confidence", "sentiment", "frustrated",
                          "entities"]
    assert list(data["entities"]) == ["order_numbers", "emails", "phones", "dates", "amounts",
                                      "products"]
    assert data["intent"] in INTENTS
    assert json.loads(json.dumps(data)) == data


def test_cli_answers_each_line_and_survives_a_malformed_one() -> None:
    lines = [
        json.dumps({"text": "ou est ma commande cmd 48213"}),
        "this is not json",
        json.dumps({"text": 42}),
        json.dumps({"text": "ok", "history": ["onde está o meu pedido?"], "language_hint": "pt"}),
    ]
    completed = subprocess.run(
        [sys.executable, "-m", "automation.nlu"], input="\n".join(lines) + "\n",
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=True,
    )
    answers = [json.loads(line) for line in completed.stdout.splitlines()]
    assert len(answers) == 4
    assert answers[0]["language"] == "fr"
    assert answers[0]["intent"] == "order_status"
    assert answers[0]["entities"]["order_numbers"] == ["CMD-48213"]
    assert answers[1]["error"]["code"] == "validation_error"
    assert answers[2]["error"] == {"code": "validation_error",
                                   "message": "text: required, a string",
                                   "fields": {"text": "required, a string"}}
    assert answers[3]["language"] == "pt"


def test_build_command_leaves_a_cache_that_a_second_run_finds_fresh() -> None:
    command = [sys.executable, "-m", "automation.nlu.build"]
    subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60,
                            check=True)
    assert "already fresh" in second.stdout
    assert cache_path().exists()


def test_two_builds_give_identical_predictions() -> None:
    # An eighth of the data: determinism is the procedure's, and four full trainings take minutes.
    train, heldout = load_examples("train")[::8], load_examples("heldout")[:200]
    samples = [intent_sample(example.text) for example in heldout]
    first, second = train_intent(train), train_intent(train)
    assert first.classes == second.classes
    assert (first.probabilities_many(samples) == second.probabilities_many(samples)).all()
    languages = [language_sample(example.text) for example in heldout]
    assert (train_language(train).probabilities_many(languages)
            == train_language(train).probabilities_many(languages)).all()
    restored = pickle.loads(pickle.dumps(first))  # what the disk cache stores and reloads
    assert all((restored.probabilities(s) == first.probabilities(s)).all() for s in samples)


def test_heldout_accuracy_meets_the_targets() -> None:
    report = evaluate()
    for language in ("fr", "en", "pt"):
        assert report["intent_accuracy_by_language"][language] >= 0.90, language
    assert report["language_accuracy"] >= 0.98
    assert report["order_number_exact_match"] >= 0.98
    assert report["intent_calibration_error"] <= 0.08
    found, total = report["sentiment_found"]["negative"]
    assert found / total >= 0.9
    found, total = report["sentiment_found"]["neutral"]
    assert found == total


def test_p95_latency_is_under_5_ms() -> None:
    texts = [example.text for example in load_examples("heldout")][:300]
    durations = []
    for text in texts:
        # CPU time of this thread, the best of three: other suites sharing the 2 cores (and
        # their caches) must not fail this test, as timeit takes the best of its runs.
        runs = []
        for _ in range(3):
            started = time.thread_time()
            analyse(text, catalogue=CATALOGUE, history=("bonjour",), today=TODAY)
            runs.append(time.thread_time() - started)
        durations.append(min(runs))
    durations.sort()
    assert durations[int(len(durations) * 0.95)] * 1000 <= 5.0
