"""Worked examples for every instrument, with the boundaries an off-by-one would break."""

import pytest

from linkwell.errors import InvalidInput
from linkwell.outcomes.instruments import get_instrument
from linkwell.outcomes.scoring import (
    Change,
    answers_from_list,
    classify_change,
    meaningful_change,
    parse_answer_list,
    score,
)

# The published SWEMWBS raw → metric conversion, written out independently of definitions/.
SWEMWBS_METRIC = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}


def answers_totalling(key: str, total: int) -> dict:
    """A complete form whose item values add up to ``total`` (items filled from the first)."""
    definition = get_instrument(key)
    values = [min(o.value for o in definition.options_for(i)) for i in definition.items]
    remaining = total - sum(values)
    for index, item in enumerate(definition.items):
        top = max(o.value for o in definition.options_for(item))
        step = min(top - values[index], remaining)
        values[index] += step
        remaining -= step
    assert remaining == 0
    return answers_from_list(definition, values)


def run(key: str, values: list) -> object:
    definition = get_instrument(key)
    return score(definition, answers_from_list(definition, values))


# --- WEMWBS --------------------------------------------------------------------------------

def test_wemwbs_all_ones_scores_14():
    result = run("wemwbs", [1] * 14)
    assert (result.raw, result.metric, result.band, result.complete) == (
        14, None, "Below average wellbeing", True)


def test_wemwbs_all_fives_scores_70():
    result = run("wemwbs", [5] * 14)
    assert (result.raw, result.band) == (70, "Above average wellbeing")


def test_wemwbs_worked_example_sums_all_fourteen_items():
    result = run("wemwbs", [4, 3, 3, 4, 2, 3, 4, 3, 4, 3, 4, 4, 3, 5])
    assert result.raw == 49
    assert result.total == 49
    assert result.band == "Average wellbeing"


@pytest.mark.parametrize(("total", "band"), [
    (40, "Below average wellbeing"), (44, "Below average wellbeing"),
    (45, "Average wellbeing"), (59, "Average wellbeing"), (60, "Above average wellbeing"),
])
def test_wemwbs_band_boundaries(total, band):
    result = score(get_instrument("wemwbs"), answers_totalling("wemwbs", total))
    assert (result.raw, result.band) == (total, band)


def test_wemwbs_one_missing_item_has_no_total():
    values = [5] * 14
    values[6] = None
    result = run("wemwbs", values)
    assert result.complete is False
    assert result.missing == ("7",)
    assert (result.raw, result.metric, result.band, result.total) == (None, None, None, None)
    assert result.item("8").score == 5


# --- SWEMWBS -------------------------------------------------------------------------------

def test_swemwbs_items_are_wemwbs_items_1_2_3_6_7_9_11():
    wemwbs = get_instrument("wemwbs")
    swemwbs = get_instrument("swemwbs")
    assert [i.link_id for i in swemwbs.items] == ["1", "2", "3", "6", "7", "9", "11"]
    for item in swemwbs.items:
        assert item.text == next(w.text for w in wemwbs.items if w.link_id == item.link_id)


def test_swemwbs_all_ones_is_metric_7():
    result = run("swemwbs", [1] * 7)
    assert (result.raw, result.metric, result.band) == (7, 7.00, None)


def test_swemwbs_all_fives_is_metric_35():
    result = run("swemwbs", [5] * 7)
    assert (result.raw, result.metric, result.band) == (35, 35.00, None)


@pytest.mark.parametrize(("raw", "metric"), sorted(SWEMWBS_METRIC.items()))
def test_swemwbs_converts_every_raw_score(raw, metric):
    result = score(get_instrument("swemwbs"), answers_totalling("swemwbs", raw))
    assert result.raw == raw
    assert result.metric == metric
    assert result.total == metric


def test_swemwbs_worked_example_from_the_issue():
    result = run("swemwbs", [3, 4, 2, 5, 3, 4, 4])
    assert (result.raw, result.metric, result.band) == (25, 22.35, None)


@pytest.mark.parametrize("raw", [7, 19, 20, 24, 31, 35])
def test_swemwbs_has_no_bands_as_no_published_cut_points_were_found(raw):
    result = score(get_instrument("swemwbs"), answers_totalling("swemwbs", raw))
    assert result.band is None


def test_no_wellbeing_band_is_labelled_as_a_diagnosis():
    for key in ("wemwbs", "swemwbs"):
        definition = get_instrument(key)
        assert not any("depression" in b.label.lower() for b in definition.scoring.bands)


def test_swemwbs_one_missing_item_has_no_raw_or_metric_score():
    result = run("swemwbs", [5, 5, 5, None, 5, 5, 5])
    assert (result.complete, result.raw, result.metric, result.band) == (False, None, None, None)
    assert result.missing == ("6",)


# --- ONS4 ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "band"), [
    (0, "Low"), (4, "Low"), (5, "Medium"), (6, "Medium"), (7, "High"), (8, "High"),
    (9, "Very high"), (10, "Very high"),
])
def test_ons4_positive_items_band_boundaries(value, band):
    result = run("ons4", [value, value, value, 0])
    for link_id in ("life_satisfaction", "worthwhile", "happiness"):
        assert result.item(link_id).score == value
        assert result.item(link_id).band == band


