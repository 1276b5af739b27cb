from datetime import date

import pytest

from linkwell.advice.calendar_words import bank_holidays
from linkwell.advice.dates import british, find_dates
from linkwell.advice.school_days import school_days_after

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
    # "Ago today" is one date, counted back from today; "today" is not a second one.
    ("a month ago today", date(2026, 11, 4)),
    ("two weeks ago today", date(2026, 11, 20)),
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
    assert school_days_after(date(2024, 3, 1), 15) == date(2024, 3, 22)  # Easter not reached


def test_school_days_skip_the_typical_school_holidays():
    # Christmas 2026: schools closed 19 December to 4 January (as the writers count them).
    assert school_days_after(date(2026, 12, 4), 15) == date(2027, 1, 11)
    assert school_days_after(date(2026, 12, 8), 15) == date(2027, 1, 13)
    # October half-term 2026.
    assert school_days_after(date(2026, 10, 23), 1) == date(2026, 11, 2)


def test_school_days_skip_the_christmas_2027_break():
    # London schools break up on Friday 17 December 2027 and reopen on Tuesday 4 January 2028.
    assert school_days_after(date(2027, 12, 16), 1) == date(2027, 12, 17)
    assert school_days_after(date(2027, 12, 17), 1) == date(2028, 1, 4)
    assert school_days_after(date(2027, 12, 9), 15) == date(2028, 1, 14)


def test_school_holidays_follow_a_rule_in_any_year():
    # No year is listed anywhere: the usual English pattern, worked out for 2029-30.
    assert school_days_after(date(2029, 10, 26), 1) == date(2029, 11, 5)  # October half-term
    assert school_days_after(date(2029, 12, 21), 1) == date(2030, 1, 4)  # Christmas
    assert school_days_after(date(2030, 2, 15), 1) == date(2030, 2, 25)  # February half-term
    # A late Easter (Sunday 21 April 2030): the fortnight before it, then Easter Monday.
    assert school_days_after(date(2030, 4, 5), 1) == date(2030, 4, 23)
    assert school_days_after(date(2030, 5, 3), 1) == date(2030, 5, 7)  # early May bank holiday
    assert school_days_after(date(2030, 5, 24), 1) == date(2030, 6, 3)  # May half-term
    assert school_days_after(date(2030, 7, 19), 1) == date(2030, 9, 3)  # summer


def test_an_autumn_term_due_on_a_monday_starts_on_the_tuesday():
    # 2 September 2030 is a Monday: kept for staff training, pupils back on Tuesday the 3rd.
    assert school_days_after(date(2030, 8, 30), 1) == date(2030, 9, 3)
    # Wednesday 2 September 2026 and Thursday 2 September 2027 start as before.
    assert school_days_after(date(2026, 8, 28), 1) == date(2026, 9, 2)
    assert school_days_after(date(2027, 8, 27), 1) == date(2027, 9, 2)


def test_school_holidays_of_the_years_the_writers_were_told():
    # Easter: early (2027), in the middle (2026) and late (2028).
    assert school_days_after(date(2027, 3, 25), 1) == date(2027, 4, 12)
    assert school_days_after(date(2026, 3, 27), 1) == date(2026, 4, 13)
    assert school_days_after(date(2028, 3, 31), 1) == date(2028, 4, 18)
    # Summer 2027: the last day is Wednesday 21 July, back on Thursday 2 September.
    assert school_days_after(date(2027, 7, 12), 15) == date(2027, 9, 13)
    assert school_days_after(date(2028, 3, 27), 15) == date(2028, 5, 3)


def test_british_dates_are_written_out():
    assert british(date(2026, 12, 20)) == "Sunday 20 December 2026"


@pytest.mark.parametrize(("text", "expected"), [
    ("a fortnight on monday", date(2026, 12, 21)),
    ("two weeks on friday", date(2026, 12, 25)),
    ("monday fortnight", date(2026, 12, 21)),
    ("the fourteenth of december", date(2026, 12, 14)),
    ("december the twenty-first", date(2026, 12, 21)),
    ("14.12", date(2026, 12, 14)),
    ("a week tomorrow", date(2026, 12, 12)),
    ("the monday after next", date(2026, 12, 14)),
    ("tuesday next week", date(2026, 12, 8)),
    ("next week on thursday", date(2026, 12, 10)),
])
def test_more_ways_of_writing_a_date_ahead(text, expected):
    assert _one(text).future == expected


