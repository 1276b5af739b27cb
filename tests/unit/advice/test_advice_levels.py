import pytest

from linkwell.advice.levels import (
    Indication,
    legal_aid_for,
    level_of_help,
    overall_legal_aid,
    scope_signals,
)


@pytest.mark.parametrize("code,subs,expected", [
    ("housing", {"section_21"}, "likely_in_scope"),
    ("housing", {"homelessness"}, "likely_in_scope"),
    ("housing", {"disrepair"}, "possibly_in_scope"),
    ("housing", {"deposit"}, "likely_out_of_scope"),
    ("debt", {"council_tax_arrears"}, "likely_out_of_scope"),
    ("debt", {"mortgage_arrears"}, "likely_in_scope"),
    # Rent arrears are a housing matter (possession); debt itself is in scope only where the
    # home is at risk through the debt (LASPO Sch. 1 para. 33).
    ("debt", {"priority_debt"}, "likely_out_of_scope"),
    ("welfare_benefits", {"pip"}, "likely_out_of_scope"),
    ("welfare_benefits", {"upper_tribunal"}, "possibly_in_scope"),
    ("immigration", {"asylum"}, "likely_in_scope"),
    ("immigration", {"leave_to_remain"}, "likely_out_of_scope"),
    ("community_care", set(), "likely_in_scope"),
    ("education", {"special_educational_needs"}, "likely_in_scope"),
    ("education", {"admissions"}, "likely_out_of_scope"),
    ("discrimination", set(), "likely_in_scope"),
    ("employment", {"dismissal"}, "likely_out_of_scope"),
    ("other", set(), "likely_out_of_scope"),
])
def test_legal_aid_for_follows_laspo_scope(code, subs, expected):
    assert legal_aid_for(code, subs).value == expected


@pytest.mark.parametrize(("text", "code"), [
    ("my husband is abusive and i want to apply for indefinite leave to remain", "immigration"),
    ("im 16 and came here alone, i live with a foster carer and need help with my visa",
     "immigration"),
    ("we want a judicial review of the councils decision on mums care", "community_care"),
    ("my brother was sectioned and has a mental health tribunal next month", "other"),
    ("the bank is trying to repossess the house over mortgage arrears", "debt"),
])
def test_scope_rules_bring_these_problems_into_legal_aid(text, code):
    signals = scope_signals(text)
    assert legal_aid_for(code, set(), signals).value == "likely_in_scope"


def test_council_tax_arrears_alone_are_not_debt_in_scope():
    text = "behind on council tax and rent, the council sent a summons"
    indication = legal_aid_for("debt", {"council_tax_arrears", "priority_debt"},
                               scope_signals(text))
    assert indication.value == "likely_out_of_scope"
    assert "home is at risk" not in indication.reason


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
