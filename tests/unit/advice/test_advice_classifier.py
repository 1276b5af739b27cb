import subprocess
import sys

import numpy as np

from linkwell.advice import training
from linkwell.advice.classifier import (
    ProblemModel,
    default_model,
    load_development,
    load_training,
)


def test_numpy_scoring_gives_scikit_learns_probabilities():
    examples = load_training()
    fitted = training.fit(examples)
    model = training.train(examples)
    texts = [e.text for e in examples[::40]] + [
        "bailifs cam yesterdy, i owe counsil tax", "x", "£££", "a b c d e f"]
    expected = fitted.classifier.predict_proba(fitted.transform(texts))
    got = np.array([[p[c] for c in model.classes] for p in model.probabilities_many(texts)])
    # Single-precision weights: the same probabilities to within one in a million.
    assert np.allclose(got, expected, atol=1e-6)


def test_the_shipped_model_is_what_build_model_makes_from_the_committed_data(tmp_path):
    built = training.build(tmp_path / "model.npz").arrays()
    shipped = ProblemModel.load(training.MODEL_PATH).arrays()
    assert built.keys() == shipped.keys()
    for key, array in built.items():
        assert shipped[key].dtype == array.dtype, key
        assert np.array_equal(shipped[key], array), (
            f"{key} differs: run `linkwell advice build-model` and commit data/model.npz")


def test_a_saved_model_scores_as_the_one_in_memory(tmp_path):
    model = training.train(load_training()[::4])
    model.save(tmp_path / "m.npz")
    loaded = ProblemModel.load(tmp_path / "m.npz")
    text = "my landlord has given me a section 21 notice and I am behind on rent"
    assert loaded.probabilities(text) == model.probabilities(text)
    assert loaded.explain(text, "housing") == model.explain(text, "housing")
    assert "landlord" in " ".join(loaded.explain(text, "housing"))


def test_triage_imports_no_scikit_learn_or_scipy():
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from linkwell.advice.triage import triage\n"
        "result = triage('the bailiffs are coming tomorrow about my council tax', "
        "today=date(2026, 12, 4))\n"
        "assert result.codes[0] == 'debt', result.codes\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy'}))\n")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    assert out.strip() == "[]"


def test_the_shipped_model_loads_once_with_every_category():
    model = default_model()
    assert model is default_model()
    probabilities = model.probabilities("I was sacked from my job yesterday")
    assert max(probabilities, key=probabilities.get) == "employment"


def test_development_set_trains_the_model_with_its_primary_label_first():
    development = load_development()
    assert len(development) >= 150
    assert all(e.labels[0] not in e.labels[1:] for e in development)
