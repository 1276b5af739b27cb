import numpy as np

from linkwell.advice.classifier import default_model, load_development, load_training


def test_fast_probabilities_are_the_classifiers_own():
    model = default_model()
    texts = [e.text for e in load_training()[::40]]
    fast = np.array([[p[c] for c in model.classes] for p in model.probabilities_many(texts)])
    slow = model._classifier.predict_proba(model._features.transform(texts))
    assert np.allclose(fast, slow, atol=1e-12)
    one = model.probabilities(texts[0])
    assert np.allclose([one[c] for c in model.classes], slow[0], atol=1e-12)


def test_development_set_trains_the_model_with_its_primary_label_first():
    development = load_development()
    assert len(development) >= 150
    assert all(e.labels[0] not in e.labels[1:] for e in development)
