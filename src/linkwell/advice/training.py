"""Fitting the issue-spotting model with scikit-learn: ``linkwell advice build-model`` and the
cross-validation in ``accuracy``. Triage never imports this module (scikit-learn takes about a
second to import); it reads the arrays written here from ``data/model.npz``.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from linkwell.advice.categories import CODES
from linkwell.advice.classifier import (
    CHAR_NGRAMS,
    MODEL_FILE,
    WORD_NGRAMS,
    WORD_TOKEN,
    LabelledDescription,
    ProblemModel,
    load_training,
)
from linkwell.advice.text import normalise

MODEL_PATH = Path(__file__).resolve().parent / "data" / MODEL_FILE


@dataclass(frozen=True)
class Fitted:
    """The scikit-learn objects of one fit, before they are turned into arrays."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    classifier: OneVsRestClassifier
    main: OneVsRestClassifier
    urgent: LogisticRegression | None = None

    def transform(self, texts: list[str]) -> csr_matrix:
        return hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()


def fit(examples: list[LabelledDescription]) -> Fitted:
    """Fit the vectorisers and the one-vs-rest logistic regressions; deterministic."""
    texts = [e.text for e in examples]
    y = MultiLabelBinarizer(classes=list(CODES)).fit_transform([e.labels for e in examples])
    words = TfidfVectorizer(preprocessor=normalise, ngram_range=WORD_NGRAMS,
                            token_pattern=WORD_TOKEN.pattern, sublinear_tf=True)
    chars = TfidfVectorizer(preprocessor=normalise, analyzer="char_wb",
                            ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=2)
    x = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    classifier = _one_vs_rest()
    classifier.fit(x, y)
    # Which problem leads: the same regressions fitted on the main (first) label alone.
    main = _one_vs_rest()
    main.fit(x, MultiLabelBinarizer(classes=list(CODES)).fit_transform(
        [e.labels[:1] for e in examples]))
    # The urgency safety net, on the same features: the enquiries labelled urgent or not.
    labelled = [i for i, e in enumerate(examples) if e.urgent is not None]
    urgent = None
    if len({examples[i].urgent for i in labelled}) == 2:
        urgent = _regression()
        urgent.fit(x[labelled], [bool(examples[i].urgent) for i in labelled])
    return Fitted(words, chars, classifier, main, urgent)


def _regression() -> LogisticRegression:
    # The dual problem is the fast one when there are far more features than texts.
    return LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear", dual=True,
                              max_iter=1000, random_state=0)


def _one_vs_rest() -> OneVsRestClassifier:
    return OneVsRestClassifier(_regression())


def train(examples: list[LabelledDescription]) -> ProblemModel:
    """Fit the classifier and keep only the arrays triage scores with, in single precision
    (half the size shipped; probabilities move by less than one in a million)."""
    fitted = fit(examples)
    estimators = fitted.classifier.estimators_
    words, chars = fitted.words, fitted.chars
    return ProblemModel(
        word_names=list(words.get_feature_names_out()), word_idf=words.idf_.astype(np.float32),
        char_names=list(chars.get_feature_names_out()), char_idf=chars.idf_.astype(np.float32),
        weights=np.column_stack([e.coef_[0] for e in estimators]).astype(np.float32),
        intercepts=np.array([e.intercept_[0] for e in estimators]),
        main_weights=np.column_stack([e.coef_[0] for e in fitted.main.estimators_])
        .astype(np.float32),
        main_intercepts=np.array([e.intercept_[0] for e in fitted.main.estimators_]),
        classes=tuple(CODES),
        urgent_weights=None if fitted.urgent is None
        else fitted.urgent.coef_[0].astype(np.float32),
        urgent_intercept=0.0 if fitted.urgent is None else float(fitted.urgent.intercept_[0]))


def build(path: Path = MODEL_PATH) -> ProblemModel:
    """Train on the committed labelled and development sets and write the shipped model."""
    model = train(load_training())
    model.save(path)
    return model
