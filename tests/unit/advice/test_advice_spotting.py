"""Which problem leads: the evidence says which problems are there, the model of the main
problem which of them the writers would put first."""

from linkwell.advice.categories import CODES
from linkwell.advice.spotting import CategoryScore, Evidence, select


def _scores(confidence: dict[str, float], stressed: str | None = None,
            answered: str | None = None) -> list[CategoryScore]:
    scores = [CategoryScore(code, confidence.get(code, 0.0), 0.0, 0.0, stressed=code == stressed,
                            evidence=[Evidence("answer", "yes")] if code == answered else [])
              for code in CODES]
    return sorted(scores, key=lambda s: -s.confidence)


def _main(likely: dict[str, float]) -> dict[str, float]:
    return {code: likely.get(code, 0.0) for code in CODES}


def test_of_the_problems_found_the_one_likeliest_to_lead_comes_first():
    chosen = select(_scores({"housing": 0.99, "debt": 0.95}), _main({"debt": 0.9, "housing": 0.1}))
    assert [c.code for c in chosen] == ["debt", "housing"]


def test_a_problem_the_evidence_does_not_support_never_leads_however_likely():
    chosen = select(_scores({"housing": 0.99, "debt": 0.3}), _main({"debt": 0.99}))
    assert [c.code for c in chosen] == ["housing"]


def test_what_the_person_says_matters_most_leads():
    chosen = select(_scores({"housing": 0.99, "debt": 0.95}, stressed="housing"),
                    _main({"debt": 0.9}))
    assert chosen[0].code == "housing"


def test_a_problem_the_person_answered_questions_about_leads_over_the_words():
    chosen = select(_scores({"community_care": 0.7, "housing": 0.99}, answered="housing"),
                    _main({"community_care": 0.8, "housing": 0.01}))
    assert chosen[0].code == "housing"


def test_with_little_evidence_the_likeliest_is_a_guess_and_with_none_it_is_other():
    assert select(_scores({"debt": 0.4}), _main({"housing": 0.9}))[0].code == "debt"
    assert [c.code for c in select(_scores({"debt": 0.2}), _main({"debt": 0.9}))] == ["other"]


def test_other_is_never_listed_beside_a_problem_but_problems_are_listed_beside_it():
    chosen = select(_scores({"housing": 0.99, "other": 0.9}), _main({"housing": 0.9}))
    assert [c.code for c in chosen] == ["housing"]
    # A refund dispute that also left the person behind on a loan.
    chosen = select(_scores({"other": 0.95, "debt": 0.85}), _main({"other": 0.9, "debt": 0.3}))
    assert [c.code for c in chosen] == ["other", "debt"]


def test_a_home_at_risk_leads_before_the_debts_behind_it():
    scores = _scores({"debt": 0.99, "housing": 0.95})
    next(s for s in scores if s.code == "housing").sub_issues.append("possession_eviction")
    chosen = select(scores, _main({"debt": 0.95, "housing": 0.7}))
    assert [c.code for c in chosen] == ["housing", "debt"]


def test_a_matter_named_for_elsewhere_is_not_overruled_by_the_model_reading_single_words():
    # "I want to complain about my GP": the model reads "complain" as discrimination.
    def scores(phrase_elsewhere: float, welfare_phrase: float = 0.0) -> list[CategoryScore]:
        found = _scores({"discrimination": 0.96, "other": 0.8})
        other = next(s for s in found if s.code == "other")
        other.rules = phrase_elsewhere
        other.evidence = [Evidence("phrase", "complain about my gp", phrase_elsewhere)]
        next(s for s in found if s.code == "discrimination").rules = welfare_phrase
        return found

    main = _main({"discrimination": 0.95, "other": 0.08})
    assert select(scores(0.8), main)[0].code == "other"
    # A weaker hint of elsewhere, or a phrase naming a welfare problem, leaves the model's way.
    assert select(scores(0.6), main)[0].code == "discrimination"
    assert select(scores(0.8, welfare_phrase=0.6), main)[0].code == "discrimination"