def test_a_day_of_the_month_in_words_needs_a_preposition_or_weekday():
    fourteenth = _one("the hearing is on the fourteenth")
    assert (fourteenth.past, fourteenth.future) == (date(2026, 11, 14), date(2026, 12, 14))
    assert _one("by 21st").future == date(2026, 12, 21)
    assert find_dates("it is the second letter and the third time", TODAY) == []
    assert find_dates("it cost £3.50, from 10.30 at 9.15", TODAY) == []


@pytest.mark.parametrize(("today", "text", "expected"), [
    # A Wednesday: weekdays count from whatever day today is.
    (date(2027, 3, 10), "a fortnight on monday", date(2027, 3, 29)),
    (date(2027, 3, 10), "tuesday next week", date(2027, 3, 16)),
    # A Monday: "Tuesday next week" is not tomorrow.
    (date(2027, 5, 3), "tuesday next week", date(2027, 5, 11)),
    (date(2027, 5, 3), "end of next week", date(2027, 5, 14)),
])
def test_weekday_phrases_count_from_any_today(today, text, expected):
    found = find_dates(text, today)
    assert len(found) == 1, found
    assert found[0].future == expected


@pytest.mark.parametrize(("today", "text", "expected"), [
    # Forms read before this round, kept beside the new ones as a guard.
    (TODAY, "a week from tuesday", date(2026, 12, 15)),
    (TODAY, "14.12.26", date(2026, 12, 14)),
    (TODAY, "dec 14th", date(2026, 12, 14)),
    (TODAY, "boxing day", date(2026, 12, 26)),
    (TODAY, "in three weeks", date(2026, 12, 25)),
    (TODAY, "two weeks today", date(2026, 12, 18)),
    (TODAY, "this time next week", date(2026, 12, 11)),
    (date(2027, 3, 10), "next tuesday", date(2027, 3, 16)),
    (date(2027, 3, 10), "friday week", date(2027, 3, 19)),
    (date(2027, 5, 3), "this friday", date(2027, 5, 7)),
])
def test_forms_already_read_stay_read(today, text, expected):
    assert [m.future for m in find_dates(text, today)] == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("we have to be out the day after boxing day", date(2027, 12, 27)),
    ("the office shuts the day before christmas eve", date(2027, 12, 23)),
    ("the hearing is the day after new years day", date(2028, 1, 2)),
])
def test_the_day_before_or_after_a_holiday_is_that_day(text, expected):
    found = find_dates(text, date(2027, 12, 15))
    assert [m.future for m in found] == [expected]


@pytest.mark.parametrize(("today", "text", "expected"), [
    # New Year's Day 2031 is a Wednesday: the courts open again on Thursday 2 January.
    (date(2030, 12, 23), "an eviction date for the first working day after new year",
     date(2031, 1, 2)),
    # Christmas 2030 is a Wednesday and Boxing Day a bank holiday: Friday 27 December.
    (date(2030, 12, 23), "they reopen the next working day after christmas", date(2030, 12, 27)),
    # Christmas 2032 is a Saturday: the bank holidays move to Monday 27 and Tuesday 28.
    (date(2032, 12, 1), "the first working day after christmas day", date(2032, 12, 29)),
    # Christmas Eve 2033 is a Saturday: the last working day before it is Friday 23rd.
    (date(2033, 12, 1), "the last working day before christmas", date(2033, 12, 23)),
    # "The bank holiday" is the one much nearer: New Year's Day just gone, on 2 January 2035;
    # the August one to come, at the end of July 2030.
    (date(2035, 1, 2), "be out the day after the bank holiday", date(2035, 1, 2)),
    (date(2030, 7, 31), "it finishes the day after the bank holiday", date(2030, 8, 27)),
    # 31 August 2030 is a Saturday: the month's last working day is Friday 30th.
    (date(2030, 8, 2), "the keys back on the last working day of the month", date(2030, 8, 30)),
    # A weekday with a day of next month: Tuesday 6 February 2035, not the 6th this month.
    (date(2035, 1, 2), "an assessment on tues 6th of next month", date(2035, 2, 6)),
])
def test_a_working_day_after_or_before_a_holiday_skips_weekends_and_bank_holidays(
        today, text, expected):
    assert [m.future for m in find_dates(text, today)] == [expected]


