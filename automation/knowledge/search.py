"""Knowledge-base retrieval: the best article for a question, in the shopper's language.

Articles are indexed with TF-IDF over word and character n-grams (scikit-learn), so typos and
missing accents still match. Translations share a `topic`: a question matched in any language
is answered with the article of the same topic in the reply language when it exists.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from database import db, events
from database.knowledge import bump_usage, knowledge_version, published_articles
from database.models import Message

# How often the index looks for edits made by any process: an edit in the admin app reaches
# every web process's next answer within this many seconds.
RECHECK_S = 2.0


@dataclass(frozen=True)
class Match:
    """One article that answers a question, with how well it matches (0–1)."""

    article_id: int
    topic: str
    title: str
    answer: str
    category: str
    language: str
    score: float


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)


class _Index:
    """Word and character n-gram TF-IDF over the question side (title, keywords) and the answer.

    The question side weighs most: shoppers ask questions, and a long answer dilutes the match.
    """

    HEAD, BODY = 0.7, 0.3

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.by_topic = {(r["topic"], r["language"]): r for r in rows}
        self.head = self.body = None
        if not rows:
            return
        heads = [_plain(f"{r['title']} {' '.join(r['keywords'])}") for r in rows]
        bodies = [_plain(r["answer"]) for r in rows]
        self.head = _Space(heads)
        self.body = _Space(bodies)

    def search(self, query: str, limit: int) -> list[tuple[dict[str, Any], float]]:
        if self.head is None or not query.strip():
            return []
        q = _plain(query)
        scores = self.HEAD * self.head.similarity(q) + self.BODY * self.body.similarity(q)
        best = scores.argsort()[::-1][:limit * 3]
        return [(self.rows[i], float(scores[i])) for i in best if scores[i] > 0]


class _Space:
    """One TF-IDF space (words + character n-grams) over a list of texts."""

    def __init__(self, texts: list[str]) -> None:
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                     dtype=np.float32)
        # Stored transposed, so a query (1 × terms) times it gives a row of scores directly.
        self.words_t = self.words.fit_transform(texts).T.tocsr()
        self.chars_t = self.chars.fit_transform(texts).T.tocsr()

    def similarity(self, query: str) -> Any:
        words = self.words.transform([query]) @ self.words_t
        chars = self.chars.transform([query]) @ self.chars_t
        return 0.5 * (words.toarray().ravel() + chars.toarray().ravel())


class KnowledgeBase:
    """Search over the published articles, rebuilt when they change (in any process)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._indexes: dict[str, tuple[Any, _Index]] = {}
        self._checked: dict[str, float] = {}

    def _index(self) -> _Index:
        key = str(db.engine.url)
        now = self._clock()
        cached = self._indexes.get(key)
        if cached is not None and now - self._checked.get(key, 0) < RECHECK_S:
            return cached[1]
        version = knowledge_version()
        with self._lock:
            cached = self._indexes.get(key)
            if cached is None or cached[0] != version:
                rows = [{"id": a.id, "topic": a.topic, "title": a.title, "answer": a.answer,
                         "category": a.category, "language": a.language,
                         "keywords": list(a.keywords or [])} for a in published_articles()]
                cached = (version, _Index(rows))
                self._indexes[key] = cached
            self._checked[key] = now
        return cached[1]

    def search(self, query: str, *, language: str, limit: int = 3,
               category: str | None = None) -> list[Match]:
        """Return the best articles for `query`, each in `language` when a translation exists."""
        index = self._index()
        matches: list[Match] = []
        seen: set[str] = set()
        for row, score in index.search(query, limit):
            if category and row["category"] != category:
                continue
            if row["topic"] in seen:
                continue
            seen.add(row["topic"])
            shown = index.by_topic.get((row["topic"], language), row)
            matches.append(Match(article_id=shown["id"], topic=shown["topic"],
                                 title=shown["title"], answer=shown["answer"],
                                 category=shown["category"], language=shown["language"],
                                 score=round(min(score, 1.0), 3)))
            if len(matches) == limit:
                break
        return matches

    def use(self, match: Match, *, question: Message) -> None:
        """Count a use of the article for the shopper's `question` (in the caller's
        transaction), as a `knowledge.used` event that links the two."""
        bump_usage(match.article_id)
        events.record(events.KNOWLEDGE_USED, conversation_id=question.conversation_id,
                      customer_id=question.customer_id,
                      payload={"article_id": match.article_id, "topic": match.topic,
                               "language": match.language, "score": match.score,
                               "message_id": question.id})

    def invalidate(self) -> None:
        """Forget every index: the next search here rebuilds it (after an edit in this process)."""
        with self._lock:
            self._indexes.clear()
            self._checked.clear()


knowledge_base = KnowledgeBase()
