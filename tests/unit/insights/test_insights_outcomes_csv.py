"""The system-outcomes CSV is read line by line, every bad line named with its reason."""

from datetime import date

import pytest

from linkwell.errors import InvalidInput
from linkwell.insights import outcomes
from linkwell.insights.commands import Imported

TODAY = date(2026, 6, 30)
GOOD = "9990000018"


def test_each_bad_line_is_rejected_with_its_reason_and_good_lines_are_kept():
    text = ("nhs_number,measure,period,count\n"
            f"{GOOD},gp-appointments,2025-01/2025-06,4\n"
            "1234567890,gp-appointments,2025-01/2025-06,4\n"
            f"{GOOD},dentist,2025-01/2025-06,4\n"
            f"{GOOD},ae-attendances,2025-13/2025-06,1\n"
            f"{GOOD},ae-attendances,2025-06/2025-01,1\n"
            f"{GOOD},ae-attendances,2026-05/2026-06,1\n"
            f"{GOOD},ae-attendances,2025-01/2025-06,many\n"
            f"{GOOD},gp-appointments,2025-01/2025-06,5\n"
            f"{GOOD},ae-attendances\n")
    parsed = outcomes.parse_system_csv(text, TODAY)
    assert [(line.number, line.count, line.end) for line in parsed.lines] == [
        (2, 4, date(2025, 6, 30))]
    reasons = {r["line"]: r["reason"] for r in parsed.rejected}
    assert reasons == {
        3: "Not a valid NHS number",
        4: "Unknown measure 'dentist': use gp-appointments or ae-attendances",
        5: "Bad period: use YYYY-MM/YYYY-MM, for example 2025-01/2025-06",
        6: "Bad period: it ends before it starts",
        7: "Bad period: it has not ended yet",
        8: "The count must be a whole number from 0 to 1000",
        9: "Duplicate of line 2",
        10: "Expected 4 values, found 2"}


def test_a_file_without_the_header_is_rejected_at_line_one():
    parsed = outcomes.parse_system_csv(f"{GOOD},gp-appointments,2025-01/2025-06,4\n", TODAY)
    assert parsed.lines == [] and parsed.rejected[0]["line"] == 1


def test_a_period_is_before_or_after_the_referral_never_across_it():
    line = outcomes.parse_system_csv(
        f"nhs_number,measure,period,count\n{GOOD},gp-appointments,2025-01/2025-06,4\n",
        TODAY).lines[0]
    assert outcomes.relative_to(line, date(2025, 7, 1)) == "before"
    assert outcomes.relative_to(line, date(2024, 12, 31)) == "after"
    assert outcomes.relative_to(line, date(2025, 3, 1)) is None


def test_community_outcome_fields_are_all_checked_at_once():
    with pytest.raises(InvalidInput) as caught:
        outcomes.check_community("picnic", "0", "2027-01", TODAY)
    assert {e["field"] for e in caught.value.errors} == {"kind", "count", "month"}
    assert outcomes.check_community("new-group", "2", "2026-04", TODAY) == (
        "new-group", 2, date(2026, 4, 1))


@pytest.mark.parametrize(("lines", "people", "said"), [
    (1, 1, "Imported 1 line for 1 person."),
    (2, 1, "Imported 2 lines for 1 person."),
    (1200, 340, "Imported 1,200 lines for 340 people."),
])
def test_an_import_says_what_it_imported_in_plain_english(lines, people, said):
    assert str(Imported(lines=lines, people=people)) == said
