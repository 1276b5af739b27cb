import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.errors import InvalidInput
from linkwell.geo.postcodes import (
    is_postcode,
    normalise_postcode,
    outcode_of,
    sector_of,
    unit_distance,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("se135aa", "SE13 5AA"),
    ("SE13 5AA", "SE13 5AA"),
    ("  se13   5aa ", "SE13 5AA"),
    ("sw1a1aa", "SW1A 1AA"),
    ("W1A 0AX", "W1A 0AX"),
    ("m1 1ae", "M1 1AE"),
    ("b338th", "B33 8TH"),
    ("EC1A\t1BB", "EC1A 1BB"),
    ("gir 0aa", "GIR 0AA"),
])
def test_normalise_postcode_accepts_any_case_and_spacing(text, expected):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "SE13", "SE13 5A", "SE135AAA", "SE13-5AA", "12345", "SE13 AAA", "S E 1 3 5 A A 1",
    "1E13 5AA", "SE13 5A1",
])
def test_normalise_postcode_malformed_raises_invalid_input(text):
    with pytest.raises(InvalidInput) as excinfo:
        normalise_postcode(text)
    assert excinfo.value.status == 422
    assert "SE13 5AA" in excinfo.value.detail  # tells the person what a postcode looks like
    assert not is_postcode(text)


def test_normalise_postcode_none_raises_invalid_input():
    with pytest.raises(InvalidInput):
        normalise_postcode(None)


_letters = st.sampled_from("ABCDEFGHIJKLMNOPRSTUWYZ")
_digits = st.sampled_from("0123456789")


@st.composite
def postcodes(draw) -> str:
    area = "".join(draw(st.lists(_letters, min_size=1, max_size=2)))
    district = draw(_digits) + draw(st.sampled_from(["", *"0123456789ABCDEFGHJKMNPRSTUVWXY"]))
    inward = draw(_digits) + draw(_letters) + draw(_letters)
    return f"{area}{district} {inward}"


@st.composite
def spellings(draw, postcode: str) -> str:
    """The same postcode with random case and whitespace around and between characters."""
    out = []
    for char in postcode.replace(" ", ""):
        out.append(draw(st.sampled_from(["", " ", "  ", "\t"])))
        out.append(char.lower() if draw(st.booleans()) else char)
    out.append(draw(st.sampled_from(["", " ", "\n"])))
    return "".join(out)


@given(st.data())
def test_normalise_postcode_any_spelling_normalises_the_same(data):
    postcode = data.draw(postcodes())
    spelling = data.draw(spellings(postcode))
    assert normalise_postcode(spelling) == normalise_postcode(postcode) == postcode


@given(postcodes())
def test_normalise_postcode_is_idempotent(postcode):
    once = normalise_postcode(postcode)
    assert normalise_postcode(once) == once
    assert len(once) <= 8


def test_outcode_of_accepts_an_outward_code_alone():
    assert outcode_of(" se13 ") == "SE13"
    assert outcode_of("W1A") == "W1A"
    assert outcode_of("SE13 5AA") is None
    assert outcode_of("SE135") is None
    assert outcode_of("") is None


def test_unit_distance_orders_postcodes_within_a_sector():
    assert sector_of("SE13 5ZZ") == "SE13 5"
    assert unit_distance("SE13 5ZZ", "SE13 5ZY") == 1
    assert unit_distance("SE13 5ZZ", "SE13 5AA") > unit_distance("SE13 5ZZ", "SE13 5YA")
