from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.commissioning.periods import Period, PeriodKind, format_date, parse_period
from linkwell.errors import InvalidInput


@pytest.mark.parametrize(("text", "kind", "start", "end", "label"), [
    ("2018/19", PeriodKind.FINANCIAL_YEAR, date(2018, 4, 1), date(2019, 3, 31), "2018/19"),
    ("2018-19", PeriodKind.FINANCIAL_YEAR, date(2018, 4, 1), date(2019, 3, 31), "2018/19"),
    ("1999/2000", PeriodKind.FINANCIAL_YEAR, date(1999, 4, 1), date(2000, 3, 31), "1999/00"),
    ("Q1 2019/20", PeriodKind.QUARTER, date(2019, 4, 1), date(2019, 6, 30), "Q1 2019/20"),
    ("q4 2019/20", PeriodKind.QUARTER, date(2020, 1, 1), date(2020, 3, 31), "Q4 2019/20"),
    ("Q3 2019/20", PeriodKind.QUARTER, date(2019, 10, 1), date(2019, 12, 31), "Q3 2019/20"),
    ("spring 2019", PeriodKind.SEASON, date(2019, 3, 1), date(2019, 5, 31), "spring 2019"),
    ("Autumn 2019", PeriodKind.SEASON, date(2019, 9, 1), date(2019, 11, 30), "autumn 2019"),
    ("winter 2019/20", PeriodKind.SEASON, date(2019, 12, 1), date(2020, 2, 29),
     "winter 2019/20"),
    ("December 2018", PeriodKind.MONTH, date(2018, 12, 1), date(2018, 12, 31),
     "December 2018"),
    ("Sept 2019", PeriodKind.MONTH, date(2019, 9, 1), date(2019, 9, 30), "September 2019"),
    ("2019-01-17", PeriodKind.DAY, date(2019, 1, 17), date(2019, 1, 17), "17 January 2019"),
    ("17 January 2019", PeriodKind.DAY, date(2019, 1, 17), date(2019, 1, 17),
     "17 January 2019"),
    ("17/01/2019", PeriodKind.DAY, date(2019, 1, 17), date(2019, 1, 17), "17 January 2019"),
    ("2019", PeriodKind.YEAR, date(2019, 1, 1), date(2019, 12, 31), "2019"),
])
def test_period_parses_the_ways_commissioners_write_it(text, kind, start, end, label):
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)
    assert parse_period(period.label) == period


@pytest.mark.parametrize("text", [
    "", "soon", "2018/20", "Q5 2019/20", "winter 2019", "31 February 2019", "Smarch 2019",
    "2019-13-01",
])
def test_period_refuses_ambiguous_or_invalid_text(text):
    with pytest.raises(InvalidInput):
        parse_period(text)


def test_period_orders_by_first_then_last_day():
    periods = [parse_period(t) for t in ("spring 2019", "2018/19", "Q1 2019/20", "2019-01-17",
                                         "December 2018")]
    assert [p.label for p in sorted(periods)] == [
        "2018/19", "December 2018", "17 January 2019", "spring 2019", "Q1 2019/20"]


def test_period_describe_spells_out_imprecise_periods_only():
    assert parse_period("spring 2019").describe() == "spring 2019 (1 March to 31 May 2019)"
    assert parse_period("2018/19").describe() == "2018/19 (1 April 2018 to 31 March 2019)"
    assert parse_period("December 2018").describe() == "December 2018"
    assert parse_period("2019-01-17").describe() == "17 January 2019"


def test_period_contains_and_ended_before():
    spring = parse_period("spring 2019")
    assert spring.contains(date(2019, 5, 31)) and not spring.contains(date(2019, 6, 1))
    assert spring.ended_before(date(2019, 6, 1)) and not spring.ended_before(date(2019, 5, 31))


def test_format_date_has_no_leading_zero():
    assert format_date(date(2019, 1, 7)) == "7 January 2019"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_period_round_trips_any_day(day):
    period = Period.day(day)
    assert parse_period(period.label) == period
    assert parse_period(day.isoformat()) == period


@given(st.integers(min_value=1900, max_value=2200), st.integers(min_value=1, max_value=4))
def test_quarters_tile_their_financial_year(year, number):
    quarter = Period.quarter(number, year)
    fy = Period.financial_year(year)
    assert fy.start <= quarter.start <= quarter.end <= fy.end
    assert parse_period(quarter.label) == quarter