@pytest.mark.parametrize(("value", "band"), [
    (0, "Very low"), (1, "Very low"), (2, "Low"), (3, "Low"), (4, "Medium"), (5, "Medium"),
    (6, "High"), (10, "High"),
])
def test_ons4_anxiety_band_boundaries(value, band):
    assert run("ons4", [5, 5, 5, value]).item("anxiety").band == band


def test_ons4_is_reported_per_item_and_never_summed():
    result = run("ons4", [7, 8, 6, 3])
    assert (result.raw, result.metric, result.total, result.band) == (None, None, None, None)
    assert [i.score for i in result.items] == [7, 8, 6, 3]
    assert result.complete is True


def test_ons4_missing_item_leaves_the_others_scored():
    result = run("ons4", [7, None, 6, 3])
    assert result.complete is False
    assert result.missing == ("worthwhile",)
    assert result.item("worthwhile").score is None
    assert result.item("anxiety").band == "Low"


# --- Loneliness ----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "label"), [
    (5, "Often/always"), (4, "Some of the time"), (3, "Occasionally"), (2, "Hardly ever"),
    (1, "Never"),
])
def test_ons_loneliness_answer_is_the_result(value, label):
    result = run("ons_loneliness", [value])
    assert (result.raw, result.band, result.items[0].label) == (value, label, label)


def test_ons_loneliness_unanswered_has_no_result():
    result = run("ons_loneliness", [None])
    assert (result.complete, result.raw, result.band) == (False, None, None)


def test_ucla3_all_hardly_ever_scores_3():
    assert run("ucla3", [1, 1, 1]).raw == 3


def test_ucla3_all_often_scores_9():
    assert run("ucla3", [3, 3, 3]).raw == 9


def test_ucla3_worked_example():
    result = run("ucla3", [2, 3, 1])
    assert result.raw == 6
    assert [i.label for i in result.items] == ["Some of the time", "Often", "Hardly ever or never"]


def test_ucla3_one_missing_item_has_no_total():
    result = run("ucla3", [3, None, 3])
    assert (result.complete, result.raw, result.missing) == (False, None, ("left_out",))


# --- Bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "values", "named"), [
    ("wemwbs", [0] + [3] * 13, "item 1 (linkId '1')"),
    ("wemwbs", [3] * 13 + [6], "item 14 (linkId '14')"),
    ("swemwbs", [3, 3, 3, 6, 3, 3, 3], "item 4 (linkId '6')"),
    ("ons4", [5, 5, 11, 5], "linkId 'happiness'"),
    ("ons4", [-1, 5, 5, 5], "linkId 'life_satisfaction'"),
    ("ucla3", [1, 4, 1], "linkId 'left_out'"),
    ("ons_loneliness", [0], "linkId 'lonely'"),
])
def test_score_out_of_range_answer_is_refused_naming_the_item(key, values, named):
    with pytest.raises(InvalidInput) as error:
        run(key, values)
    assert named in error.value.detail


def test_score_refuses_a_boolean_answer():
    definition = get_instrument("ucla3")
    with pytest.raises(InvalidInput, match="companionship"):
        score(definition, {"companionship": True, "left_out": 1, "isolated": 1})


def test_score_refuses_an_unknown_item():
    with pytest.raises(InvalidInput, match="no item 'mood'"):
        score(get_instrument("ucla3"), {"mood": 1})


def test_score_reports_every_bad_item_at_once():
    with pytest.raises(InvalidInput) as error:
        run("ucla3", [0, 2, 7])
    assert [e["loc"] for e in error.value.errors] == ["companionship", "isolated"]


def test_answers_from_list_refuses_the_wrong_number_of_answers():
    with pytest.raises(InvalidInput, match="7 items; 6 answers"):
        answers_from_list(get_instrument("swemwbs"), [3] * 6)


def test_parse_answer_list_reads_blanks_as_missing():
    assert parse_answer_list("3, 4,,5") == [3, 4, None, 5]


def test_parse_answer_list_refuses_words():
    with pytest.raises(InvalidInput, match="answer 2"):
        parse_answer_list("3,often")


# --- Meaningful change ---------------------------------------------------------------------

def test_classify_change_exactly_threshold_is_improved():
    assert classify_change(20.0, 23.0, threshold=3, higher_is_better=True) is Change.IMPROVED


def test_classify_change_just_below_threshold_is_no_meaningful_change():
    assert classify_change(20.0, 22.99, threshold=3,
                           higher_is_better=True) is Change.NO_MEANINGFUL_CHANGE


def test_classify_change_exactly_threshold_down_is_worsened():
    assert classify_change(23.0, 20.0, threshold=3, higher_is_better=True) is Change.WORSENED


def test_classify_change_is_exact_for_two_decimal_metric_scores():
    # 24.54 - 21.54 is 2.9999999999999982 in binary floating point.
    assert classify_change(21.54, 24.54, threshold=3, higher_is_better=True) is Change.IMPROVED


