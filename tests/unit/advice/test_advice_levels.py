import pytest

from linkwell.advice.levels import Indication, legal_aid_for, level_of_help, overall_legal_aid


@pytest.mark.parametrize("code,subs,others,expected", [
    ("housing", {"section_21"}, set(), "likely_in_scope"),
    ("housing", {"homelessness"}, set(), "likely_in_scope"),
    ("housing", {"disrepair"}, set(), "possibly_in_scope"),
    ("housing", {"deposit"}, set(), "likely_out_of_scope"),
    ("debt", {"council_tax_arrears"}, set(), "likely_out_of_scope"),
    ("debt", {"mortgage_arrears"}, set(), "likely_in_scope"),
    ("debt", {"priority_debt"}, {"housing"}, "likely_in_scope"),
    ("welfare_benefits", {"pip"}, set(), "likely_out_of_scope"),
    ("welfare_benefits", {"upper_tribunal"}, set(), "possibly_in_scope"),
    ("immigration", {"asylum"}, set(), "likely_in_scope"),
    ("immigration", {"leave_to_remain"}, set(), "likely_out_of_scope"),
    ("community_care", set(), set(), "likely_in_scope"),
    ("education", {"special_educational_needs"}, set(), "likely_in_scope"),
    ("education", {"admissions"}, set(), "likely_out_of_scope"),
    ("discrimination", set(), set(), "likely_in_scope"),
    ("employment", {"dismissal"}, set(), "likely_out_of_scope"),
    ("other", set(), set(), "likely_out_of_scope"),
])
def test_legal_aid_for_follows_laspo_scope(code, subs, others, expected):
    assert legal_aid_for(code, subs, {code} | others).value == expected


def test_overall_legal_aid_is_the_most_favourable():
    best = overall_legal_aid({"debt": Indication("likely_out_of_scope", "a"),
                              "housing": Indication("likely_in_scope", "b")})
    assert best.value == "likely_in_scope"


def _level(**kw):
    base = dict(understood=True, categories=[("debt", {"non_priority_debt"})],
                legal_aid=Indication("likely_out_of_scope", ""), has_deadlines=False,
                urgent=False, court_or_tribunal=False, confident=True)
    base.update(kw)
    return level_of_help(**base).value


def test_level_of_help_climbs_with_the_stakes():
    assert _level() == "self_help"
    assert _level(categories=[("debt", set())]) == "general_advice"
    assert _level(categories=[("debt", {"enforcement_agents"})]) == "specialist_casework"
    assert _level(has_deadlines=True) == "specialist_casework"
    assert _level(categories=[("debt", set()), ("housing", set())]) == "specialist_casework"
    assert _level(court_or_tribunal=True) == "legal_representation"
    assert _level(understood=False) == "general_advice"
    assert _level(confident=False) == "general_advice"