def test_bank_holidays_of_england_and_wales_move_off_the_weekend():
    assert bank_holidays(2032) >= {date(2032, 12, 27), date(2032, 12, 28),
                                   date(2032, 3, 26), date(2032, 3, 29)}
    assert bank_holidays(2033) >= {date(2033, 1, 3), date(2033, 5, 2), date(2033, 5, 30),
                                   date(2033, 8, 29), date(2033, 12, 26), date(2033, 12, 27)}
    assert len(bank_holidays(2031)) == 8


def test_a_weekday_of_last_week_and_a_time_limit_are_read_as_they_are_meant():
    assert _one("on thursday last week").past == date(2026, 11, 26)
    # "within 14 days" is a time limit counted from a letter, not a date from today.
    assert find_dates("you can ask for a review within 14 days", TODAY) == []


def test_a_weekday_naming_a_weekly_event_is_not_a_date():
    # "the Monday meetings" happen every week: no one Monday is meant.
    assert find_dates("they stopped inviting me to the monday meetings", TODAY) == []
    assert find_dates("i lost my saturday shifts and the sunday club", TODAY) == []
    assert _one("the meeting is on monday").future == date(2026, 12, 7)
    assert _one("monday morning the bailiffs came").past == date(2026, 11, 30)


def test_between_christmas_and_new_year_is_a_rough_week_not_christmas_day():
    found = find_dates("the hearing is between christmas and new year, the 29th", TODAY)
    assert [(m.exact, m.future) for m in found] == [
        (False, date(2026, 12, 28)), (True, date(2026, 12, 29))]


def test_a_weekday_of_this_week_is_in_this_calendar_week():
    # Today is Friday 4 December 2026: "Tuesday of this week" is gone by, not the coming one.
    tuesday = _one("i only got it on tuesday of this week")
    assert (tuesday.past, tuesday.future) == (date(2026, 12, 1), date(2026, 12, 1))
    sunday = _one("the meeting is sunday this week")
    assert (sunday.past, sunday.future) == (date(2026, 12, 6), date(2026, 12, 6))


def test_how_often_in_a_day_or_a_week_is_not_a_date():
    assert find_dates("the carers come 4 times in a day", TODAY) == []
    assert find_dates("she needs help twice in a week", TODAY) == []
    assert _one("the hearing is in a week").future == date(2026, 12, 11)


def test_a_date_written_with_hyphens_is_day_month_year():
    # Formal letters write "14-12-2026" as well as "14/12/2026" and "14.12.2026".
    found = _one("a letter dated 14-12-2026 from the council")
    assert found.past == found.future == date(2026, 12, 14) and found.exact
    assert _one("the hearing is on 8-1-27").future == date(2027, 1, 8)


@pytest.mark.parametrize("text", ["sacked last march", "it started back in march",
                                  # "for 2 weeks" is how long, "back in March" when.
                                  "my money was stopped for 2 weeks back in march"])
def test_last_or_back_in_a_month_is_behind_only(text):
    found = find_dates(text, date(2027, 1, 11))
    assert len(found) == 1 and found[0].past == found[0].future == date(2026, 3, 1)
    assert not found[0].exact


def test_a_month_this_year_is_this_year_s_month():
    # "In April this year" said in December is the April gone, not the one coming.
    found = find_dates("she was let go in april this year", date(2027, 12, 15))
    assert [(m.past, m.future) for m in found] == [(date(2027, 4, 1), date(2027, 4, 1))]


@pytest.mark.parametrize(("text", "expected"), [
    ("the hostel said our room is only ours till good friday", date(2029, 3, 30)),
    ("she wants the keys back on easter monday", date(2029, 4, 2)),
    ("my hearing was moved to the tuesday after easter", date(2029, 4, 3)),
])
def test_easter_days_are_dates(text, expected):
    # Easter 2029 is Sunday 1 April: Good Friday is not the coming Friday.
    assert [m.future for m in find_dates(text, date(2029, 3, 1))] == [expected]


def test_easter_itself_is_an_approximate_date_and_the_easter_holidays_no_date():
    found = find_dates("the tenancy ends at easter", date(2029, 3, 1))
    assert [(m.future, m.exact) for m in found] == [(date(2029, 4, 1), False)]
    assert find_dates("over the easter holidays he stayed with his dad", date(2029, 3, 1)) == []


