"""A calibrated linear text classifier over weighted TF-IDF views, with a fast one-text path."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC


@dataclass
class View:
    """One way of reading a prepared sample: which of its strings, vectorised how, how loud."""

    field: int  # index into the prepared tuple of strings
    vectorizer: TfidfVectorizer
    weight: float


class _CompiledView:
    """The fitted vectorizer reduced to plain lookups: sklearn's per-call checks cost ~0.3 ms."""

    def __init__(self, view: View, offset: int) -> None:
        vectorizer = view.vectorizer
        self.field = view.field
        self.analyse: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = dict(vectorizer.vocabulary_)
        self.idf = vectorizer.idf_.copy() if vectorizer.use_idf else None
        self.sublinear = vectorizer.sublinear_tf
        self.binary = vectorizer.binary
        self.offset = offset
        self.weight = view.weight
        self.size = len(self.vocabulary)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for gram in self.analyse(text):
            index = vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.empty(0, dtype=np.intp), np.empty(0)
        indices = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.binary:
            values[:] = 1.0
        elif self.sublinear:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values *= self.idf[indices]
        values *= self.weight / np.sqrt(values @ values)
        return indices + self.offset, values


class LinearTextClassifier:
    """Linear SVM over several TF-IDF views, calibrated by temperature scaling on 3 folds."""

    def __init__(self, views: Sequence[View], *, c: float, random_state: int) -> None:
        self.views = list(views)
        self.c = c
        self.random_state = random_state
        self.classes: tuple[str, ...] = ()

    def _matrix(self, samples: Sequence[tuple[str, ...]], *, fit: bool) -> sparse.csr_matrix:
        blocks = []
        for view in self.views:
            column = [sample[view.field] for sample in samples]
            vectorizer = view.vectorizer
            block = vectorizer.fit_transform(column) if fit else vectorizer.transform(column)
            blocks.append(block * view.weight)
        return sparse.hstack(blocks).tocsr()

    def fit(
        self,
        samples: Sequence[tuple[str, ...]],
        labels: Sequence[str],
        *,
        weights: Sequence[float] | None = None,
    ) -> LinearTextClassifier:
        """Learn the vocabularies, the weights and the calibration from prepared samples."""
        features = self._matrix(samples, fit=True)
        svm = LinearSVC(C=self.c, random_state=self.random_state)
        # ensemble=False: one SVM on all the data, the temperature fitted on 3-fold predictions
        # (5 folds gave the same calibration error and cost two more trainings).
        self.calibrated = CalibratedClassifierCV(svm, method="temperature", cv=3, ensemble=False,
                                                 n_jobs=2)
        # Two folds train at once, each in its own process: liblinear draws from the C library's
        # one random generator, so folds sharing a process (threads) would not repeat their result.
        self.calibrated.fit(features, list(labels),
                            sample_weight=None if weights is None else np.asarray(weights))
        self.classes = tuple(str(label) for label in self.calibrated.classes_)
        fitted = self.calibrated.calibrated_classifiers_[0]
        self._coef = np.ascontiguousarray(fitted.estimator.coef_.T)
        self._intercept = fitted.estimator.intercept_.copy()
        self._beta = float(fitted.calibrators[0].beta_)
        self._compile()
        return self

    def _compile(self) -> None:
        self._compiled = []
        offset = 0
        for view in self.views:
            compiled = _CompiledView(view, offset)
            self._compiled.append(compiled)
            offset += compiled.size

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_compiled", None)  # rebuilt from the vectorizers on load
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._compile()

    def knows_any(self, sample: tuple[str, ...], view: int = 0) -> bool:
        """Tell whether one view of the sample holds any gram seen in training."""
        compiled = self._compiled[view]
        return any(gram in compiled.vocabulary for gram in compiled.analyse(sample[compiled.field]))

    def probabilities(self, sample: tuple[str, ...]) -> np.ndarray:
        """Return calibrated class probabilities for one prepared sample, ordered as `classes`."""
        scores = self._intercept.copy()
        for compiled in self._compiled:
            indices, values = compiled.row(sample[compiled.field])
            if indices.size:
                scores += values @ self._coef[indices]
        scores *= self._beta
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()

    def probabilities_many(self, samples: Sequence[tuple[str, ...]]) -> np.ndarray:
        """Return calibrated probabilities for many samples through scikit-learn itself."""
        return self.calibrated.predict_proba(self._matrix(samples, fit=False))
