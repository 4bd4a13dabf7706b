"""The knowledge base editor: articles linked across languages, audited, used by the next
answer in every process."""

from __future__ import annotations

import pytest

from automation.knowledge import search
from automation.knowledge.search import KnowledgeBase
from database import db, events
from database.models import Event, KnowledgeArticle
from tests import factories

GIFT = {"title": "Do you offer gift wrapping?", "answer": "Yes, gift wrapping costs 2 euros.",
        "category": "products", "keywords": "gift wrap, present, wrapping paper",
        "language": "en", "published": "on"}


def _log_in(client, role: str = "supervisor", language: str = "en") -> None:
    user = factories.staff(role=role, language=language)
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})


def _create(client, **changes) -> KnowledgeArticle:
    response = client.post("/knowledge/new", data={**GIFT, **changes})
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.scalars(db.select(KnowledgeArticle)
                              .order_by(KnowledgeArticle.id.desc())).first()


def _kinds() -> list[str]:
    return [e.kind for e in db.session.scalars(
        db.select(Event).where(Event.kind.like("knowledge.%")).order_by(Event.id))]


def test_creating_editing_and_publishing_are_audited(admin_client, app):
    _log_in(admin_client)
    article = _create(admin_client)
    assert (article.topic, article.language, article.published) == (
        "do_you_offer_gift_wrapping", "en", True)
    assert article.keywords == ["gift wrap", "present", "wrapping paper"]
    response = admin_client.post(f"/knowledge/{article.id}", headers={"HX-Request": "true"},
                                 data={**GIFT, "answer": "Gift wrapping is free in December."})
    assert response.status_code == 200 and 'id="article-notice"' in response.get_data(True)
    admin_client.post(f"/knowledge/{article.id}/unpublish")
    db.session.refresh(article)
    assert article.answer == "Gift wrapping is free in December." and not article.published
    admin_client.post(f"/knowledge/{article.id}/publish", headers={"HX-Request": "true"})
    assert _kinds() == [events.KNOWLEDGE_ARTICLE_SAVED, events.KNOWLEDGE_ARTICLE_PUBLISHED,
                        events.KNOWLEDGE_ARTICLE_SAVED, events.KNOWLEDGE_ARTICLE_UNPUBLISHED,
                        events.KNOWLEDGE_ARTICLE_PUBLISHED]
    saved = db.session.scalars(db.select(Event).where(
        Event.kind == events.KNOWLEDGE_ARTICLE_SAVED).order_by(Event.id.desc())).first()
    assert saved.payload["changed"] == ["answer"] and saved.payload["article_id"] == article.id


def test_a_translation_is_linked_by_topic_and_never_made_twice(admin_client, app):
    _log_in(admin_client)
    english = _create(admin_client)
    form = admin_client.get(f"/knowledge/new?translation_of={english.topic}&language=fr")
    assert english.answer in form.get_data(as_text=True)  # the text to translate, beside
    french = _create(admin_client, title="Proposez-vous l'emballage cadeau ?",
                     answer="Oui, l'emballage cadeau coûte 2 euros.", language="fr",
                     translation_of=english.topic)
    assert french.topic == english.topic
    page = admin_client.get(f"/knowledge/{english.id}").get_data(as_text=True)
    assert f'href="/knowledge/{french.id}"' in page
    again = admin_client.post("/knowledge/new", headers={"HX-Request": "true"},
                              data={**GIFT, "language": "fr", "translation_of": english.topic})
    assert again.status_code == 409 and 'id="article-language-error"' in again.get_data(True)
    assert db.session.query(KnowledgeArticle).count() == 2