@pytest.mark.parametrize(("text", "expected"), [
    # Said on Tuesday 6 March 2029: "Friday the 16th" is the 16th, not the coming Friday.
    ("the possession hearing is on friday the 16th at 10", date(2029, 3, 16)),
    ("we have to be at the tribunal monday 12th", date(2029, 3, 12)),
    # The 2nd that is a Monday is next month's (2 April 2029), not the 2nd gone.
    ("the meeting is monday the 2nd", date(2029, 4, 2)),
])
def test_a_weekday_with_a_day_number_is_that_day_of_the_month(text, expected):
    found = find_dates(text, date(2029, 3, 6))
    assert [m.future for m in found] == [expected] and found[0].exact
    if expected.day == 2:  # 2 March was a Friday: the weekday rules out the past reading
        assert found[0].past == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Said on Friday 4 December 2026: holidays on a fixed day of the year, the last one.
    ("we got turned away on valentines day", date(2026, 2, 14)),
    ("it happened on bonfire night", date(2026, 11, 5)),
    ("the party was on guy fawkes night", date(2026, 11, 5)),
    ("they refused us at halloween", date(2026, 10, 31)),
    ("the day after bonfire night the agent rang", date(2026, 11, 6)),
])
def test_holidays_on_a_fixed_day_are_dates(text, expected):
    found = _one(text)
    assert found.past == expected and found.exact


def test_the_day_after_an_easter_day_is_moved_on_a_day():
    # Easter 2029 is Sunday 1 April: the day after Easter Monday is Tuesday 3 April.
    found = find_dates("we went back the day after easter monday", date(2029, 4, 20))
    assert [m.past for m in found] == [date(2029, 4, 3)]


def test_how_long_something_has_been_is_no_date_ahead():
    # "She's four months now" is an age; "four months from now" is a date.
    assert find_dates("my baby is four months now", TODAY) == []
    assert _one("four months from now").past == date(2027, 4, 4)


@pytest.mark.parametrize(("text", "expected"), [
    # Said on Friday 4 December 2026: a day number just after a month is that month's day.
    ("last october, on the 25th, the agent rang me", date(2026, 10, 25)),
    ("back in june, it was the 2nd, they turned us away", date(2026, 6, 2)),
    ("in september on the 9th we viewed the flat", date(2026, 9, 9)),
])
def test_a_day_number_after_a_month_is_that_month_s_day(text, expected):
    found = _one(text)
    assert found.past == expected and found.exact


def test_an_amount_a_month_taken_back_is_no_date():
    # "Taking £85 a month back" is a rate of deduction; "a month back" alone is a month ago.
    assert find_dates("they are taking £85 a month back and I am short", TODAY) == []
    assert _one("it came a month back").past == date(2026, 11, 4)


def test_a_number_before_a_span_ago_is_no_amount():
    # "Section 3 two years ago": the 3 is no sum of money; the span still dates.
    assert _one("detained under section 3 two years ago").past == date(2024, 12, 4)


# Days named for a festival or a custom move with Easter or fall on the nth weekday of a
# month: the weekday in the name is never the coming one ("Mothering Sunday" is not this
# Sunday). Today here is Friday 29 October 2032 (Easter 2033 is 17 April).
@pytest.mark.parametrize(("text", "past", "future"), [
    ("mothering sunday", date(2032, 3, 7), date(2033, 3, 27)),
    ("mother's day", date(2032, 3, 7), date(2033, 3, 27)),
    ("palm sunday", date(2032, 3, 21), date(2033, 4, 10)),
    ("shrove tuesday", date(2032, 2, 10), date(2033, 3, 1)),
    ("pancake day", date(2032, 2, 10), date(2033, 3, 1)),
    ("ash wednesday", date(2032, 2, 11), date(2033, 3, 2)),
    ("remembrance sunday", date(2031, 11, 9), date(2032, 11, 14)),
    ("remembrance day", date(2031, 11, 11), date(2032, 11, 11)),
    ("armistice day", date(2031, 11, 11), date(2032, 11, 11)),
    ("father's day", date(2032, 6, 20), date(2033, 6, 19)),
    ("the early may bank holiday", date(2032, 5, 3), date(2033, 5, 2)),
    ("the spring bank holiday", date(2032, 5, 31), date(2033, 5, 30)),
    # Two months gone is still the one meant (as with "12 August"): RECENT_PAST_DAYS.
    ("the august bank holiday", date(2032, 8, 30), date(2032, 8, 30)),
])
def test_named_days_resolve_to_their_own_date(text, past, future):
    found = find_dates(f"the hearing is on {text}", date(2032, 10, 29))
    assert [(m.past, m.future) for m in found] == [(past, future)]


