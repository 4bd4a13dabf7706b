"""Staff edits to the knowledge base: create, edit, translate, publish and unpublish articles.

Translations of one article share its `topic` (one article per topic and language, held by
a unique constraint). Every change is audited as an event and reaches the next answer: this
process's index is dropped at once, the others notice within `search.RECHECK_S`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from automation.knowledge.search import knowledge_base
from automation.runtime.errors import DeskError, validation_error
from automation.runtime.i18n import N_
from database import db, events
from database.knowledge import add_article, get_article, topic_exists
from database.models import KnowledgeArticle

LANGUAGES = ("fr", "en", "pt")
TITLE_MAX, ANSWER_MAX, CATEGORY_MAX = 300, 4000, 40
KEYWORDS_MAX, KEYWORD_MAX = 30, 60
EDITABLE = ("title", "answer", "category", "keywords")


@dataclass(frozen=True)
class Draft:
    """What staff typed for one article in one language."""

    title: str
    answer: str
    category: str
    language: str
    keywords: list[str] = field(default_factory=list)


def parse_keywords(text: str) -> list[str]:
    """Split keywords typed one per line or separated by commas, without repeats."""
    seen: dict[str, str] = {}
    for word in re.split(r"[,\n;]", text or ""):
        word = " ".join(word.split())
        if word and word.lower() not in seen:
            seen[word.lower()] = word
    return list(seen.values())


def _problems(draft: Draft) -> dict[str, str]:
    problems = {}
    if not draft.title.strip():
        problems["title"] = N_("Write the question the article answers.")
    elif len(draft.title) > TITLE_MAX:
        problems["title"] = N_("At most 300 characters.")
    if not draft.answer.strip():
        problems["answer"] = N_("Write the answer shoppers will read.")
    elif len(draft.answer) > ANSWER_MAX:
        problems["answer"] = N_("At most 4000 characters.")
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", draft.category or ""):
        problems["category"] = N_("One word in lower case, such as shipping or returns_refunds.")
    if draft.language not in LANGUAGES:
        problems["language"] = N_("Choose French, English or Portuguese.")
    if len(draft.keywords) > KEYWORDS_MAX or any(len(k) > KEYWORD_MAX for k in draft.keywords):
        problems["keywords"] = N_("At most 30 keywords of 60 characters each.")
    return problems


def new_topic(title: str) -> str:
    """Return an unused topic made from the title (ASCII words joined by underscores)."""
    plain = unicodedata.normalize("NFKD", title.lower()).encode("ascii", "ignore").decode()
    base = "_".join(re.findall(r"[a-z0-9]+", plain))[:60].strip("_") or "article"
    topic, number = base, 1
    while topic_exists(topic):
        number += 1
        topic = f"{base}_{number}"
    return topic


def create_article(draft: Draft, *, staff_id: int, translation_of: str | None = None,
                   publish: bool = False) -> KnowledgeArticle:
    """Store a new article (a translation when `translation_of` names a topic); commit."""
    problems = _problems(draft)
    if translation_of is not None and not topic_exists(translation_of):
        raise DeskError("not_found", "no article has this topic")
    if problems:
        raise validation_error(problems)
    topic = translation_of or new_topic(draft.title)
    article = add_article(topic=topic, title=draft.title.strip(), answer=draft.answer.strip(),
                          category=draft.category, language=draft.language,
                          keywords=draft.keywords, published=publish)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # another tab or colleague wrote this translation first
        raise DeskError("conflict", "this article already exists in this language",
                        fields={"language": N_("This article already exists in this "
                                               "language: edit it instead.")}) from None
    _audit(events.KNOWLEDGE_ARTICLE_SAVED, article, staff_id=staff_id,
           changed=["created", *EDITABLE])
    if publish:
        _audit(events.KNOWLEDGE_ARTICLE_PUBLISHED, article, staff_id=staff_id)
    _commit()
    return article


def update_article(article_id: int, draft: Draft, *, staff_id: int) -> KnowledgeArticle:
    """Save staff's edit of an article (its language and topic stay); commit."""
    article = _article(article_id)
    problems = _problems(Draft(draft.title, draft.answer, draft.category, article.language,
                               draft.keywords))
    if problems:
        raise validation_error(problems)
    wanted = {"title": draft.title.strip(), "answer": draft.answer.strip(),
              "category": draft.category, "keywords": draft.keywords}
    changed = [name for name in EDITABLE if getattr(article, name) != wanted[name]]
    if not changed:
        return article
    for name in changed:
        setattr(article, name, wanted[name])
    _audit(events.KNOWLEDGE_ARTICLE_SAVED, article, staff_id=staff_id, changed=changed)
    _commit()
    return article


def set_published(article_id: int, published: bool, *, staff_id: int) -> KnowledgeArticle:
    """Publish the article (the assistant may use it) or take it back; commit."""
    article = _article(article_id)
    if article.published == published:
        return article
    article.published = published
    _audit(events.KNOWLEDGE_ARTICLE_PUBLISHED if published
           else events.KNOWLEDGE_ARTICLE_UNPUBLISHED, article, staff_id=staff_id)
    _commit()
    return article


def _article(article_id: int) -> KnowledgeArticle:
    article = get_article(article_id)
    if article is None:
        raise DeskError("not_found", "no such article")
    return article


def _audit(kind: str, article: KnowledgeArticle, *, staff_id: int,
           changed: list[str] | None = None) -> None:
    payload = {"article_id": article.id, "topic": article.topic, "language": article.language,
               "title": article.title[:120], "staff_id": staff_id}
    if changed is not None:
        payload["changed"] = changed
    events.record(kind, payload=payload)


def _commit() -> None:
    db.session.commit()
    # This process answers with the change at once; the others within RECHECK_S.
    knowledge_base.invalidate()
