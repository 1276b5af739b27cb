from datetime import date

from linkwell.commissioning.answer import build_answer, timeline
from linkwell.commissioning.domain import (
    Allocation,
    AllocationStatus,
    CombinedValue,
    Commission,
    CommissionKind,
    CommissionStatus,
    Commitment,
    Output,
    ProgrammeState,
)
from linkwell.commissioning.money import UNKNOWN, Money
from linkwell.commissioning.periods import parse_period

S = CommissionStatus
EVALUATION, DIGITAL = Commitment(1, 1, "Fund evaluation"), Commitment(2, 2, "Fund digital")


def seed_like(as_of: date, **overrides) -> ProgrammeState:
    """The shape of the seed case: combined value across linked and unlinked work, an unknown
    value, unlinked commissions, reports due in a season and an output with no commission."""
    commissions = [
        Commission(1, "Digital review", CommissionKind.REVIEW, S.PUBLISHED,
                   combined_value_id=5, commitment_ids=frozenset({2})),
        Commission(2, "Voluntary sector review", CommissionKind.REVIEW, S.PUBLISHED,
                   combined_value_id=5),
        Commission(3, "Local government review", CommissionKind.REVIEW, S.COMMISSIONED,
                   Money(1_000_000)),
        Commission(4, "Evaluation project", CommissionKind.EVALUATION, S.COMMISSIONED,
                   Money(1_000_000), report_due=parse_period("spring 2019"),
                   commitment_ids=frozenset({1})),
        Commission(6, "Advice review", CommissionKind.REVIEW, S.IN_PROCUREMENT,
                   commitment_ids=frozenset({2})),
    ]
    fields = dict(
        commitments=(EVALUATION, DIGITAL),
        combined_values=(CombinedValue(5, "Two reviews", Money(3_600_000)),),
        commissions=tuple(commissions),
        outputs=(Output(1, "Draft vision", published=parse_period("December 2018"),
                        note="Out for feedback"),),
    )
    fields.update(overrides)
    return ProgrammeState("p", "Programme", as_of, **fields)


def test_answer_totals_known_value_with_combined_counted_once():
    answer = build_answer(seed_like(date(2019, 1, 17)))
    assert answer.commissioned.known_pence == 3_600_000 + 1_000_000 + 1_000_000
    text = answer.to_text()
    assert "known value of £56,000" in text
    assert "£36,000 for Digital review and Voluntary sector review" in text


def test_answer_states_plainly_which_value_is_not_known():
    text = build_answer(seed_like(date(2019, 1, 17))).to_text()
    assert "The value of one commission is not yet known: Advice review." in text


def test_answer_lists_unlinked_commissions():
    answer = build_answer(seed_like(date(2019, 1, 17)))
    assert [c.title for c in answer.unlinked] == ["Voluntary sector review",
                                                   "Local government review"]
    assert ("Two commissions are not linked to a commitment: Voluntary sector review and "
            "Local government review.") in answer.to_text()


def test_answer_per_commitment_separates_own_shared_and_unknown():
    answer = build_answer(seed_like(date(2019, 1, 17)))
    evaluation, digital = answer.commitments
    assert (evaluation.commissioned.known_pence, evaluation.commissioned.unknown_count) == (
        1_000_000, 0)
    assert (digital.commissioned.known_pence, digital.commissioned.unknown_count) == (0, 1)
    assert [u.titles for u in digital.shared_values] == [("Digital review",
                                                          "Voluntary sector review")]
    assert "Digital review is covered by a combined value of £36,000 that also covers " \
           "Voluntary sector review" in answer.to_text()


def test_answer_report_tense_follows_the_as_of_date():
    before = build_answer(seed_like(date(2019, 1, 17)))
    after = build_answer(seed_like(date(2019, 6, 1)))
    assert before.report_for(4).state == "due"
    assert before.report_for(4).text == "Due in spring 2019 (1 March to 31 May 2019)."
    assert after.report_for(4).state == "overdue"
    assert after.report_for(4).text.startswith("Was due in spring 2019")


def test_answer_reported_work_names_its_output():
    state = seed_like(date(2019, 7, 1))
    commissions = tuple(
        Commission(c.id, c.title, c.kind, S.PUBLISHED, c.value,
                   report_due=c.report_due, commitment_ids=c.commitment_ids)
        if c.id == 4 else c for c in state.commissions)
    outputs = state.outputs + (Output(2, "Evaluation report", commission_id=4,
                                      published=parse_period("2019-06-20"),
                                      url="https://example.org/r.pdf"),)
    answer = build_answer(seed_like(date(2019, 7, 1), commissions=commissions,
                                    outputs=outputs))
    line = answer.report_for(4)
    assert (line.state, line.text) == ("published", "Published on 20 June 2019.")
    assert [o.title for o in line.outputs] == ["Evaluation report"]


def test_answer_without_allocations_says_figures_are_commissioned_values():
    text = build_answer(seed_like(date(2019, 1, 17))).to_text()
    assert "No allocation of funding to this commitment on its own has been recorded." in text
    assert "No funding allocations have been recorded for this programme" in text


def test_answer_with_allocations_reports_them_per_commitment():
    state = seed_like(date(2019, 1, 17), allocations=(
        Allocation(1, "Evaluation budget", Money(5_000_000), AllocationStatus.ALLOCATED,
                   commitment_ids=frozenset({1})),
        Allocation(2, "Shared budget", UNKNOWN, AllocationStatus.PLANNED,
                   commitment_ids=frozenset({1, 2})),
    ))
    answer = build_answer(state)
    assert answer.commitments[0].allocated.known_pence == 5_000_000
    assert "Funding allocated to this commitment: £50,000 (one allocation)." in answer.to_text()
    assert "allocated jointly with other commitments" in answer.to_text()
    assert answer.to_json()["allocated"]["unknown_value_count"] == 1


def test_answer_json_has_the_documented_fields():
    data = build_answer(seed_like(date(2019, 1, 17))).to_json()
    assert data["known_total_pence"] == 5_600_000
    assert data["unknown_value_count"] == 1
    assert data["as_of"] == "2019-01-17"
    first, second = data["commitments"]
    assert (first["known_total_pence"], first["unknown_value_count"]) == (1_000_000, 0)
    assert (second["known_total_pence"], second["unknown_value_count"]) == (0, 1)
    project = first["commissions"][0]
    assert project["status"] == "commissioned"
    assert project["report_date"] == {"label": "spring 2019", "start": "2019-03-01",
                                      "end": "2019-05-31"}
    assert [c["title"] for c in data["unlinked_commissions"]] == [
        "Voluntary sector review", "Local government review"]
    assert second["commissions"][1]["value_pence"] is None
    assert second["commissions"][1]["value_known"] is False


def test_answer_for_an_empty_programme_says_nothing_was_commissioned():
    answer = build_answer(ProgrammeState("p", "Empty", date(2020, 1, 1)))
    assert answer.commissioned.known_pence == 0
    assert "No work had been commissioned." in answer.to_text()


def test_timeline_orders_dated_facts():
    entries = timeline(build_answer(seed_like(date(2019, 1, 17))))
    assert [(e.when.label, e.text) for e in entries] == [
        ("December 2018", "Draft vision: published"),
        ("spring 2019", "Evaluation project: report due"),
    ]
