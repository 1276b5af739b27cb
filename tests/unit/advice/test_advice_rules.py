import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.advice.rules import fuzzy_canonical, match
from linkwell.advice.text import normalise, tokens


def _found(text):
    return {(h.category, h.sub_issue, h.found, h.fuzzy) for h in match(text)}


def test_normalise_section_numbers_written_one_way():
    assert "section 21" in normalise("Got an S21 notice")
    assert "section 21" in normalise("s.21")
    assert "section 8" in normalise("Section-8")
    assert tokens("carer's allowance") == ["carers", "allowance"]


def test_match_slang_and_abbreviations():
    cats = {h.category for h in match("UC sanction and PIP stopped, EHCP refused, NRPF")}
    assert {"welfare_benefits", "education", "immigration"} <= cats


def test_match_misspelling_is_read_and_marked_fuzzy():
    hits = _found("the bailifs are coming")
    assert ("debt", "enforcement_agents", "bailifs", True) in hits
    hits = _found("evicion notice")
    assert any(h[0] == "housing" and h[3] for h in hits)


def test_match_exact_word_is_not_marked_fuzzy():
    assert ("debt", "enforcement_agents", "bailiffs", False) in _found("bailiffs came")


def test_fuzzy_canonical_leaves_everyday_words_alone():
    assert fuzzy_canonical("count") is None  # not "court"
    assert fuzzy_canonical("compensation") is None  # not "condensation"
    assert fuzzy_canonical("unversal") == "universal"
    assert fuzzy_canonical("univeral") == "universal"


@pytest.mark.parametrize(("word", "not_read_as"), [
    ("expected", "expelled"), ("writing", "waiting"), ("looked", "locked"),
    ("charged", "changed"), ("properly", "property"), ("block", "black"),
    ("suspected", "suspended"), ("concession", "congestion"),
])
def test_a_real_word_is_not_read_as_a_rule_word_a_letter_or_two_away(word, not_read_as):
    assert fuzzy_canonical(word) is None, not_read_as


def test_a_real_word_near_a_rule_word_finds_no_problem():
    # "expected" is not "expelled": nothing about school here.
    assert not any(h.category == "education"
                   for h in match("the clinic expected my dad to lip read the nurse"))


def test_match_multi_word_phrase_needs_all_words_in_order():
    assert any(h.sub_issue == "section_21" for h in match("a section 21 notice"))
    assert not any(h.sub_issue == "section_21" for h in match("21 sections of the form"))


@given(st.text(max_size=300))
def test_match_never_fails_on_any_text(text):
    for hit in match(text):
        assert 0 < hit.weight <= 1


def _near_codes(text):
    return {(h.category, h.sub_issue) for h in match(text) if " near " in h.phrase}


@pytest.mark.parametrize(("text", "expected"), [
    # Words near each other, in any order and wording (none of these is a listed phrase).
    ("behind on the mortgage and now the bank has gone to court for the house",
     ("housing", "possession_eviction")),
    ("the supervisor keeps making jokes about my skin and where I'm from",
     ("discrimination", None)),
    ("the letting agent said the owner will not accept tenants who get benefits",
     ("discrimination", None)),
    ("my brother is in hospital under the Mental Health Act and wants to leave",
     ("community_care", "mental_health_aftercare")),
    ("the council's age assessment said he is 20 but he is 16",
     ("community_care", None)),
    ("my UC was sanctioned and now I cant pay the electric", ("debt", None)),
    ("they say I was overpaid and want £900 paid back", ("debt", None)),
    # An overpayment being recovered: deductions, or a sum the person is told they owe.
    ("tax credits overpaid me last year and now they take 40 a month off my money",
     ("debt", None)),
    ("the letter says I owe them £1,500 because of an overpayment of carers allowance",
     ("debt", None)),
    ("she gets 12 hours a week of care and they've halved it", ("community_care",
                                                                 "care_assessment")),
    ("I was kicked off my plumbing course for attendance", ("education", None)),
    # "The agent" about a flat or a landlord is a letting agent.
    ("I rang about a studio and the agent said the owner only wants professionals",
     ("housing", None)),
])
def test_words_near_each_other_suggest_a_category(text, expected):
    assert expected in _near_codes(text)


