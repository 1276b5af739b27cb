"""Instrument definitions are data, validated on save; a bad local instrument never loads."""

import copy

import pytest

from linkwell.errors import InvalidInput, NotFound
from linkwell.outcomes.instruments import builtin_instruments, get_instrument, parse_definition
from linkwell.outcomes.scoring import score

LOCAL = {
    "key": "allotment_confidence",
    "shortName": "Confidence",
    "name": "Allotment project confidence check",
    "version": "2",
    "preamble": "Think about the last month.",
    "options": [{"value": 1, "label": "Not at all"}, {"value": 2, "label": "A little"},
                {"value": 3, "label": "A lot"}],
    "items": [
        {"linkId": "meet", "text": "I feel confident meeting new people"},
        {"linkId": "ask", "text": "I feel confident asking for help"},
        {"linkId": "worry", "text": "I worry about going out", "reverseScored": True},
    ],
    "scoring": {
        "rule": "sum", "missingItems": "no_total", "meaningfulChange": 2,
        "bands": [{"label": "Low", "min": 3, "max": 5}, {"label": "Medium", "min": 6, "max": 7},
                  {"label": "High", "min": 8, "max": 9}],
    },
}


def local(**changes) -> dict:
    data = copy.deepcopy(LOCAL)
    for path, value in changes.items():
        target = data
        *parents, leaf = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[leaf] = value
    return data


def test_builtin_instruments_are_the_five_validated_ones():
    assert list(builtin_instruments()) == ["wemwbs", "swemwbs", "ons4", "ons_loneliness", "ucla3"]


@pytest.mark.parametrize(("key", "items", "low", "high"), [
    ("wemwbs", 14, 14, 70), ("swemwbs", 7, 7, 35), ("ons_loneliness", 1, 1, 5),
    ("ucla3", 3, 3, 9),
])
def test_builtin_instrument_ranges(key, items, low, high):
    definition = get_instrument(key)
    assert len(definition.items) == items
    assert definition.raw_range == (low, high)


def test_wemwbs_family_carries_the_authors_attribution():
    for key in ("wemwbs", "swemwbs"):
        assert ("© NHS Health Scotland, University of Warwick and University of Edinburgh"
                in get_instrument(key).copyright)
    assert "2008, all rights reserved" in get_instrument("swemwbs").copyright


def test_get_instrument_unknown_key_lists_the_known_ones():
    with pytest.raises(NotFound, match="choose one of: wemwbs, swemwbs"):
        get_instrument("phq9")


def test_local_instrument_scores_without_code():
    definition = parse_definition(LOCAL)
    result = score(definition, {"meet": 3, "ask": 2, "worry": 1})
    assert (result.raw, result.band) == (8, "High")


@pytest.mark.parametrize(("changes", "message"), [
    ({"items__1__linkId": "meet"}, "linkId must be unique; repeated: meet"),
    ({"options": []}, "item 'meet' has no response options"),
    ({"items__0__options": [{"value": 1, "label": "Yes"}, {"value": 1, "label": "No"}]},
     "repeats an option value"),
    ({"scoring__bands": [{"label": "Low", "min": 3, "max": 5},
                         {"label": "High", "min": 7, "max": 9}]}, "gap: no band contains 6"),
    ({"scoring__bands": [{"label": "Low", "min": 3, "max": 6},
                         {"label": "High", "min": 6, "max": 9}]}, "overlap at 6"),
    ({"scoring__bands": [{"label": "Low", "min": 3, "max": 9},
                         {"label": "Off the scale", "min": 10, "max": 12}]}, "outside the score"),
    ({"scoring__bands": [{"label": "Low", "min": 5, "max": 3}]}, "is above max"),
    ({"scoring__rule": "sum_converted", "scoring__conversion": [1.0, 2.0]},
     "one value per raw score 3–9 (7 values), not 2"),
    ({"scoring__rule": "sum_converted", "scoring__bands": [],
      "scoring__conversion": [1, 2, 3, 4, 3, 5, 6]}, "must not decrease"),
    ({"scoring__conversion": [1, 2, 3, 4, 5, 6, 7]}, "only used with the sum_converted rule"),
    ({"scoring__rule": "single_item"}, "exactly one item"),
    ({"scoring__missingItems": "score_answered"}, "must use missingItems 'no_total'"),
    ({"scoring__meaningfulChange": 0}, "greater than 0"),
    ({"key": "Has Spaces"}, "should match pattern"),
    ({"items__0__bands": [{"label": "Low", "min": 1, "max": 3}]}, "only used with the per_item"),
    ({"colour": "blue"}, "Extra inputs are not permitted"),
])
def test_parse_definition_refuses_an_inconsistent_instrument(changes, message):
    with pytest.raises(InvalidInput) as error:
        parse_definition(local(**changes))
    assert message in error.value.detail
    assert error.value.errors


def test_parse_definition_per_item_bands_must_cover_each_item():
    ons4 = get_instrument("ons4").model_dump(by_alias=True, exclude_none=True)
    ons4["items"][3]["bands"] = [{"label": "Low", "min": 0, "max": 5}]
    with pytest.raises(InvalidInput, match="item 'anxiety' leave a gap: no band contains 6"):
        parse_definition(ons4)


def test_builtin_definitions_round_trip_through_the_validator():
    for definition in builtin_instruments().values():
        dumped = definition.model_dump(by_alias=True, exclude_none=True)
        assert parse_definition(dumped) == definition
