"""Property: raising any one item's score never lowers the result, for every instrument."""

from hypothesis import given
from hypothesis import strategies as st

from linkwell.outcomes.instruments import builtin_instruments, parse_definition
from linkwell.outcomes.scoring import score

# A local instrument with a reverse-scored item, so the property covers reverse scoring too.
MIXED = parse_definition({
    "key": "mixed", "shortName": "Mixed", "name": "Mixed test instrument",
    "options": [{"value": v, "label": f"option {v}"} for v in (0, 1, 2, 3)],
    "items": [
        {"linkId": "a", "text": "A"},
        {"linkId": "b", "text": "B (reverse-scored)", "reverseScored": True},
        {"linkId": "c", "text": "C"},
    ],
    "scoring": {"rule": "sum", "missingItems": "no_total", "meaningfulChange": 1},
})
DEFINITIONS = [*builtin_instruments().values(), MIXED]


@st.composite
def form_and_raise(draw):
    """A complete form, one item in it, and an answer to that item that scores higher."""
    definition = draw(st.sampled_from(DEFINITIONS))
    answers = {
        item.link_id: draw(st.sampled_from([o.value for o in definition.options_for(item)]))
        for item in definition.items
    }
    item = draw(st.sampled_from(definition.items))
    current = definition.item_score(item, answers[item.link_id])
    higher = [o.value for o in definition.options_for(item)
              if definition.item_score(item, o.value) > current]
    if not higher:
        answers[item.link_id] = next(
            o.value for o in definition.options_for(item)
            if definition.item_score(item, o.value) == min(definition.item_scores(item)))
        higher = [o.value for o in definition.options_for(item)
                  if definition.item_score(item, o.value) > min(definition.item_scores(item))]
    return definition, answers, item, draw(st.sampled_from(higher))


@given(form_and_raise())
def test_scoring_is_monotone_in_every_item(case):
    definition, answers, item, higher_value = case
    before = score(definition, answers)
    after = score(definition, {**answers, item.link_id: higher_value})
    assert after.item(item.link_id).score > before.item(item.link_id).score
    if definition.scoring.rule == "per_item":
        for other in definition.items:
            if other.link_id != item.link_id:
                assert after.item(other.link_id).score == before.item(other.link_id).score
    else:
        assert after.raw > before.raw
        assert after.total >= before.total


def test_reverse_scored_item_mirrors_within_its_options():
    result = score(MIXED, {"a": 0, "b": 0, "c": 0})
    assert result.item("b").score == 3
    assert result.raw == 3
    assert score(MIXED, {"a": 3, "b": 3, "c": 3}).raw == 6
