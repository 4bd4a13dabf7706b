"""The knowledge base editor: articles in French, English and Portuguese, linked by topic.

Supervisors and admins list and search the articles, write and translate them, and publish
or unpublish them; each article shows how often the assistant used it and for which questions.
"""

from __future__ import annotations

from flask import (Blueprint, make_response, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import roles_required
from automation.knowledge import editor
from automation.runtime.errors import DeskError
from database.knowledge import (categories, find_articles, get_article, questions_answered,
                                topic_articles)

bp = Blueprint("knowledge", __name__, url_prefix="/knowledge")
STAFF = ("supervisor", "admin")


def language_names() -> dict[str, str]:
    """Return the article languages, named in the staff member's language."""
    return {"fr": _("French"), "en": _("English"), "pt": _("Portuguese")}


@bp.get("")
@roles_required(*STAFF)
def index():
    text = request.args.get("q", "").strip()[:200]
    language = request.args.get("language") if request.args.get("language") in \
        editor.LANGUAGES else None
    status = request.args.get("status") if request.args.get("status") in \
        ("published", "draft") else None
    found = find_articles(text=text, language=language,
                          published=None if status is None else status == "published")
    topics = list(dict.fromkeys(article.topic for article in found))
    by_topic: dict[str, dict[str, object]] = {topic: {} for topic in topics}
    for article in topic_articles(topics):
        by_topic[article.topic][article.language] = article
    template = "knowledge/_list.html" if request.headers.get("HX-Request") \
        else "knowledge/index.html"
    response = make_response(render_template(
        template, topics=by_topic, filters={"q": text, "language": language or "",
                                            "status": status or ""},
        languages=language_names(), shown_language=current_user.language))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.get("/new")
@roles_required(*STAFF)
def new():
    topic = request.args.get("translation_of") or None
    siblings = {a.language: a for a in topic_articles([topic])} if topic else {}
    if topic and not siblings:
        raise DeskError("not_found", _("This article does not exist."))
    language = request.args.get("language")
    first = next(iter(siblings.values()), None)
    form = {"language": language if language in editor.LANGUAGES else "",
            "category": first.category if first else "", "title": "", "answer": "",
            "keywords": "", "translation_of": topic or ""}
    return _page(None, form=form, siblings=siblings)


@bp.post("/new")
@roles_required(*STAFF)
def create():
    form = _form()
    topic = form["translation_of"] or None
    try:
        article = editor.create_article(_draft(form, form["language"]),
                                        staff_id=current_user.user.id, translation_of=topic,
                                        publish=form["published"])
    except DeskError as exc:
        siblings = {a.language: a for a in topic_articles([topic])} if topic else {}
        return _form_answer(None, form, errors=_errors(exc), status=exc.status,
                            siblings=siblings)
    session["knowledge_notice"] = _("Article created.")
    target = url_for("knowledge.edit", article_id=article.id)
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target, code=303)


@bp.get("/<int:article_id>")
@roles_required(*STAFF)
def edit(article_id: int):
    article = _article(article_id)
    return _page(article, form=_values(article), notice=session.pop("knowledge_notice", None))


@bp.post("/<int:article_id>")
@roles_required(*STAFF)
def update(article_id: int):
    article = _article(article_id)
    form = _form()
    try:
        editor.update_article(article.id, _draft(form, article.language),
                              staff_id=current_user.user.id)
    except DeskError as exc:
        return _form_answer(article, form, errors=_errors(exc), status=exc.status)
    return _form_answer(article, _values(article), notice=_(
        "Saved: the next answer uses it.") if article.published else _(
        "Saved. Publish it for the assistant to use it."))


@bp.post("/<int:article_id>/publish")
@roles_required(*STAFF)
def publish(article_id: int):
    editor.set_published(_article(article_id).id, True, staff_id=current_user.user.id)
    return _state_answer(article_id, _("Published: the assistant may use it."))


@bp.post("/<int:article_id>/unpublish")
@roles_required(*STAFF)
def unpublish(article_id: int):
    editor.set_published(_article(article_id).id, False, staff_id=current_user.user.id)
    return _state_answer(article_id, _("Unpublished: the assistant no longer uses it."))


def _article(article_id: int):
    article = get_article(article_id)
    if article is None:
        raise DeskError("not_found", _("This article does not exist."))
    return article


def _form() -> dict:
    return {"title": request.form.get("title", ""), "answer": request.form.get("answer", ""),
            "category": request.form.get("category", "").strip().lower(),
            "keywords": request.form.get("keywords", ""),
            "language": request.form.get("language", ""),
            "translation_of": request.form.get("translation_of", "").strip(),
            "published": request.form.get("published") == "on"}


def _draft(form: dict, language: str) -> editor.Draft:
    return editor.Draft(title=form["title"], answer=form["answer"], category=form["category"],
                        language=language, keywords=editor.parse_keywords(form["keywords"]))


def _values(article) -> dict:
    return {"title": article.title, "answer": article.answer, "category": article.category,
            "keywords": "\n".join(article.keywords or []), "language": article.language,
            "translation_of": article.topic}


def _page(article, *, form: dict, errors: dict | None = None, siblings: dict | None = None,
          notice: str | None = None):
    if article is not None:
        siblings = {a.language: a for a in topic_articles([article.topic])}
    return render_template(
        "knowledge/edit.html", article=article, form=form, errors=errors or {}, notice=notice,
        siblings=siblings or {}, languages=language_names(), categories=categories(),
        questions=questions_answered(article.id) if article is not None else [])


def _form_answer(article, form: dict, *, errors: dict | None = None, status: int = 200,
                 siblings: dict | None = None, notice: str | None = None):
    """The form alone for htmx (swapped in place), the whole page otherwise."""
    if request.headers.get("HX-Request"):
        return render_template("knowledge/_form.html", article=article, form=form,
                               errors=errors or {}, notice=notice, languages=language_names(),
                               categories=categories()), status, {"Vary": "HX-Request"}
    return _page(article, form=form, errors=errors, siblings=siblings, notice=notice), status


def _errors(exc: DeskError) -> dict[str, str]:
    if exc.code not in ("validation_error", "conflict"):
        raise exc
    return {name: _(problem) for name, problem in exc.fields.items()}


def _state_answer(article_id: int, message: str):
    article = _article(article_id)
    if request.headers.get("HX-Request"):
        return render_template("knowledge/_state.html", article=article, state_notice=message)
    session["knowledge_notice"] = message
    return redirect(url_for("knowledge.edit", article_id=article.id), code=303)