def test_classify_change_lower_is_better_reverses_the_direction():
    assert classify_change(6, 5, threshold=1, higher_is_better=False) is Change.IMPROVED
    assert classify_change(5, 6, threshold=1, higher_is_better=False) is Change.WORSENED


@pytest.mark.parametrize(("before", "after", "change", "difference"), [
    (40, 43, Change.IMPROVED, 3), (40, 42, Change.NO_MEANINGFUL_CHANGE, 2),
    (43, 40, Change.WORSENED, -3), (43, 41, Change.NO_MEANINGFUL_CHANGE, -2),
])
def test_meaningful_change_wemwbs_three_points(before, after, change, difference):
    definition = get_instrument("wemwbs")
    baseline = score(definition, answers_totalling("wemwbs", before))
    follow_up = score(definition, answers_totalling("wemwbs", after))
    (result,) = meaningful_change(definition, baseline, follow_up)
    assert (result.measure, result.change, result.difference) == ("total", change, difference)


def test_meaningful_change_swemwbs_uses_metric_points():
    definition = get_instrument("swemwbs")
    # raw 20 → 23 is 18.59 → 20.73: 3 raw points but only 2.14 metric points.
    baseline = score(definition, answers_totalling("swemwbs", 20))
    follow_up = score(definition, answers_totalling("swemwbs", 23))
    (result,) = meaningful_change(definition, baseline, follow_up)
    assert result.change is Change.NO_MEANINGFUL_CHANGE
    assert result.difference == pytest.approx(2.14)
    (lenient,) = meaningful_change(definition, baseline, follow_up, threshold=1)
    assert lenient.change is Change.IMPROVED


def test_meaningful_change_swemwbs_three_metric_points_improves():
    definition = get_instrument("swemwbs")
    baseline = score(definition, answers_totalling("swemwbs", 30))  # 27.03
    follow_up = score(definition, answers_totalling("swemwbs", 32))  # 29.31: +2.28
    assert meaningful_change(definition, baseline, follow_up)[0].change is (
        Change.NO_MEANINGFUL_CHANGE)
    follow_up = score(definition, answers_totalling("swemwbs", 33))  # 30.70: +3.67
    assert meaningful_change(definition, baseline, follow_up)[0].change is Change.IMPROVED


def test_ons4_ucla3_and_ons_loneliness_have_no_unsourced_threshold():
    """No published minimal important change exists for them: a change is its size only."""
    for key in ("ons4", "ucla3", "ons_loneliness"):
        assert get_instrument(key).scoring.meaningful_change is None
        assert "No published minimal important change" in get_instrument(key).source
    changes = meaningful_change(get_instrument("ons4"), run("ons4", [5, 5, 5, 5]),
                                run("ons4", [6, 5, 4, 4]))
    assert [(c.measure, c.difference, c.change, c.threshold) for c in changes] == [
        ("life_satisfaction", 1.0, None, None), ("worthwhile", 0.0, None, None),
        ("happiness", -1.0, None, None), ("anxiety", -1.0, None, None)]


def test_meaningful_change_ons4_per_item_with_anxiety_lower_is_better():
    definition = get_instrument("ons4")
    baseline = run("ons4", [5, 5, 5, 5])
    follow_up = run("ons4", [6, 5, 4, 4])
    changes = {c.measure: c.change for c in meaningful_change(definition, baseline, follow_up,
                                                              threshold=1)}
    assert changes == {
        "life_satisfaction": Change.IMPROVED,
        "worthwhile": Change.NO_MEANINGFUL_CHANGE,
        "happiness": Change.WORSENED,
        "anxiety": Change.IMPROVED,
    }


def test_meaningful_change_ons4_threshold_is_configurable():
    definition = get_instrument("ons4")
    changes = meaningful_change(definition, run("ons4", [5, 5, 5, 5]),
                                run("ons4", [6, 5, 5, 4]), threshold=2)
    assert {c.change for c in changes} == {Change.NO_MEANINGFUL_CHANGE}


def test_meaningful_change_ucla3_lower_is_better():
    definition = get_instrument("ucla3")
    (result,) = meaningful_change(definition, run("ucla3", [2, 2, 2]), run("ucla3", [2, 2, 1]),
                                  threshold=1)
    assert result.change is Change.IMPROVED


def test_meaningful_change_leaves_out_scores_missing_at_either_point():
    definition = get_instrument("ons4")
    changes = meaningful_change(definition, run("ons4", [5, None, 5, 5]),
                                run("ons4", [6, 7, 5, None]))
    assert [c.measure for c in changes] == ["life_satisfaction", "happiness"]
    wemwbs = get_instrument("wemwbs")
    incomplete = run("wemwbs", [None] + [3] * 13)
    assert meaningful_change(wemwbs, incomplete, run("wemwbs", [4] * 14)) == []


def test_meaningful_change_refuses_different_instruments():
    with pytest.raises(InvalidInput, match="same instrument"):
        meaningful_change(get_instrument("ucla3"), run("ucla3", [1, 1, 1]),
                          run("swemwbs", [1] * 7))
