"""Train the intent and language models from the shipped data, once, and cache them."""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

from automation.nlu.augment import noisy_twins
from automation.nlu.cues import concept_tokens
from automation.nlu.examples import Example, data_fingerprint, load_examples
from automation.nlu.linear import LinearTextClassifier, View
from automation.nlu.pivot import pivot_words
from automation.nlu.sentiment import score_sentiment
from automation.nlu.text import EMAIL, fold, has_letters, unstretch, words

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en", "pt", "es")
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
RANDOM_STATE = 20261121
# A noisy twin ("cancle my oder") is a hint about typos, not a shopper's own words: it counts less.
NOISY_WEIGHT = 0.5
# The code that turns the data into a model: a change to any of it invalidates the cache.
_SOURCES = (
    "model.py", "linear.py", "cues.py", "pivot.py", "wordmap.py", "text.py", "examples.py",
    "augment.py", "places.py", "sentiment.py", "lexicons.py",
)
_DIGITS = re.compile(r"\d+")
FEELING_AT = 0.25  # the sentiment score from which a message reads as pleased or upset


def _feeling(text: str) -> str:
    """Return a cue for how the message reads: praise is feedback, anger leans to complaint."""
    score = score_sentiment(text)
    if score >= FEELING_AT:
        return "zzfeel_good"
    return "zzfeel_bad" if score <= -FEELING_AT else "zzfeel_none"


def intent_sample(text: str) -> tuple[str, str, str]:
    """Prepare a message for the intent model: folded text, concept cues, pivot words."""
    # Masking numbers keeps "cmd 48213" and "cmd 50122" one feature instead of many rare ones.
    folded = unstretch(_DIGITS.sub("0", EMAIL.sub(" emailaddr ", fold(text))))
    tokens = words(folded)
    cues = [*concept_tokens(tokens), _feeling(text)]
    return folded, " ".join(cues), " ".join(pivot_words(tokens))


def language_sample(text: str) -> tuple[str]:
    """Prepare a message for the language model: lowercased, accents kept, digits dropped."""
    return (_DIGITS.sub(" ", text.lower()),)


def _intent_classifier() -> LinearTextClassifier:
    views = [
        View(0, TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b",
                                sublinear_tf=True), 1.0),
        View(0, TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True,
                                min_df=2), 1.0),
        View(1, TfidfVectorizer(token_pattern=r"\S+", use_idf=False, binary=True), 0.5),
        View(2, TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True),
             1.0),
    ]
    return LinearTextClassifier(views, c=1.0, random_state=RANDOM_STATE)


def _language_classifier() -> LinearTextClassifier:
    views = [
        View(0, TfidfVectorizer(token_pattern=r"(?u)\b[^\W\d_]+\b", sublinear_tf=True), 1.0),
        View(0, TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True,
                                min_df=2), 1.0),
    ]
    return LinearTextClassifier(views, c=1.0, random_state=RANDOM_STATE)


class LangidScorer:
    """langid.py restricted to LANGUAGES; pickles as its arrays (its identifier can't)."""

    def __init__(self) -> None:
        from langid.langid import LanguageIdentifier, model

        identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
        identifier.set_languages(list(LANGUAGES))
        self._set(identifier)

    def _set(self, identifier: object) -> None:
        self.identifier = identifier

    def rank(self, text: str) -> dict[str, float]:
        """Return langid's probability of each language for text."""
        return dict(self.identifier.rank(text))

    def __getstate__(self) -> dict:
        found = self.identifier
        return {"arrays": (found.nb_ptc, found.nb_pc, found.nb_numfeats, found.nb_classes,
                           found.tk_nextmove, found.tk_output)}

    def __setstate__(self, state: dict) -> None:
        from langid.langid import LanguageIdentifier

        self._set(LanguageIdentifier(*state["arrays"], norm_probs=True))


@dataclass
class Models:
    intent: LinearTextClassifier
    language: LinearTextClassifier
    langid: LangidScorer


def train_intent(examples: list[Example]) -> LinearTextClassifier:
    """Train the intent classifier on labelled examples and their noisy twins."""
    noisy = noisy_twins(examples)
    everything = list(examples) + noisy
    return _intent_classifier().fit(
        [intent_sample(example.text) for example in everything],
        [example.intent for example in everything],
        weights=[1.0] * len(examples) + [NOISY_WEIGHT] * len(noisy),
    )


def train_language(examples: list[Example]) -> LinearTextClassifier:
    """Train the language classifier on the examples that have letters."""
    # Texts without letters ("?", "...") say nothing about a language.
    lettered = [example for example in examples if has_letters(example.text)]
    # Each language weighs the same in total: a language with more examples must not become
    # the default answer for texts that could be any ("ok", "blorp").
    counts = Counter(example.language for example in lettered)
    share = len(lettered) / len(counts)
    return _language_classifier().fit(
        [language_sample(example.text) for example in lettered],
        [example.language for example in lettered],
        weights=[share / counts[example.language] for example in lettered],
    )


def build_models(examples: list[Example] | None = None) -> Models:
    """Train both models from the training split (never the held-out one)."""
    examples = load_examples("train") if examples is None else examples
    return Models(
        intent=train_intent(examples), language=train_language(examples), langid=LangidScorer()
    )


def cache_key() -> str:
    """Return the key of a cached model: data, the code that reads it, library versions."""
    digest = hashlib.sha256(data_fingerprint().encode())
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        digest.update((here / name).read_bytes())
    digest.update(sys.version.encode())
    for package in ("scikit-learn", "numpy", "scipy", "langid"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:24]


def _read_cache(path: Path) -> Models | None:
    try:
        with path.open("rb") as handle:
            models = pickle.load(handle)  # only ever our own file, written below
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign file is only a cache miss
        log.warning("ignoring unreadable NLU model cache %s", path, exc_info=True)
        return None
    return models if isinstance(models, Models) else None


def _write_cache(path: Path, models: Models) -> None:
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob("models-*.pickle"):
            stale.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(models, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; other local users may share it
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old or the new file
    except Exception:  # a cache that can't be written only costs the next start a rebuild
        log.info("NLU model cache not written to %s", path, exc_info=True)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def cache_path() -> Path:
    """Return where the models for the current data, code and libraries are cached."""
    return CACHE_DIR / f"models-{cache_key()}.pickle"


def build_cache(*, force: bool = False) -> tuple[Path, bool]:
    """Train and write the cached models unless a readable fresh cache exists; say which."""
    path = cache_path()
    if not force and _read_cache(path) is not None:
        return path, False
    _write_cache(path, build_models())
    return path, True


_lock = threading.Lock()
_models: Models | None = None


def get_models() -> Models:
    """Return the trained models, from memory, the disk cache, or a fresh build."""
    global _models
    if _models is not None:
        return _models
    with _lock:
        if _models is None:
            path = cache_path()
            models = _read_cache(path)
            if models is None:
                models = build_models()
                _write_cache(path, models)
            _models = models
    return _models


def warm_up() -> None:
    """Load the models into memory now (building them if no fresh cache exists)."""
    get_models()
