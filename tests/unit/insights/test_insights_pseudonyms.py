"""A practice may send system outcomes by pseudonym: HMAC-SHA256 of the NHS number under the
service's key, so the file carries no NHS number."""

import hashlib
import hmac
from datetime import date

import pytest

from linkwell.errors import InvalidInput
from linkwell.insights import outcomes, pseudonyms

TODAY = date(2026, 6, 30)
KEY = "a practice-shared key"
GOOD = "9990000018"


def test_a_pseudonym_is_hmac_sha256_of_the_normalised_nhs_number():
    expected = hmac.new(KEY.encode(), GOOD.encode(), hashlib.sha256).hexdigest()
    assert pseudonyms.pseudonym(GOOD, KEY) == expected
    assert pseudonyms.pseudonym("999 000 0018", KEY) == expected
    assert pseudonyms.pseudonym("999-000-0018", KEY) == expected


def test_another_key_gives_another_pseudonym():
    assert pseudonyms.pseudonym(GOOD, KEY) != pseudonyms.pseudonym(GOOD, KEY + "!")


def test_an_invalid_nhs_number_has_no_pseudonym():
    with pytest.raises(InvalidInput):
        pseudonyms.pseudonym("1234567890", KEY)


def test_without_a_key_there_is_no_pseudonym():
    with pytest.raises(pseudonyms.NoKey):
        pseudonyms.pseudonym(GOOD, "")


def test_a_pseudonym_file_is_read_line_by_line():
    name = pseudonyms.pseudonym(GOOD, KEY)
    text = ("pseudonym,measure,period,count\n"
            f"{name.upper()},gp-appointments,2025-01/2025-06,4\n"
            f"{GOOD},gp-appointments,2025-01/2025-06,4\n"
            f"{name},gp-appointments,2025-01/2025-06,5\n"
            f"{name},ae-attendances,2025-13/2025-06,1\n")
    parsed = outcomes.parse_system_csv(text, TODAY)
    assert parsed.column == "pseudonym"
    assert [(line.number, line.person) for line in parsed.lines] == [(2, name)]
    assert {r["line"]: r["reason"] for r in parsed.rejected} == {
        3: "Not a valid pseudonym: 64 hexadecimal characters (HMAC-SHA256)",
        4: "Duplicate of line 2",
        5: "Bad period: use YYYY-MM/YYYY-MM, for example 2025-01/2025-06"}


def test_an_nhs_number_file_is_still_read_as_before():
    parsed = outcomes.parse_system_csv(
        f"nhs_number,measure,period,count\n{GOOD},gp-appointments,2025-01/2025-06,4\n", TODAY)
    assert parsed.column == "nhs_number" and parsed.lines[0].person == GOOD


@pytest.mark.parametrize("header", ["nhs_number,pseudonym,measure,period,count",
                                    "pseudonym,nhs_number,measure,period,count"])
def test_a_file_with_both_columns_is_rejected_at_line_one(header):
    parsed = outcomes.parse_system_csv(f"{header}\n", TODAY)
    assert parsed.lines == []
    assert parsed.rejected == [{"line": 1, "reason": "The file has both nhs_number and "
                                                     "pseudonym columns: send one of them"}]


def test_a_file_with_neither_column_is_rejected_at_line_one():
    parsed = outcomes.parse_system_csv("person,measure,period,count\n", TODAY)
    assert parsed.rejected == [{"line": 1, "reason": (
        "The first line must be the header nhs_number,measure,period,count "
        "or pseudonym,measure,period,count")}]
