"""When measures are due: a programme's measurement schedule applied to one episode (pure).

The default follows the usual social prescribing pattern: a baseline at the first contact, a
follow-up 8 to 12 weeks after the baseline, and a measure at closure. Measures belong to an
episode, so before/after pairs never straddle two periods of support.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from linkwell.errors import Conflict, InvalidInput
from linkwell.labelled import Labelled


class Timepoint(Labelled):
    BASELINE = "baseline"
    FOLLOW_UP = "follow_up", "Follow-up"
    CLOSURE = "closure"


@dataclass(frozen=True)
class Schedule:
    instruments: tuple[str, ...] = ("swemwbs", "ons4")
    baseline_within_days: int = 0
    follow_up_from_weeks: int = 8
    follow_up_to_weeks: int = 12
    at_closure: bool = True
    closure_within_days: int = 14

    def __post_init__(self):
        if not self.instruments:
            raise InvalidInput("A measurement schedule needs at least one instrument")
        if not 0 < self.follow_up_from_weeks <= self.follow_up_to_weeks:
            raise InvalidInput("The follow-up window must start after the baseline and end "
                               "no earlier than it starts")
        if self.baseline_within_days < 0 or self.closure_within_days < 0:
            raise InvalidInput("Days allowed for a measure cannot be negative")


@dataclass(frozen=True)
class TakenMeasure:
    instrument: str
    timepoint: Timepoint
    measured_on: date


@dataclass(frozen=True)
class DueMeasure:
    instrument: str
    timepoint: Timepoint
    due_from: date
    due_by: date
    overdue: bool = field(default=False)


def due_measures(
    schedule: Schedule,
    *,
    first_contact: date | None,
    closed_on: date | None,
    taken: Iterable[TakenMeasure],
    today: date,
) -> list[DueMeasure]:
    """Measures that are due now or overdue for one episode, in the order to take them."""
    if first_contact is None:
        return []
    taken = list(taken)
    due = []
    for instrument in schedule.instruments:
        mine = [t for t in taken if t.instrument == instrument]
        baseline = next((t for t in mine if t.timepoint is Timepoint.BASELINE), None)
        has = {t.timepoint for t in mine}
        windows = []
        if baseline is None:
            windows.append((Timepoint.BASELINE, first_contact,
                            first_contact + timedelta(days=schedule.baseline_within_days)))
        start = baseline.measured_on if baseline else first_contact
        follow_from = start + timedelta(weeks=schedule.follow_up_from_weeks)
        if Timepoint.FOLLOW_UP not in has and (closed_on is None or closed_on >= follow_from):
            windows.append((Timepoint.FOLLOW_UP, follow_from,
                            start + timedelta(weeks=schedule.follow_up_to_weeks)))
        if schedule.at_closure and closed_on is not None and Timepoint.CLOSURE not in has:
            windows.append((Timepoint.CLOSURE, closed_on,
                            closed_on + timedelta(days=schedule.closure_within_days)))
        for timepoint, due_from, due_by in windows:
            if due_from <= today:
                due.append(DueMeasure(instrument, timepoint, due_from, due_by, today > due_by))
    return sorted(due, key=lambda d: (d.due_by, d.instrument))


def check_sequence(
    timepoint: Timepoint, measured_on: date, *, instrument: str, taken: Iterable[TakenMeasure]
) -> None:
    """Refuse a follow-up or closure without an earlier baseline, and a second baseline."""
    mine = [t for t in taken if t.instrument == instrument]
    baseline = next((t for t in mine if t.timepoint is Timepoint.BASELINE), None)
    if timepoint is Timepoint.BASELINE:
        if baseline is not None:
            raise Conflict(f"This episode already has a {instrument} baseline "
                           f"(taken {baseline.measured_on.isoformat()}); record a follow-up "
                           "instead")
        return
    if baseline is None:
        raise Conflict(f"Record the {instrument} baseline before a {timepoint.label.lower()}")
    if measured_on < baseline.measured_on:
        raise Conflict(f"A {timepoint.label.lower()} cannot be dated before the baseline "
                       f"({baseline.measured_on.isoformat()})")
    if timepoint is Timepoint.CLOSURE and Timepoint.CLOSURE in {t.timepoint for t in mine}:
        raise Conflict(f"This episode already has a {instrument} closure measure")