def test_validation_errors_are_shown_in_place(admin_client, app):
    _log_in(admin_client, language="fr")
    response = admin_client.post("/knowledge/new", headers={"HX-Request": "true"},
                                 data={"title": "", "answer": " ", "category": "Not valid!",
                                       "language": "de"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and html.lstrip().startswith('<form id="article-form"')
    for name in ("title", "answer", "category", "language"):
        assert f'id="article-{name}-error"' in html
    assert "Écrivez la question" in html and 'value="not valid!"' in html
    assert db.session.query(KnowledgeArticle).count() == 0 and _kinds() == []


def test_the_list_searches_titles_and_keywords_in_every_language(admin_client, app):
    _log_in(admin_client)
    _create(admin_client)
    _create(admin_client, title="How long does delivery take?", answer="Two days.",
            category="shipping", keywords="delivery time")
    html = admin_client.get("/knowledge?q=wrapping+paper").get_data(as_text=True)
    assert "Do you offer gift wrapping?" in html and "How long does delivery" not in html
    fragment = admin_client.get("/knowledge?q=delivery&status=published",
                                headers={"HX-Request": "true"})
    assert "HX-Request" in fragment.headers["Vary"]
    text = fragment.get_data(as_text=True)
    assert text.startswith('<section id="articles">') and "How long does delivery" in text
    assert 'id="no-article"' in admin_client.get("/knowledge?q=zzz").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [("agent", 403), ("supervisor", 200), ("admin", 200)])
def test_supervisors_and_admins_edit_the_knowledge_base(admin_client, app, role, status):
    _log_in(admin_client, role)
    assert admin_client.get("/knowledge").status_code == status
    assert admin_client.get("/knowledge/new").status_code == status


def test_the_next_answer_uses_the_edit_and_the_article_lists_the_question(
        admin_client, client, app):
    _log_in(admin_client)
    article = _create(admin_client)
    key = factories.bearer(factories.api_key("messages:write"))

    def ask(text: str) -> str:
        shopper = factories.customer(language="en")  # a repeated question would escalate
        response = client.post("/api/process-message", headers=key,
                               json={"email": shopper.email, "message": text})
        assert response.status_code == 200
        return response.get_json()["reply"]

    assert "costs 2 euros" in ask("Do you offer gift wrapping?")
    admin_client.post(f"/knowledge/{article.id}",
                      data={**GIFT, "answer": "Gift wrapping is free in December."})
    assert "free in December" in ask("Do you offer gift wrapping for a present?")
    page = admin_client.get(f"/knowledge/{article.id}").get_data(as_text=True)
    assert "Do you offer gift wrapping for a present?" in page and 'href="/workspace/c/' in page
    db.session.refresh(article)
    assert article.usage_count == 2


def test_another_process_sees_the_change_within_the_recheck_window(admin_client, app):
    _log_in(admin_client)
    article = _create(admin_client)
    now = [0.0]
    elsewhere = KnowledgeBase(clock=lambda: now[0])  # another process's index
    assert elsewhere.search("gift wrapping", language="en")[0].answer == article.answer
    admin_client.post(f"/knowledge/{article.id}",
                      data={**GIFT, "answer": "Gift wrapping is free in December."})
    now[0] = search.RECHECK_S + 0.01
    assert elsewhere.search("gift wrapping", language="en")[0].answer == \
        "Gift wrapping is free in December."
    admin_client.post(f"/knowledge/{article.id}/unpublish")
    now[0] += search.RECHECK_S + 0.01
    assert elsewhere.search("gift wrapping", language="en") == []


def test_every_change_needs_the_form_token(database_url, app):
    from admin_app import create_app
    from automation.runtime.settings import TestConfig

    guarded = create_app(TestConfig(database_url, WTF_CSRF_ENABLED=True)).test_client()
    user = factories.staff(role="admin")
    login = guarded.get("/login").get_data(as_text=True)
    token = login.split('name="csrf-token" content="')[1].split('"')[0]
    guarded.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                 "csrf_token": token})
    refused = guarded.post("/knowledge/new", data=GIFT)
    assert refused.status_code == 403
    form = guarded.get("/knowledge/new").get_data(as_text=True)
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    assert guarded.post("/knowledge/new", data={**GIFT, "csrf_token": token}).status_code == 303
    assert _kinds() == [events.KNOWLEDGE_ARTICLE_SAVED, events.KNOWLEDGE_ARTICLE_PUBLISHED]