@pytest.mark.parametrize("text", [
    "A credit card company has asked the court for a charging order on the house I own with a "
    "mortgage.",
    "The county court claim was struck out last year and now we are applying for a mortgage.",
])
def test_a_mortgage_as_a_fact_near_a_court_is_no_possession_claim(text):
    # "a mortgage" says the home is bought with one (or is being applied for); the lender's
    # claim is "the mortgage" or "my mortgage" company going to court.
    assert ("housing", "possession_eviction") not in _near_codes(text)


def test_near_words_denied_or_misread_do_not_count():
    # "nothing about court"; "county" is not "country".
    # (The arrears themselves are housing: only the possession claim is denied.)
    assert ("housing", "possession_eviction") not in _near_codes(
        "two months behind on the mortgage, the lender wrote, nothing about court yet")
    assert not _near_codes("letter from the county court with my name on it")
    # A care worker's hours at a care agency are the job: the order matters.
    assert ("community_care", "care_assessment") not in _near_codes(
        "I'm on a zero hours contract with a home care agency and they cut my hours")


def test_taking_benefits_is_no_refusal_and_a_debt_can_be_named_further_along():
    # Taking a Universal Credit advance is not a landlord refusing benefits.
    assert ("discrimination", None) not in _near_codes(
        "I took an advance payment of Universal Credit and they take back a lot each month")
    assert ("discrimination", None) in _near_codes(
        "the agent said the landlord doesn't take DSS tenants")
    # An overpayment and the demand to pay it back, a sentence apart.
    assert ("debt", None) in _near_codes(
        "They say I was overpaid carer's allowance by £4,200 because my earnings went over the "
        "limit in some weeks. They want me to pay it back.")


@pytest.mark.parametrize("text", ["a 17-year-old girl I work with has to leave home tonight",
                                  "my 15 year old boy was told to leave by the family friend"])
def test_a_childs_age_is_not_an_age_remark(text):
    assert not [h for h in match(text) if h.sub_issue == "age"]


def test_old_girl_as_a_name_is_still_an_age_remark():
    assert ("discrimination", "age") in {(h.category, h.sub_issue)
                                         for h in match("my boss calls me the old girl")}


@pytest.mark.parametrize(("text", "home"), [
    # Put out by family: someone else thrown out of their home is housing too.
    ("I teach sixth form. A pupil of 17 told me her dad threw her out yesterday after a row.",
     True),
    ("his stepmum has thrown him out and he sleeps at a different mate's every night", True),
    # ... but not put out of a place that is no home.
    ("the manager threw him out of the cafe for no reason", False),
])
def test_someone_put_out_by_family_has_lost_their_home(text, home):
    assert (("housing", "homelessness") in {(h.category, h.sub_issue) for h in match(text)}) \
        is home


@pytest.mark.parametrize(("text", "dismissal"), [
    # An appeal or a case dismissed is a court's or tribunal's decision, not a lost job.
    ("my asylum appeal got dismissed last year and now they want me to report weekly", False),
    ("the judge dismissed our case in March", False),
    ("I was dismissed after two warnings and want to appeal", True),
    ("the appeal against my dismissal is next week", True),
    # "Let go" in the passive is a dismissal, unless the police let someone go.
    ("I was let go on Monday with no notice", True),
    ("we were all let go when the site closed", True),
    ("my son was arrested and then let go the same night", False),
    ("he was let go by the police without charge", False),
])
def test_a_dismissal_from_work_is_read_as_meant(text, dismissal):
    assert bool([h for h in match(text) if h.sub_issue == "dismissal"]) is dismissal