@pytest.mark.parametrize(("text", "expected"), [
    ("the last friday of the month", date(2032, 10, 29)),  # today
    ("the last friday of next month", date(2032, 11, 26)),
    ("the second tuesday of next month", date(2032, 11, 9)),
    ("the first friday of last month", date(2032, 9, 3)),
])
def test_the_nth_weekday_of_a_month_is_that_day(text, expected):
    found = find_dates(f"it was listed for {text}", date(2032, 10, 29))
    assert [(m.past, m.future) for m in found] == [(expected, expected)]


@pytest.mark.parametrize(("text", "past", "future"), [
    # Said in October: last June's or next year's; last December's or the coming one.
    ("the first monday in june", date(2032, 6, 7), date(2033, 6, 6)),
    ("the first monday in december", date(2031, 12, 1), date(2032, 12, 6)),
    ("the 3rd thursday of november", date(2031, 11, 20), date(2032, 11, 18)),
])
def test_the_nth_weekday_of_a_named_month_reads_both_ways(text, past, future):
    found = find_dates(text, date(2032, 10, 29))
    assert [(m.past, m.future) for m in found] == [(past, future)]


# Said on Friday 29 October 2032: spans counted back from a day gone, a last weekday moved
# back a week, the last day of a month, and a year written first.
@pytest.mark.parametrize(("text", "expected"), [
    ("last friday week", date(2032, 10, 15)),
    ("the friday before last", date(2032, 10, 15)),
    ("the monday before last", date(2032, 10, 18)),
    ("three weeks last tuesday", date(2032, 10, 5)),
    ("a week last friday", date(2032, 10, 15)),
    ("a month yesterday", date(2032, 9, 28)),
    ("a week yesterday", date(2032, 10, 21)),
    ("the last day of the month", date(2032, 10, 31)),
    ("the last day of next month", date(2032, 11, 30)),
    ("2032/11/12", date(2032, 11, 12)),
])
def test_more_ways_of_writing_a_day(text, expected):
    found = find_dates(f"it was {text}", date(2032, 10, 29))
    assert [(m.past, m.future) for m in found] == [(expected, expected)]


@pytest.mark.parametrize(("text", "expected"), [
    # Said on Thursday 28 February 2036: the Monday six weeks before last Monday.
    ("I was dismissed six weeks ago on Monday", date(2036, 1, 14)),
    ("it was three weeks ago last Friday", date(2036, 2, 1)),
    ("my wages were due on the last day of January", date(2036, 1, 31)),
])
def test_spans_back_from_a_weekday_and_the_last_day_of_a_named_month(text, expected):
    assert [m.past for m in find_dates(text, date(2036, 2, 28))] == [expected]


@pytest.mark.parametrize(("today", "text", "expected"), [
    # "Tomorrow" as it is typed in a hurry.
    (date(2034, 3, 30), "pip tribunal is tomoro 10am", (date(2034, 3, 31),) * 2),
    # A date "last year" is that day a year back, one mention, exact.
    (date(2028, 12, 1), "he was dismissed on 14 February last year", (date(2027, 2, 14),) * 2),
    (date(2028, 12, 1), "refused in a pub on xmas eve last year", (date(2027, 12, 24),) * 2),
    # Christmas Eve however it is written.
    (date(2028, 12, 1), "I must leave the room on Xmas Eve", (date(2027, 12, 24),
                                                               date(2028, 12, 24))),
    # Weeks back from tomorrow or from yesterday.
    (date(2028, 12, 1), "three weeks ago tomorrow this envelope came", (date(2028, 11, 11),) * 2),
    (date(2037, 3, 26), "the letter came four weeks ago yesterday", (date(2037, 2, 25),) * 2),
    # The first working day after Easter 2037 is Tuesday 7 April (Easter Monday is the 6th).
    (date(2037, 3, 26), "the panel will sit on the first working day after Easter",
     (date(2036, 4, 15), date(2037, 4, 7))),
    (date(2028, 12, 1), "into a care home on the first working day after New Year",
     (date(2028, 1, 4), date(2029, 1, 2))),
    # The clocks go forward on the last Sunday in March and back on the last in October.
    (date(2037, 3, 26), "the half price offer ends the day the clocks change",
     (date(2036, 10, 26), date(2037, 3, 29))),
    (date(2037, 3, 26), "the day the clocks go back", (date(2036, 10, 26), date(2037, 10, 25))),
])
def test_more_days_people_write(today, text, expected):
    assert [(m.past, m.future) for m in find_dates(text, today)] == [expected]


