from datetime import date

import pytest

from linkwell.advice.dates import british, find_dates, school_days_after

TODAY = date(2026, 12, 4)  # a Friday


def _one(text: str):
    found = find_dates(text, TODAY)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("this coming tuesday", date(2026, 12, 8)),
    ("next thursday", date(2026, 12, 10)),
    ("next friday", date(2026, 12, 11)),
    ("this friday", date(2026, 12, 4)),
    ("tomorrow", date(2026, 12, 5)),
    ("tmrw", date(2026, 12, 5)),
    ("today", date(2026, 12, 4)),
    ("tonight", date(2026, 12, 4)),
    ("yesterday", date(2026, 12, 3)),
    ("the day after tomorrow", date(2026, 12, 6)),
    ("end of next month", date(2027, 1, 31)),
    ("end of the month", date(2026, 12, 31)),
    ("10 weeks ago", date(2026, 9, 25)),
    ("tuesday week", date(2026, 12, 15)),
    ("a week on tuesday", date(2026, 12, 15)),
    ("the 10th of next month", date(2027, 1, 10)),
    ("the 22nd of this month", date(2026, 12, 22)),
    ("2 wks ago", date(2026, 11, 20)),
    ("couple weeks ago", date(2026, 11, 20)),
    ("tonite", date(2026, 12, 4)),
    ("three weeks ago", date(2026, 11, 13)),
    ("a fortnight ago", date(2026, 11, 20)),
    ("2 months ago", date(2026, 10, 4)),
    ("last friday", date(2026, 11, 27)),
    ("in two weeks", date(2026, 12, 18)),
    ("08/12/2026", date(2026, 12, 8)),
    ("2026-12-08", date(2026, 12, 8)),
    ("january 12th 2027", date(2027, 1, 12)),
    ("12th of january 2027", date(2027, 1, 12)),
])
def test_dates_resolve_against_today(text, expected):
    mention = _one(text)
    assert mention.past == mention.future == expected
    assert mention.exact


def test_two_way_phrases_carry_both_readings_for_the_rule_to_choose():
    second = _one("on the 2nd")
    assert (second.past, second.future) == (date(2026, 12, 2), date(2027, 1, 2))
    monday = _one("on monday")
    assert (monday.past, monday.future) == (date(2026, 11, 30), date(2026, 12, 7))
    january = _one("15 jan")
    assert (january.past, january.future) == (date(2026, 1, 15), date(2027, 1, 15))


def test_a_recent_day_and_month_is_this_years_in_both_readings():
    mention = _one("the hearing was on 12 november")
    assert mention.past == mention.future == date(2026, 11, 12)


def test_a_month_season_or_part_of_a_month_alone_is_a_rough_date_both_ways():
    april = _one("back in april")
    assert (april.past, april.exact) == (date(2026, 4, 1), False)
    mid = _one("mid january")
    assert (mid.past, mid.future, mid.exact) == (date(2026, 1, 15), date(2027, 1, 15), False)
    summer = _one("in the summer")
    assert (summer.past, summer.future) == (date(2026, 7, 15), date(2027, 7, 15))
    assert _one("end of the week").future == date(2026, 12, 4)
    assert _one("last year in march").past == date(2025, 3, 1)


def test_vague_phrases_are_marked_approximate():
    assert not _one("last week").exact
    assert not _one("a few days ago").exact


def test_words_that_look_like_days_are_not_dates():
    assert find_dates("i sat in the sun and we wed in may", TODAY) == []


def test_mentions_are_in_order_with_their_place_in_the_text():
    text = "sacked yesterday and the hearing is next tuesday"
    found = find_dates(text, TODAY)
    assert [m.text for m in found] == ["yesterday", "next tuesday"]
    assert text[found[1].start:found[1].end] == "next tuesday"


def test_school_days_skip_weekends():
    assert school_days_after(date(2026, 12, 4), 1) == date(2026, 12, 7)
    assert school_days_after(date(2026, 12, 4), 15) == date(2026, 12, 25)


def test_british_dates_are_written_out():
    assert british(date(2026, 12, 20)) == "Sunday 20 December 2026"
