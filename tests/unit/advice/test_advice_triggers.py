"""The urgency triggers' words (advice/triggers.py, triggers_care_education.py), read through
triage as a person's text: what each one catches and what it must leave alone."""

import json
from datetime import date

import pytest

from linkwell.advice.triage import triage
from linkwell.settings import PROJECT_ROOT

TODAY = date(2026, 12, 4)  # a Friday
CASES = [json.loads(line) for line in (PROJECT_ROOT / "tests" / "fixtures" / "advice" /
                                       "trigger_cases.jsonl").read_text("utf-8").splitlines()]


def _deadlines(text: str) -> list[tuple[str, date]]:
    return [(d.what, d.date) for d in triage(text, today=TODAY).deadlines]


def _cases(field: str) -> list:
    return [pytest.param(case, id=case["case"]) for case in CASES if field in case]


# The first deadline triage gives for the words each rule was written for
# (tests/fixtures/advice/trigger_cases.jsonl: "first_deadline" and "date").
@pytest.mark.parametrize("case", _cases("first_deadline"))
def test_the_first_deadline_is_the_one_the_words_give(case):
    assert _deadlines(case["text"])[0] == (case["first_deadline"],
                                           date.fromisoformat(case["date"]))


# Words that look like a trigger and are not: the deadline named in "never" is not given.
@pytest.mark.parametrize("case", _cases("never"))
def test_the_words_give_no_such_deadline(case):
    assert all(given != case["never"] for given, _ in _deadlines(case["text"]))


# Whether the words alone make the case urgent.
@pytest.mark.parametrize("case", _cases("urgent"))
def test_whether_the_words_make_the_case_urgent(case):
    assert triage(case["text"], today=TODAY).urgent is case["urgent"]


def test_a_migration_notice_is_a_date_to_claim_by_not_a_decision_to_challenge():
    text = ("We have a migration notice dated 20 November 2026. It says our tax credits and "
            "housing benefit will end and we must claim Universal Credit by 18 February 2027.")
    assert [what for what, _ in _deadlines(text)] == ["Claim Universal Credit by"]


def test_visits_cut_to_a_number_from_next_month_is_a_care_cut_from_then():
    text = ("My mum needs help to wash and eat and the carers come three times in a day. The "
            "social worker rang and said from next month they will cut it to once a day, "
            "without any new assessment.")
    result = triage(text, today=TODAY)
    assert result.urgent
    assert result.deadlines[0].date == date(2027, 1, 1)


def test_a_tribunal_claim_already_made_leaves_only_its_hearing():
    result = triage("I was dismissed on 2 October 2026 and I submitted an employment tribunal "
                    "claim last month after early conciliation. The tribunal has listed the "
                    "final hearing for 14 June 2027. How do I prepare?", today=TODAY)
    assert [(d.what, d.date) for d in result.deadlines] == [
        ("Court or tribunal hearing", date(2027, 6, 14))]
    assert not result.urgent


def test_the_claimant_in_a_listed_claim_has_made_the_claim():
    result = triage("I am the claimant in an unfair dismissal claim; I was dismissed on 2 October "
                    "2026. The Employment Tribunal has listed the final hearing for 14 June "
                    "2027.", today=TODAY)
    assert [d.what for d in result.deadlines] == ["Court or tribunal hearing"]


def test_a_hearing_ten_weeks_or_more_away_is_dated_but_not_yet_urgent():
    far = triage("The possession hearing about my rent arrears is listed for 1 March 2027.",
                 today=TODAY)
    assert far.deadlines[0].date == date(2027, 3, 1)
    assert not any(reason.startswith("A court or tribunal hearing")
                   for reason in far.urgent_reasons)
    near = triage("The possession hearing about my rent arrears is listed for 1 February 2027.",
                  today=TODAY)
    assert near.urgent_reasons[0].startswith("A court or tribunal hearing")


def test_a_claim_that_will_be_heard_on_a_day_is_a_hearing_on_it():
    result = triage("I got a claim form and notice from the county court about my rent arrears. "
                    "It says: 'TAKE NOTICE that this claim will be heard on 18.01.27 at 10am.'",
                    today=TODAY)
    assert ("Court or tribunal hearing", date(2027, 1, 18)) in [
        (d.what, d.date) for d in result.deadlines]


def test_a_tribunal_that_allowed_the_appeal_leaves_no_decision_to_challenge():
    text = ("In November 2026 the First-tier Tribunal allowed my appeal against the refusal of "
            "the limited capability for work element, and I received arrears of £4,900. Do the "
            "arrears count as capital for my Universal Credit?")
    reasons = triage(text, today=date(2027, 1, 20)).urgent_reasons
    assert not any(reason.startswith("A benefit decision") for reason in reasons)


def test_an_agent_who_ended_the_viewing_made_no_benefit_decision():
    text = ("When the letting agent learned that I use a wheelchair and receive Universal Credit "
            "and PIP, he told me the landlord would 'not consider' me and ended the viewing. I "
            "should like to bring a claim for disability discrimination.")
    reasons = triage(text, today=TODAY).urgent_reasons
    assert not any(reason.startswith("A benefit decision") for reason in reasons)