@pytest.mark.parametrize("text", [
    "this is like the 3rd time with the same firm",
    "after the Christmas busy time they let me go",
    "it was the 2nd letter they sent",
])
def test_a_count_or_a_season_is_no_date(text):
    assert find_dates(text, date(2028, 12, 1)) == []


def test_a_weekday_said_to_be_days_back_is_the_last_one():
    mention = find_dates("on friday evening, three days ago now, my son was sectioned",
                         date(2030, 10, 28))[0]
    assert (mention.past, mention.future) == (date(2030, 10, 25), date(2030, 10, 25))


def test_a_month_then_its_day_in_brackets_is_that_day():
    mention = find_dates("back in november (the 10th, my mates birthday) the bouncers",
                         date(2028, 5, 10))[0]
    assert (mention.past, mention.future, mention.exact) == (date(2027, 11, 10),) * 2 + (True,)


@pytest.mark.parametrize("words, today, day", [
    # The Thursday before the August bank holiday (26 August 2030), said a week after it.
    ("sectioned on the thursday before the bank holiday", date(2030, 9, 2), date(2030, 8, 22)),
    # The Tuesday after the spring bank holiday (31 May 2032), said the Friday before it.
    ("first thing the tuesday after the bank holiday", date(2032, 5, 28), date(2032, 6, 1)),
    # The October half term 2030 runs 28 October to 1 November.
    ("the hearing is listed for the monday after half term", date(2030, 9, 2),
     date(2030, 11, 4)),
    ("excluded on the friday before half term", date(2030, 11, 12), date(2030, 10, 25)),
])
def test_a_weekday_before_or_after_a_bank_holiday_or_half_term(words, today, day):
    mention = find_dates(words, today)[0]
    assert day in (mention.past, mention.future) and mention.exact


def test_a_short_weekday_with_its_day_of_the_month_is_that_day():
    mention = find_dates("my student visa runs out sat 14th", date(2030, 9, 2))[0]
    assert (mention.past, mention.future) == (date(2030, 9, 14), date(2030, 9, 14))


def test_a_day_and_month_next_year_is_that_day_next_year():
    mention = find_dates("my visa runs out on 14 March next year", date(2030, 9, 2))[0]
    assert (mention.past, mention.future) == (date(2031, 3, 14), date(2031, 3, 14))


@pytest.mark.parametrize("words, day", [
    # 1 January 2034 is a Sunday, so Monday 2 January is the bank holiday.
    ("cut from the first working day of January", date(2034, 1, 3)),
    ("the first working day of next month", date(2033, 12, 1)),
])
def test_the_first_working_day_of_a_month(words, day):
    mention = find_dates(words, date(2033, 11, 30))[0]
    assert mention.future == day and mention.exact


def test_a_month_then_on_the_day_later_in_its_sentence_is_that_months_day():
    mentions = find_dates("in december i tried to book him into the holiday club for the "
                          "christmas holidays and on the 14th the manager rang", date(2031, 1, 31))
    assert [(m.past, m.exact) for m in mentions][-1] == (date(2030, 12, 14), True)


def test_a_holiday_named_in_brackets_after_its_date_is_no_second_date():
    mentions = find_dates("on monday 26 august 2030 (the bank holiday) i attended a viewing",
                          date(2031, 1, 31))
    assert [m.past for m in mentions] == [date(2030, 8, 26)]


def test_a_day_still_to_come_after_a_named_month_is_not_that_months():
    mentions = find_dates("he got refugee status in december and the hotel says he has to "
                          "leave on the 16th", date(2035, 1, 2))
    assert mentions[-1].future == date(2035, 1, 16)


@pytest.mark.parametrize("words, today, found", [
    ("my permission is until 2033, no problem", date(2031, 1, 31), [date(2033, 7, 1)]),
    ("i owe 2045 to the bank", date(2026, 12, 4), []),
])
def test_a_bare_year_is_a_date_only_near_today(words, today, found):
    assert [m.past for m in find_dates(words, today)] == found


