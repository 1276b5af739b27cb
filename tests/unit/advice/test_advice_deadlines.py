from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from linkwell.advice.deadlines import add_months, compute, earliest_bailiff_visit

TODAY = date(2026, 3, 2)


def _by_what(deadlines):
    return {d.what: d for d in deadlines}


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_mandatory_reconsideration_is_one_calendar_month_from_the_decision():
    deadlines, _ = compute(["welfare_benefits"], {"benefit_decision_date": date(2026, 2, 20)},
                           TODAY)
    mr = _by_what(deadlines)["Ask for a mandatory reconsideration by"]
    assert mr.date == date(2026, 3, 20)
    assert mr.is_urgent(TODAY) is False  # 18 days left
    assert mr.is_urgent(date(2026, 3, 10)) is True


def test_tribunal_appeal_after_reconsideration_replaces_the_mr_deadline():
    deadlines, _ = compute(["welfare_benefits"], {
        "benefit_decision_date": date(2026, 1, 5), "mr_requested": "yes",
        "mr_notice_date": date(2026, 2, 10)}, TODAY)
    found = _by_what(deadlines)
    assert "Ask for a mandatory reconsideration by" not in found
    assert found["Appeal to the benefits tribunal by"].date == date(2026, 3, 10)


def test_late_reconsideration_is_explained_within_13_months():
    _, notes = compute(["welfare_benefits"], {"benefit_decision_date": date(2025, 12, 1)}, TODAY)
    assert any("13 months" in n for n in notes)


def test_employment_tribunal_is_three_months_less_one_day_and_acas_first():
    deadlines, notes = compute(["employment"], {"employment_act_date": date(2026, 1, 15)}, TODAY)
    assert _by_what(deadlines)[
        "Start ACAS early conciliation by (employment tribunal time limit)"
    ].date == date(2026, 4, 14)
    assert any("ACAS" in n for n in notes)


def test_employment_without_a_date_says_what_is_needed():
    deadlines, notes = compute(["employment"], {}, TODAY)
    assert deadlines == []
    assert any("three months less one day" in n for n in notes)


def test_section_21_before_abolition_gives_expiry_and_court_cut_off():
    answers = {"notice_type": "section_21", "notice_served_date": date(2026, 2, 27)}
    found = _by_what(compute(["housing"], answers, TODAY)[0])
    assert found["Earliest date your section 21 notice can end"].date == date(2026, 4, 27)
    assert found["Last date your landlord can start court action on this notice"].date == \
        date(2026, 7, 31)


def test_section_21_cut_off_is_six_months_when_that_is_earlier():
    answers = {"notice_type": "section_21", "notice_served_date": date(2025, 11, 3)}
    found = _by_what(compute(["housing"], answers, TODAY)[0])
    assert found["Last date your landlord can start court action on this notice"].date == \
        date(2026, 5, 3)


def test_section_21_served_after_abolition_is_flagged_not_dated():
    answers = {"notice_type": "section_21", "notice_served_date": date(2026, 6, 1)}
    deadlines, notes = compute(["housing"], answers, date(2026, 6, 10))
    assert deadlines == []
    assert any("abolished" in n for n in notes)


def test_section_8_without_its_date_is_not_guessed():
    deadlines, notes = compute(["housing"], {"notice_type": "section_8",
                                             "notice_served_date": date(2026, 2, 1)}, TODAY)
    assert deadlines == []
    assert any("depends on the grounds" in n for n in notes)


def test_hearing_and_eviction_dates_are_always_urgent():
    deadlines, _ = compute(["housing"], {"hearing_date": date(2026, 6, 1),
                                         "eviction_date": date(2026, 7, 1)}, TODAY)
    assert all(d.is_urgent(TODAY) for d in deadlines)


def test_homelessness_within_56_days_triggers_the_prevention_duty():
    _, notes = compute(["housing"], {"must_leave_date": date(2026, 4, 20)}, TODAY)
    assert any("prevention duty" in n for n in notes)


def test_the_date_given_to_leave_reads_as_what_happened():
    deadlines, _ = compute(["housing"], {"must_leave_date": date(2026, 4, 20)}, TODAY)
    assert _by_what(deadlines)["Told to leave where you are staying by"].date == date(2026, 4, 20)


def test_homelessness_further_off_gives_the_date_the_duty_starts():
    deadlines, _ = compute(["housing"], {"must_leave_date": date(2026, 6, 30)}, TODAY)
    start = _by_what(deadlines)["From this date the council must help prevent your homelessness"]
    assert start.date == date(2026, 5, 5)


def test_bailiffs_need_seven_clear_days_not_counting_sundays():
    # Notice on Monday 2 March 2026: clear days Tue 3 .. Mon 9 skipping Sunday 8 -> Tue 10 is
    # the 7th clear day, so the earliest visit is Wednesday 11 March.
    assert earliest_bailiff_visit(date(2026, 3, 2)) == date(2026, 3, 11)
    # Never on a Sunday.
    assert earliest_bailiff_visit(date(2026, 3, 6)).weekday() != 6


def test_send_tribunal_is_two_months_from_the_decision():
    deadlines, _ = compute(["education"], {"ehcp_decision_date": date(2026, 1, 10)}, TODAY)
    assert _by_what(deadlines)["Appeal to the SEND tribunal by"].date == date(2026, 3, 10)


def test_discrimination_outside_work_is_six_months_less_one_day():
    deadlines, _ = compute(["discrimination"], {"discrimination_context": "services",
                                                "discrimination_act_date": date(2026, 1, 10)},
                           TODAY)
    assert deadlines[0].date == date(2026, 7, 9)


def test_deadlines_come_soonest_first_and_passed_ones_say_so():
    deadlines, _ = compute(["housing", "welfare_benefits"], {
        "notice_end_date": date(2026, 5, 1), "benefit_decision_date": date(2026, 1, 1)}, TODAY)
    assert [d.date for d in deadlines] == sorted(d.date for d in deadlines)
    assert deadlines[0].as_dict(TODAY)["passed"] is True


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(min_value=0, max_value=24))
def test_add_months_lands_in_the_right_month_never_past_the_same_day(start, months):
    end = add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day <= start.day
    assert end >= start