@pytest.mark.parametrize(("text", "sub_issue"), [
    # Benefits in everyday words: "universal" on its own is Universal Credit, and money for
    # caring is Carer's Allowance.
    ("im on universal and it went down this month", "universal_credit"),
    ("I care for my wife full time but get no money for caring", "carers_allowance"),
    ("is there anything I can claim for looking after my son", "carers_allowance"),
])
def test_benefits_named_in_everyday_words(text, sub_issue):
    assert ("welfare_benefits", sub_issue) in {(h.category, h.sub_issue) for h in match(text)}


@pytest.mark.parametrize(("text", "reconsideration"), [
    # Asking a benefit decision to be reconsidered is a mandatory reconsideration ...
    ("I want to ask them to reconsider the decision on my ESA", True),
    # ... a school, the governors, a court or a care placement "reconsidered" are not.
    ("the panel told the governors to reconsider but they kept the exclusion", False),
    ("can we ask the council to reconsider her placement in a care home so far away", False),
])
def test_reconsider_is_a_benefits_reconsideration_only_about_a_benefit(text, reconsideration):
    found = {h.sub_issue for h in match(text) if h.phrase == "reconsider"}
    assert (found == {"mandatory_reconsideration"}) is reconsideration


def test_told_not_to_come_back_home_is_no_dismissal():
    home = match("my mum threw him out last night and told him not to come back")
    assert not [h for h in home if h.sub_issue == "dismissal"]
    work = match("my boss rang and said dont come back to work, no reason")
    assert [h for h in work if h.sub_issue == "dismissal"]


@pytest.mark.parametrize(("text", "sub_issue"), [
    ("my mother died and I travelled to Lagos for the funeral", "race"),
    ("I complained to the department and got a generic email back", "detention_removal"),
    ("he was frightened and could not sleep", "consumer"),
    ("she is staying in a refuge with the children", "asylum"),
    ("they are providing no carers", "payday_loans"),
    ("we lodged an appeal about the policy", None),
])
def test_everyday_words_are_not_read_as_misspelt_rule_words(text, sub_issue):
    assert not [h for h in match(text) if h.sub_issue == sub_issue and h.fuzzy]


@pytest.mark.parametrize("text", [
    "the mortgage is 3 months behind and the bank keep writing",
    "I missed the January mortgage payment after I lost my job",
])
def test_a_mortgage_fallen_behind_in_other_words_is_housing(text):
    assert ("housing", None) in _near_codes(text)


@pytest.mark.parametrize("text", [
    "The council refused an Education, Health and Care needs assessment for my daughter.",
    "Our son's Education Health and Care plan review has been delayed for months.",
])
def test_the_ehc_plan_named_in_full_is_no_care_package(text):
    # "... Health and Care needs assessment" is the school's plan, not social care's.
    assert not [h for h in match(text) if h.category == "community_care"]


def test_you_are_finish_is_a_dismissal_and_the_loss_comes_first():
    from datetime import date

    from linkwell.advice.triage import triage

    result = triage("The supervisor always make jokes about my religion. Last week I complain, "
                    "and today he say I am finish, no more job for me.", today=date(2028, 3, 30))
    assert result.codes[:2] == ["employment", "discrimination"]
    employment = next(c for c in result.categories if c.code == "employment")
    assert "dismissal" in employment.sub_issues


def test_staff_of_a_shop_bar_or_school_is_only_a_hint_of_work():
    # The door staff, a member of staff at school: whose staff is not said, so only a hint.
    for text in ("the door staff turned us away", "the school needs an extra member of staff"):
        assert all(h.weight <= 0.35 for h in match(text) if h.category == "employment"), text


@pytest.mark.parametrize("text", [
    "since the council put us in a hostel the schools near us are full",
    "the local schools say theyre full and we are on a list",
])
def test_schools_full_is_a_school_place_problem(text):
    assert any(h.sub_issue == "admissions" for h in match(text))