@pytest.mark.parametrize("words, day", [
    ("my visa expires on 14 October this year", date(2038, 10, 14)),
    ("got refused at a club sat night", date(2038, 1, 2)),
])
def test_this_year_and_a_short_weekday_with_its_part_of_day(words, day):
    mention = find_dates(words, date(2038, 1, 4))[0]
    assert day in (mention.past, mention.future) and mention.exact
    if "this year" in words:
        assert mention.past == mention.future == day


def test_a_weekday_before_the_school_broke_up_is_in_the_last_week_of_term():
    # London schools by the rule broke up for Christmas on Friday 17 December 2032.
    mention = find_dates("on the tuesday before the school broke up, the head excluded him",
                         date(2032, 12, 22))[0]
    assert (mention.past, mention.future, mention.exact) == (date(2032, 12, 14),) * 2 + (True,)


@pytest.mark.parametrize("words, past, future, exact", [
    # By the rule, London schools broke up for the summer on Thursday 21 July 2033 and go
    # back on Friday 2 September; the summer term began on Tuesday 19 April (after Easter
    # Monday). The school day beside a long holiday is approximate.
    ("excluded on the last day of term", date(2033, 7, 21), date(2033, 10, 28), False),
    ("excluded the day the kids broke up", date(2033, 7, 21), date(2033, 7, 21), False),
    ("the hearing is on the first day of the autumn term", date(2032, 9, 2), date(2033, 9, 2),
     False),
    ("the first day of summer term", date(2033, 4, 19), date(2034, 4, 17), False),
    # A day either way after a past-tense verb is the one behind, unless reported.
    ("the emergency credit went on wednesday", date(2033, 7, 20), date(2033, 7, 20), True),
    ("the hearing was on wednesday", date(2033, 7, 20), date(2033, 7, 20), True),
    ("they said the hearing was on wednesday", date(2033, 7, 20), date(2033, 7, 27), True),
    ("the hearing is on wednesday", date(2033, 7, 20), date(2033, 7, 27), True),
])
def test_school_days_beside_holidays_and_days_behind_a_past_tense(words, past, future, exact):
    mention = find_dates(words, date(2033, 7, 22))[0]
    assert (mention.past, mention.future, mention.exact) == (past, future, exact)


def test_a_year_then_its_day_and_the_day_after_a_named_day():
    back = find_dates("back in 2034 on the 14th of June we booked a room", date(2036, 4, 30))
    assert [(m.past, m.future) for m in back] == [(date(2034, 6, 14),) * 2]
    # Mothering Sunday 2027 is 7 March; the spring bank holiday 2033 is Monday 30 May.
    after = find_dates("the hearing is on the day after Mothering Sunday", date(2027, 3, 2))[0]
    assert after.future == date(2027, 3, 8)
    spring = find_dates("on the bank holiday Monday at the end of May", date(2033, 7, 22))[0]
    assert spring.past == date(2033, 5, 30)


def test_weeks_on_a_weekday_since_count_back_and_a_month_named_then_its_day():
    # Friday 24 October 2031: "on Friday" is the 31st, six weeks after 19 September.
    since = find_dates("it'll be six weeks on friday since they took him off the rota",
                       date(2031, 10, 24))[0]
    assert since.past == since.future == date(2031, 9, 19)
    named = find_dates("in January last year, 10 January, a taxi refused me", date(2037, 2, 12))
    assert [(m.past, m.future) for m in named if m.exact] == [(date(2036, 1, 10),) * 2]


@pytest.mark.parametrize("words, found", [
    # A named day after a comma glosses the date before it.
    ("on 12 September, the Saturday, he told me I was finished", [date(2026, 9, 12)]),
    ("on Tuesday 15 December 2026, the day after the bank holiday", [date(2026, 12, 15)]),
    ("a letter dated 26 novembr", [date(2026, 11, 26)]),
    ("the county court letter came last wed", [date(2026, 12, 2)]),
    ("excluded on wed 17 july", [date(2026, 7, 17)]),
    ("i put it on the side coz of xmas", []),
    ("listed before the first-tier tribunal", []),
    ("back in January, it was Sunday the 18th I remember", [date(2026, 1, 18)]),
    ("Back in April \u2014 the 14th, it was a Sunday \u2014 a B&B cancelled", [date(2026, 4, 14)]),
    ("on the 4th of April, the Saturday before Easter, he let me go", [date(2026, 4, 4)]),
    ("deemed served on the second business day after posting", []),
])
def test_glosses_misspelt_months_short_weekdays_and_a_months_day(words, found):
    assert [m.past for m in find_dates(words, TODAY) if m.exact] == found
