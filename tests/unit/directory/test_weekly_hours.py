"""Weekly opening times and languages as a provider edits them (pure)."""

from datetime import time

from hypothesis import given
from hypothesis import strategies as st

from linkwell.directory import weekly_hours
from linkwell.directory.search_query import DAYS


def test_days_with_the_same_times_share_one_schedule_row():
    hours = {"MO": (time(10), time(16)), "WE": (time(10), time(16)), "SA": (time(9), time(12))}
    assert weekly_hours.as_schedule_rows(hours) == [
        {"freq": "WEEKLY", "byday": "MO,WE", "opens_at": time(10), "closes_at": time(16)},
        {"freq": "WEEKLY", "byday": "SA", "opens_at": time(9), "closes_at": time(12)}]


def test_a_feed_schedule_reads_back_day_by_day():
    rows = [{"freq": "WEEKLY", "byday": "MO, WE", "opens_at": time(10), "closes_at": time(16)},
            {"freq": "MONTHLY", "byday": "1TU", "opens_at": time(9), "closes_at": time(10)}]
    assert weekly_hours.from_schedules(rows) == {"MO": (time(10), time(16)),
                                                 "WE": (time(10), time(16))}


times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@given(st.dictionaries(st.sampled_from(DAYS), st.tuples(times, times).filter(
    lambda t: t[0] < t[1])))
def test_hours_survive_the_form_and_the_schedule_rows(hours):
    read, errors = weekly_hours.from_form(weekly_hours.as_form(hours))
    assert errors == [] and read == hours
    assert weekly_hours.from_schedules(weekly_hours.as_schedule_rows(hours)) == hours


def test_each_bad_day_gets_its_own_field_error():
    _, errors = weekly_hours.from_form({"opens_MO": "10:00", "closes_MO": "",
                                        "opens_TU": "25:00", "closes_TU": "26:00",
                                        "opens_WE": "16:00", "closes_WE": "10:00",
                                        "opens_TH": "9.30", "closes_TH": "17:00"})
    assert [(e["field"], e["message"].split()[0]) for e in errors] == [
        ("closes_MO", "Enter"), ("opens_TU", "Enter"), ("closes_WE", "Wednesday's")]
    assert "Enter both times for Monday" in errors[0]["message"]


def test_languages_are_listed_once_each_and_odd_text_is_refused():
    names, errors = weekly_hours.languages_from_form("english, Polish;polish\nBritish Sign "
                                                     "Language")
    assert names == ["English", "Polish", "British Sign Language"] and errors == []
    _, errors = weekly_hours.languages_from_form("English, <script>")
    assert errors[0]["field"] == "languages"
