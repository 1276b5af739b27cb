"""The measurement schedule: what is due and overdue for an episode, and sequence rules."""

from datetime import date

import pytest

from linkwell.errors import Conflict, InvalidInput
from linkwell.outcomes.schedule import (
    Schedule,
    TakenMeasure,
    Timepoint,
    check_sequence,
    due_measures,
)

FIRST = date(2026, 1, 5)
ONE = Schedule(instruments=("swemwbs",))


def due(today, taken=(), closed_on=None, schedule=ONE, first=FIRST):
    return [(d.timepoint, d.due_from, d.due_by, d.overdue) for d in due_measures(
        schedule, first_contact=first, closed_on=closed_on, taken=taken, today=today)]


def test_nothing_is_due_before_the_first_contact():
    assert due(date(2026, 6, 1), first=None) == []


def test_baseline_is_due_at_first_contact_and_overdue_the_day_after():
    assert due(FIRST) == [(Timepoint.BASELINE, FIRST, FIRST, False)]
    assert due(date(2026, 1, 6)) == [(Timepoint.BASELINE, FIRST, FIRST, True)]


def test_follow_up_window_is_8_to_12_weeks_after_the_baseline():
    taken = [TakenMeasure("swemwbs", Timepoint.BASELINE, date(2026, 1, 12))]
    assert due(date(2026, 3, 8), taken) == []  # day before week 8
    window = (Timepoint.FOLLOW_UP, date(2026, 3, 9), date(2026, 4, 6))
    assert due(date(2026, 3, 9), taken) == [(*window, False)]
    assert due(date(2026, 4, 6), taken) == [(*window, False)]
    assert due(date(2026, 4, 7), taken) == [(*window, True)]


def test_follow_up_taken_is_no_longer_due():
    taken = [TakenMeasure("swemwbs", Timepoint.BASELINE, FIRST),
             TakenMeasure("swemwbs", Timepoint.FOLLOW_UP, date(2026, 3, 10))]
    assert due(date(2026, 5, 1), taken) == []


def test_closure_measure_is_due_at_closure_for_14_days():
    taken = [TakenMeasure("swemwbs", Timepoint.BASELINE, FIRST)]
    closed = date(2026, 2, 1)  # before the follow-up window: no follow-up is due
    assert due(date(2026, 2, 1), taken, closed) == [
        (Timepoint.CLOSURE, closed, date(2026, 2, 15), False)]
    assert due(date(2026, 2, 16), taken, closed)[0][3] is True


def test_closure_not_scheduled_when_the_programme_does_not_ask():
    taken = [TakenMeasure("swemwbs", Timepoint.BASELINE, FIRST)]
    schedule = Schedule(instruments=("swemwbs",), at_closure=False)
    assert due(date(2026, 2, 1), taken, date(2026, 2, 1), schedule) == []


def test_default_schedule_covers_swemwbs_and_ons4():
    assert [d.instrument for d in due_measures(
        Schedule(), first_contact=FIRST, closed_on=None, taken=[], today=FIRST)] == [
        "ons4", "swemwbs"]


@pytest.mark.parametrize("kwargs", [
    {"instruments": ()}, {"follow_up_from_weeks": 0}, {"follow_up_from_weeks": 13},
    {"closure_within_days": -1},
])
def test_schedule_refuses_impossible_settings(kwargs):
    with pytest.raises(InvalidInput):
        Schedule(**kwargs)


def test_check_sequence_refuses_follow_up_without_baseline():
    with pytest.raises(Conflict, match="baseline before a follow-up"):
        check_sequence(Timepoint.FOLLOW_UP, FIRST, instrument="ons4", taken=[])


def test_check_sequence_baseline_of_another_instrument_does_not_count():
    taken = [TakenMeasure("swemwbs", Timepoint.BASELINE, FIRST)]
    with pytest.raises(Conflict):
        check_sequence(Timepoint.CLOSURE, FIRST, instrument="ons4", taken=taken)


def test_check_sequence_allows_follow_up_on_the_baseline_day_and_after():
    taken = [TakenMeasure("ons4", Timepoint.BASELINE, FIRST)]
    check_sequence(Timepoint.FOLLOW_UP, FIRST, instrument="ons4", taken=taken)
    with pytest.raises(Conflict, match="before the baseline"):
        check_sequence(Timepoint.FOLLOW_UP, date(2026, 1, 4), instrument="ons4", taken=taken)


def test_check_sequence_refuses_a_second_closure():
    taken = [TakenMeasure("ons4", Timepoint.BASELINE, FIRST),
             TakenMeasure("ons4", Timepoint.CLOSURE, date(2026, 2, 1))]
    with pytest.raises(Conflict, match="already has a ons4 closure"):
        check_sequence(Timepoint.CLOSURE, date(2026, 2, 2), instrument="ons4", taken=taken)
