import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.commissioning.money import (
    UNKNOWN,
    Money,
    amount_from_pence,
    amount_to_pence,
    format_pence,
    parse_amount,
)
from linkwell.errors import InvalidInput


@pytest.mark.parametrize(("text", "pence"), [
    ("£36,000", 3_600_000), ("36000", 3_600_000), ("36,000.50", 3_600_050), ("0", 0),
    ("£ 10 000", 1_000_000), (10000, 1_000_000), ("0.01", 1),
])
def test_amount_parses_pounds_into_pence(text, pence):
    assert parse_amount(text) == Money(pence)


@pytest.mark.parametrize("text", ["", "  ", "unknown", "Not known", "TBC", None])
def test_amount_blank_or_unknown_is_unknown_not_zero(text):
    amount = parse_amount(text)
    assert amount is UNKNOWN
    assert amount != Money(0)
    assert amount_to_pence(amount) is None


@pytest.mark.parametrize("text", ["-5", "£-10", "ten pounds", "1.005", "1e400", "NaN", "inf"])
def test_amount_refuses_negative_non_numeric_and_fractional_pence(text):
    with pytest.raises(InvalidInput):
        parse_amount(text)


def test_money_refuses_negative_and_non_integer_pence():
    with pytest.raises(InvalidInput):
        Money(-1)
    with pytest.raises(InvalidInput):
        Money(1.5)


def test_money_formats_like_a_public_answer():
    assert str(Money(3_600_000)) == "£36,000"
    assert str(Money(3_600_050)) == "£36,000.50"
    assert str(Money(5)) == "£0.05"
    assert str(UNKNOWN) == "not yet known"


def test_unknown_cannot_be_added_to_money():
    with pytest.raises(TypeError):
        Money(1) + UNKNOWN


@given(st.integers(min_value=0, max_value=10**13))
def test_format_then_parse_round_trips(pence):
    assert parse_amount(format_pence(pence)) == Money(pence)
    assert amount_from_pence(pence) == Money(pence)
