import json

import numpy as np
import pytest
from evaluation_lsoa import make_lsoa_frame

from linkwell.evaluation.disclosure import CONFIDENTIAL, SUPPRESSED, THRESHOLD
from linkwell.evaluation.engine import evaluate, json_ready
from linkwell.evaluation.inputs import load
from linkwell.evaluation.report import render_html
from linkwell.evaluation.simulate import TRUE_CHANGE_SD, simulate, true_change


@pytest.fixture
def lsoa_frame():
    return make_lsoa_frame()


def _frames(lsoa_frame, n=1500, comparison=300, seed=4):
    data = simulate(lsoa_frame, n, seed=seed, comparison=comparison)
    return load(people=data.people, measurements=data.measurements, lsoa=lsoa_frame,
                comparison=data.comparison, funding=data.funding, services=data.services,
                capacity=data.capacity)


def _counts(node, keys=("referrals", "people", "completed_episodes", "n_baseline",
                        "n_follow_up", "n_paired")):
    """Every count published anywhere in the result."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and not isinstance(value, (dict, list)):
                yield value
            else:
                yield from _counts(value, keys)
    elif isinstance(node, list):
        for item in node:
            yield from _counts(item, keys)


@pytest.mark.slow
def test_evaluate_evaluator_has_every_analysis(lsoa_frame):
    timings = {}
    result = evaluate(_frames(lsoa_frame), audience="evaluator", timings=timings)

    assert {"reach", "outcomes", "attrition", "comparison", "cost"} <= set(result)
    wemwbs = result["outcomes"]["wemwbs"]
    for field in ("n_baseline", "n_follow_up", "n_paired", "attrition_rate", "mean_baseline",
                  "mean_follow_up", "mean_change", "ci95", "p_t", "p_wilcoxon", "cohen_dz",
                  "improved_share", "worsened_share"):
        assert field in wemwbs
    assert set(wemwbs["by"]) == {"imd_quintile", "borough", "sex", "age_band"}
    assert result["comparison"]["instruments"]["wemwbs"]["did"]["possible"]
    assert result["cost"]["available"] and result["reach"]["access"]["available"]
    assert {"reach", "outcomes", "attrition", "comparison", "cost"} <= set(timings)
    json.dumps(json_ready(result), allow_nan=False)


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["public", "commissioner"])
def test_evaluate_protected_audiences_publish_no_small_counts(lsoa_frame, audience):
    result = evaluate(_frames(lsoa_frame, n=400, comparison=0), audience=audience)

    counts = list(_counts(result))
    assert counts
    for value in counts:
        assert value in (SUPPRESSED, CONFIDENTIAL, None) or value >= THRESHOLD
        if audience == "public" and isinstance(value, int):
            assert value % 5 == 0
    assert result["comparison"]["design"] == "pre-post only"


@pytest.mark.slow
def test_evaluate_recovers_known_effect_by_quintile(lsoa_frame):
    data = simulate(lsoa_frame, 6000, seed=9, integer_scores=False, with_extras=False)
    frames = load(people=data.people, measurements=data.measurements, lsoa=lsoa_frame)
    result = evaluate(frames, audience="evaluator", with_psm=False)

    rows = result["outcomes"]["wemwbs"]["by"]["imd_quintile"]
    estimates = [r["mean_change"] for r in rows]
    truths = [true_change("wemwbs", q) for q in sorted(TRUE_CHANGE_SD)]
    assert np.corrcoef(estimates, truths)[0, 1] > 0.8  # benefit falls with affluence
    for row, truth in zip(rows, truths, strict=True):
        assert row["ci95"][0] - 1 < truth < row["ci95"][1] + 1


@pytest.mark.slow
def test_render_html_is_self_contained(lsoa_frame):
    result = evaluate(_frames(lsoa_frame), audience="commissioner")
    html = render_html(result)

    assert html.count("<svg") >= 3
    assert "<script" not in html and 'src="http' not in html and "href=\"http" not in html
    assert "Methods and limitations" in html and "Open Government Licence" in html


@pytest.mark.slow
def test_evaluate_same_result_whatever_the_row_order(lsoa_frame):
    data = simulate(lsoa_frame, 800, seed=12, comparison=200)
    shuffled = data.measurements.sample(frac=1, random_state=3)

    def run(measurements):
        frames = load(people=data.people, measurements=measurements, lsoa=lsoa_frame,
                      comparison=data.comparison)
        result = evaluate(frames, audience="evaluator")
        return {k: result[k] for k in ("outcomes", "attrition", "comparison")}

    assert run(data.measurements) == run(shuffled)
