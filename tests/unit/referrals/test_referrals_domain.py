"""The state machine, coded lists, person checks and working days, without a database."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.errors import Conflict, InvalidInput
from linkwell.referrals import domain
from linkwell.referrals.domain import Status


def test_transition_requested_to_accepted_is_allowed():
    assert domain.check_transition("requested", "accepted") is Status.ACCEPTED


def test_transition_completed_to_anything_is_refused_naming_both_ends():
    with pytest.raises(Conflict) as exc:
        domain.check_transition("completed", "in-progress")
    assert "'completed'" in exc.value.detail and "'in-progress'" in exc.value.detail
    assert exc.value.status == 409


def test_transition_on_hold_and_back():
    assert domain.check_transition("in-progress", "on-hold") is Status.ON_HOLD
    assert domain.check_transition("on-hold", "in-progress") is Status.IN_PROGRESS


def test_transition_unknown_status_is_invalid_input():
    with pytest.raises(InvalidInput):
        domain.check_transition("requested", "teleported")


def test_final_statuses_have_no_way_out():
    for status in domain.FINAL:
        assert domain.TRANSITIONS[status] == frozenset()
        assert status.is_final


@given(st.lists(st.sampled_from(list(Status)), min_size=1, max_size=12))
def test_status_from_events_accepts_exactly_the_legal_paths(path):
    events = [(None, path[0])] + list(zip(path, path[1:], strict=False))
    legal = all(domain.can_transition(a, b) for a, b in zip(path, path[1:], strict=False))
    if legal:
        assert domain.status_from_events(events) is path[-1]
    else:
        with pytest.raises(Conflict):
            domain.status_from_events(events)


def test_status_from_events_out_of_order_log_is_refused():
    with pytest.raises(Conflict):
        domain.status_from_events([(None, "requested"), ("accepted", "in-progress")])


def test_snomed_codes_are_the_nhs_england_ones():
    assert domain.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING.code == "871731000000106"
    assert domain.SNOMED_SOCIAL_PRESCRIBING_DECLINED.code == "871711000000103"
    assert domain.CLOSURE_REASONS["declined"].snomed == "871711000000103"


def test_needs_domains_cover_the_issue_list():
    assert len(domain.NEEDS_DOMAINS) == 11
    assert {"loneliness", "debt", "benefits", "housing", "legal"} <= set(domain.NEEDS_DOMAINS)


def test_nhs_number_valid_is_normalised():
    assert domain.clean_nhs_number("943 476 5919") == "9434765919"


@pytest.mark.parametrize("text", ["9434765918", "12345", "abcdefghij", "94347659190"])
def test_nhs_number_invalid_is_refused(text):
    with pytest.raises(InvalidInput):
        domain.clean_nhs_number(text)


def test_nhs_number_blank_is_none():
    assert domain.clean_nhs_number("  ") is None


def test_birth_date_in_future_is_refused():
    with pytest.raises(InvalidInput):
        domain.check_birth_date(date(2030, 1, 1), date(2026, 1, 1))


def test_age_on_birthday_boundary():
    assert domain.age_on(date(2000, 6, 15), date(2026, 6, 14)) == 25
    assert domain.age_on(date(2000, 6, 15), date(2026, 6, 15)) == 26


def test_check_text_oversized_is_refused():
    with pytest.raises(InvalidInput):
        domain.check_text("x" * (domain.NOTES_MAX + 1), "notes")


def test_duplicate_key_ignores_case_spaces_and_punctuation():
    a = domain.duplicate_key("Mary-Ann", "O'Neil", date(1950, 1, 2), "se13 5aa")
    b = domain.duplicate_key("maryann", "ONEIL", date(1950, 1, 2), "SE13 5AA")
    assert a == b


@pytest.mark.parametrize(("year", "expected"), [
    (2024, {date(2024, 1, 1), date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 6),
            date(2024, 5, 27), date(2024, 8, 26), date(2024, 12, 25), date(2024, 12, 26)}),
    (2022, {date(2022, 1, 3), date(2022, 4, 15), date(2022, 4, 18), date(2022, 5, 2),
            date(2022, 6, 2), date(2022, 6, 3), date(2022, 8, 29), date(2022, 9, 19),
            date(2022, 12, 26), date(2022, 12, 27)}),
    (2020, {date(2020, 1, 1), date(2020, 4, 10), date(2020, 4, 13), date(2020, 5, 8),
            date(2020, 5, 25), date(2020, 8, 31), date(2020, 12, 25), date(2020, 12, 28)}),
    (2021, {date(2021, 1, 1), date(2021, 4, 2), date(2021, 4, 5), date(2021, 5, 3),
            date(2021, 5, 31), date(2021, 8, 30), date(2021, 12, 27), date(2021, 12, 28)}),
])
def test_bank_holidays_match_gov_uk(year, expected):
    assert domain.bank_holidays(year) == expected


def test_add_working_days_skips_weekend_and_easter():
    # Thursday 28 March 2024; Good Friday 29th and Easter Monday 1 April are holidays.
    assert domain.add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)
    assert domain.add_working_days(date(2024, 3, 22), 1) == date(2024, 3, 25)


def test_provider_response_overdue_after_n_working_days():
    # Sent Thursday 28 March 2024: the five working days are 2, 3, 4, 5 and 8 April.
    sent = datetime(2024, 3, 28, 10, tzinfo=UTC)
    assert not domain.provider_response_overdue(sent, datetime(2024, 4, 8, 17, tzinfo=UTC), 5)
    assert domain.provider_response_overdue(sent, datetime(2024, 4, 9, 9, tzinfo=UTC), 5)
