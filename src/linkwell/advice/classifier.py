"""The statistical half of issue spotting: TF-IDF n-grams + one-vs-rest logistic regression.

It is trained in-process from the committed labelled set the first time it is needed
(deterministic, a fraction of a second) and kept in memory; nothing is downloaded or pickled.
Word features explain a decision ("the model weighed: 'landlord', 'notice'"); character
n-grams carry misspellings the phrase rules miss.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import expit

from linkwell.advice.categories import CODES
from linkwell.advice.language import COMMON_WORDS
from linkwell.advice.text import normalise

if TYPE_CHECKING:  # scikit-learn takes seconds to import: only when a model is trained
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion

LABELLED_SET = "labelled_descriptions.csv"
# Enquiries written by independent writers from one-line case briefs (data/README.md): the
# development set, and the first held-out set, retired into development data on 2026-12-04
# after its two scored runs. The model learns from both; a frozen held-out set never.
DEVELOPMENT_SET = "enquiries_dev.jsonl"
RETIRED_SET = "enquiries_retired.jsonl"


@dataclass(frozen=True)
class LabelledDescription:
    text: str
    labels: tuple[str, ...]  # the first label is the main problem


def load_labelled() -> list[LabelledDescription]:
    """The labelled descriptions shipped in ``linkwell/advice/data``."""
    source = resources.files("linkwell.advice") / "data" / LABELLED_SET
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [LabelledDescription(r["text"], tuple(r["labels"].split()))
                for r in csv.DictReader(handle)]
    unknown = {label for r in rows for label in r.labels} - set(CODES)
    if unknown:
        raise ValueError(f"labelled set uses unknown categories: {sorted(unknown)}")
    return rows


def load_development(name: str = DEVELOPMENT_SET) -> list[LabelledDescription]:
    """An enquiry set shipped in ``linkwell/advice/data``, primary label first."""
    source = resources.files("linkwell.advice") / "data" / name
    rows = []
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows.append(LabelledDescription(row["text"], (
                    row["primary"], *(s for s in row["secondary"] if s != row["primary"]))))
    return rows


def load_training() -> list[LabelledDescription]:
    """Everything the shipped model learns from: the labelled set and both development sets."""
    return load_labelled() + load_development() + load_development(RETIRED_SET)


class ProblemModel:
    """A fitted classifier: probability per category and the words behind it."""

    def __init__(self, features: FeatureUnion, classifier: OneVsRestClassifier,
                 classes: tuple[str, ...]):
        self._features = features
        self._classifier = classifier
        self.classes = classes
        word_vectoriser: TfidfVectorizer = features.transformer_list[0][1]
        self._word_names = word_vectoriser.get_feature_names_out()
        self._last: tuple[str, object] | None = None
        # The one-vs-rest logistic regressions as one matrix: a text's probabilities are then
        # one sparse product and a sigmoid, the same numbers as ``predict_proba`` without its
        # per-estimator input checks (which cost more than the arithmetic, see bench/).
        self._weights = np.column_stack([e.coef_[0] for e in classifier.estimators_])
        self._intercepts = np.array([e.intercept_[0] for e in classifier.estimators_])

    def _row(self, text: str):
        """The features of one text; triage asks for them several times in a row."""
        last = self._last  # one read: another thread may replace it meanwhile
        if last is None or last[0] != text:
            last = (text, self._features.transform([text]).tocsr())
            self._last = last
        return last[1]

    def _predict(self, rows) -> np.ndarray:
        return expit(rows @ self._weights + self._intercepts)

    def probabilities(self, text: str) -> dict[str, float]:
        probs = self._predict(self._row(text))[0]
        return {code: float(p) for code, p in zip(self.classes, probs, strict=True)}

    def probabilities_many(self, texts: list[str]) -> list[dict[str, float]]:
        probs = self._predict(self._features.transform(texts))
        return [{code: float(p) for code, p in zip(self.classes, row, strict=True)}
                for row in probs]

    def explain(self, text: str, code: str, limit: int = 4) -> list[str]:
        """The words and word pairs in ``text`` that pushed the model most towards ``code``."""
        row = self._row(text)
        estimator = self._classifier.estimators_[self.classes.index(code)]
        weights = estimator.coef_[0]
        n_words = len(self._word_names)
        contributions = [
            (row.data[k] * weights[j], self._word_names[j])
            for k, j in enumerate(row.indices)
            if j < n_words and weights[j] > 0
            and not COMMON_WORDS.intersection(self._word_names[j].split())
        ]
        contributions.sort(reverse=True)
        return [name for _score, name in contributions[:limit]]


def train(examples: list[LabelledDescription]) -> ProblemModel:
    """Fit the classifier; the same examples always give the same model."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion
    from sklearn.preprocessing import MultiLabelBinarizer

    texts = [e.text for e in examples]
    binarizer = MultiLabelBinarizer(classes=list(CODES))
    y = binarizer.fit_transform([e.labels for e in examples])
    features = FeatureUnion([
        ("words", TfidfVectorizer(preprocessor=normalise, ngram_range=(1, 2),
                                  token_pattern=r"[a-z0-9&]+",  # noqa: S106 - not a password
                                  sublinear_tf=True)),
        ("chars", TfidfVectorizer(preprocessor=normalise, analyzer="char_wb",
                                  ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
    ])
    x = features.fit_transform(texts)
    # The dual problem is the fast one when there are far more features than texts.
    classifier = OneVsRestClassifier(LogisticRegression(
        C=10.0, class_weight="balanced", solver="liblinear", dual=True, max_iter=1000,
        random_state=0))
    classifier.fit(x, y)
    return ProblemModel(features, classifier, tuple(CODES))


@lru_cache(maxsize=1)
def default_model() -> ProblemModel:
    """The model trained on the committed labelled and development sets, once per process."""
    return train(load_training())


def vocabulary(examples: list[LabelledDescription]) -> frozenset[str]:
    """Every word in the labelled set: known English for the language check."""
    words: set[str] = set()
    for example in examples:
        words.update(normalise(example.text).split())
    return frozenset(w.strip(".,!?;:()'\"") for w in words)

