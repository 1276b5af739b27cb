"""The statistical half of issue spotting, as it runs at triage time: NumPy only.

The model (TF-IDF word and character n-grams, one logistic regression per category) is fitted
by ``linkwell advice build-model`` (``linkwell.advice.training``, which needs scikit-learn) and
shipped as arrays in ``data/model.npz``. Here those arrays are read and applied with the same
arithmetic scikit-learn uses, so ``linkwell advice triage`` starts without importing
scikit-learn. Word features explain a decision ("the model weighed: 'landlord', 'notice'");
character n-grams carry misspellings the phrase rules miss.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from linkwell.advice.categories import CODES
from linkwell.advice.held_out_sets import RETIRED_SETS
from linkwell.advice.language import COMMON_WORDS
from linkwell.advice.text import normalise

LABELLED_SET = "labelled_descriptions.csv"
# Enquiries written by independent writers from one-line case briefs (data/README.md): the
# development set, and every held-out set retired into development data after it was scored
# (data/held_out_sets.json). The model learns from all of them; a frozen held-out set never.
DEVELOPMENT_SET = "enquiries_dev.jsonl"
DEVELOPMENT_SETS = (DEVELOPMENT_SET, *(retired.copy for retired in RETIRED_SETS))
MODEL_FILE = "model.npz"
# The word features' tokens (the same pattern the model was fitted with).
WORD_TOKEN = re.compile(r"[a-z0-9&]+")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)


@dataclass(frozen=True)
class LabelledDescription:
    text: str
    labels: tuple[str, ...]  # the first label is the main problem
    # Whether the writer labelled the case urgent (enquiry sets only; None in the labelled set).
    urgent: bool | None = None


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
                    row["primary"], *(s for s in row["secondary"] if s != row["primary"])),
                    bool(row["urgent"])))
    return rows


def load_training() -> list[LabelledDescription]:
    """Everything the shipped model learns from: the labelled set and the development sets."""
    rows = load_labelled()
    for name in DEVELOPMENT_SETS:
        rows += load_development(name)
    return rows


def word_terms(text: str) -> list[str]:
    """The word unigrams and bigrams of ``text``, as the word vectoriser counts them."""
    words = WORD_TOKEN.findall(normalise(text))
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def char_terms(text: str) -> list[str]:
    """Character 3- to 5-grams inside each word padded with spaces (scikit-learn's char_wb)."""
    grams: list[str] = []
    low, high = CHAR_NGRAMS
    for word in normalise(text).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:  # a short word counts once, whole
                grams.append(padded)
                break
            grams.extend(padded[i:i + n] for i in range(size - n + 1))
    return grams


class _Vectoriser:
    """TF-IDF with sublinear term frequency and unit length, from a vocabulary and its IDF."""

    def __init__(self, names: list[str], idf: np.ndarray, terms, offset: int):
        self.names = names
        self.index = {name: i + offset for i, name in enumerate(names)}
        self.idf = idf
        self.offset = offset
        self.terms = terms

    def features(self, text: str) -> tuple[list[int], list[float]]:
        counts = Counter(t for t in self.terms(text) if t in self.index)
        columns = sorted(self.index[t] for t in counts)
        if not columns:
            return [], []
        by_column = {self.index[t]: c for t, c in counts.items()}
        values = [(1.0 + math.log(by_column[j])) * self.idf[j - self.offset] for j in columns]
        length = math.sqrt(sum(v * v for v in values))
        return columns, [v / length for v in values]


class ProblemModel:
    """A fitted classifier: probability per category and the words behind it, and which
    category is the main problem."""

    def __init__(self, *, word_names: list[str], word_idf: np.ndarray, char_names: list[str],
                 char_idf: np.ndarray, weights: np.ndarray, intercepts: np.ndarray,
                 main_weights: np.ndarray, main_intercepts: np.ndarray,
                 classes: tuple[str, ...], urgent_weights: np.ndarray | None = None,
                 urgent_intercept: float = 0.0):
        self.classes = classes
        # Which problem is the main one: one logistic regression per category on the same
        # features, fitted on the main (first) label alone. The per-category weights above
        # learn every label a text has, so they say which problems are there, not which leads.
        self.main_weights = main_weights  # features x categories
        self.main_intercepts = main_intercepts
        # The urgency safety net: a logistic regression on the same features, fitted on the
        # enquiry sets' urgent / not urgent labels (None: a model without it).
        self.urgent_weights = urgent_weights
        self.urgent_intercept = urgent_intercept
        self._words = _Vectoriser(word_names, word_idf, word_terms, 0)
        self._chars = _Vectoriser(char_names, char_idf, char_terms, len(word_names))
        self.weights = weights  # features x categories
        self.intercepts = intercepts
        self._last: tuple[str, tuple[list[int], np.ndarray]] | None = None

    def _row(self, text: str) -> tuple[list[int], np.ndarray]:
        """The features of one text; triage asks for them several times in a row."""
        last = self._last  # one read: another thread may replace it meanwhile
        if last is None or last[0] != text:
            word_cols, word_vals = self._words.features(text)
            char_cols, char_vals = self._chars.features(text)
            last = (text, (word_cols + char_cols, np.array(word_vals + char_vals)))
            self._last = last
        return last[1]

    def _predict(self, text: str) -> np.ndarray:
        columns, values = self._row(text)
        logits = values @ self.weights[columns] + self.intercepts
        return 1.0 / (1.0 + np.exp(-logits))

    def probabilities(self, text: str) -> dict[str, float]:
        probs = self._predict(text)
        return {code: float(p) for code, p in zip(self.classes, probs, strict=True)}

    def main_problem(self, text: str) -> dict[str, float]:
        """How likely each category is to be the one the writers would put first."""
        columns, values = self._row(text)
        logits = values @ self.main_weights[columns] + self.main_intercepts
        return {code: float(p) for code, p in
                zip(self.classes, 1.0 / (1.0 + np.exp(-logits)), strict=True)}

    def urgent_probability(self, text: str) -> float | None:
        """How much ``text`` reads like the enquiries writers labelled urgent (0-1), or None
        when the model has no safety net."""
        if self.urgent_weights is None:
            return None
        columns, values = self._row(text)
        logit = float(values @ self.urgent_weights[columns]) + self.urgent_intercept
        return 1.0 / (1.0 + math.exp(-logit))

    def probabilities_many(self, texts: list[str]) -> list[dict[str, float]]:
        return [self.probabilities(text) for text in texts]

    def explain(self, text: str, code: str, limit: int = 4) -> list[str]:
        """The words and word pairs in ``text`` that pushed the model most towards ``code``."""
        columns, values = self._row(text)
        weights = self.weights[:, self.classes.index(code)]
        names = self._words.names
        contributions = [
            (value * weights[j], names[j])
            for j, value in zip(columns, values, strict=True)
            if j < len(names) and weights[j] > 0
            and not COMMON_WORDS.intersection(names[j].split())
        ]
        contributions.sort(reverse=True)
        return [name for _score, name in contributions[:limit]]

    def arrays(self) -> dict[str, np.ndarray]:
        """The model as the arrays ``data/model.npz`` holds."""
        def text(names: list[str]) -> np.ndarray:
            return np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8)

        arrays = {"classes": text(list(self.classes)), "word_names": text(self._words.names),
                  "word_idf": self._words.idf, "char_names": text(self._chars.names),
                  "char_idf": self._chars.idf, "weights": self.weights,
                  "intercepts": self.intercepts, "main_weights": self.main_weights,
                  "main_intercepts": self.main_intercepts}
        if self.urgent_weights is not None:
            arrays["urgent_weights"] = self.urgent_weights
            arrays["urgent_intercept"] = np.array([self.urgent_intercept])
        return arrays

    @classmethod
    def from_arrays(cls, arrays) -> ProblemModel:
        def names(key: str) -> list[str]:
            return arrays[key].tobytes().decode("utf-8").split("\n")

        return cls(word_names=names("word_names"), word_idf=arrays["word_idf"],
                   char_names=names("char_names"), char_idf=arrays["char_idf"],
                   weights=arrays["weights"], intercepts=arrays["intercepts"],
                   main_weights=arrays["main_weights"],
                   main_intercepts=arrays["main_intercepts"],
                   classes=tuple(names("classes")),
                   urgent_weights=arrays.get("urgent_weights"),
                   urgent_intercept=float(arrays["urgent_intercept"][0])
                   if "urgent_intercept" in arrays else 0.0)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, **self.arrays())

    @classmethod
    def load(cls, source) -> ProblemModel:
        with np.load(source) as arrays:
            return cls.from_arrays({key: arrays[key] for key in arrays.files})


@lru_cache(maxsize=1)
def default_model() -> ProblemModel:
    """The shipped model (``data/model.npz``, made by ``linkwell advice build-model``)."""
    with (resources.files("linkwell.advice") / "data" / MODEL_FILE).open("rb") as handle:
        return ProblemModel.load(handle)


def vocabulary(examples: list[LabelledDescription]) -> frozenset[str]:
    """Every word in the labelled set: known English for the language check."""
    words: set[str] = set()
    for example in examples:
        words.update(normalise(example.text).split())
    return frozenset(w.strip(".,!?;:()'\"") for w in words)
