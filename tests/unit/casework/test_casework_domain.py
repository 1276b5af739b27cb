from datetime import UTC, date, datetime

import pytest

from linkwell.casework import domain
from linkwell.casework.domain import Channel, ConsentRefused, Week
from linkwell.errors import InvalidInput


def test_week_parses_iso_weeks_and_bounds_in_uk_time():
    week = Week.parse("2026-W27", date(2026, 1, 1))
    assert week.monday == date(2026, 6, 29)
    start, end = week.bounds()
    assert start == datetime(2026, 6, 28, 23, 0, tzinfo=UTC)  # BST: midnight is 23:00 UTC
    assert str(week.shifted(1)) == "2026-W28"


@pytest.mark.parametrize("text", ["2026-27", "2026-W54", "week"])
def test_week_refuses_what_is_not_an_iso_week(text):
    with pytest.raises(InvalidInput):
        Week.parse(text, date(2026, 1, 1))


def test_appointment_must_end_after_it_starts():
    start = datetime(2026, 12, 8, 10, tzinfo=UTC)
    with pytest.raises(InvalidInput) as refused:
        domain.check_times(start, start)
    assert refused.value.errors[0]["field"] == "ends_at"


def test_past_and_overlapping_bookings_are_warned_not_refused():
    now = datetime(2026, 12, 8, 12, tzinfo=UTC)
    assert domain.booking_warnings(datetime(2026, 12, 8, 9, tzinfo=UTC), now, 2) == [
        "past", "overlap"]
    assert domain.booking_warnings(datetime(2026, 12, 9, 9, tzinfo=UTC), now, 0) == []


def test_mobile_numbers_are_checked_with_phonenumbers():
    assert domain.check_mobile("07911 123456") == "+447911123456"
    with pytest.raises(InvalidInput, match="mobile"):
        domain.check_mobile("020 7946 0000")
    with pytest.raises(InvalidInput, match="not a real"):
        domain.check_mobile("07700 90")


def test_a_channel_without_consent_is_refused_with_the_reason():
    with pytest.raises(ConsentRefused, match="not agreed to text messages"):
        domain.choose_channel(preference="text", consents={Channel.EMAIL: True},
                              email="a@example.org", phone="07911123456",
                              channel=Channel.SMS)
    with pytest.raises(ConsentRefused, match="not agreed"):
        domain.choose_channel(preference=None, consents={}, email="a@example.org",
                              phone=None)


def test_preference_chooses_among_agreed_channels():
    both = {Channel.EMAIL: True, Channel.SMS: True}
    assert domain.choose_channel(preference="text", consents=both, email="a@example.org",
                                 phone="07911123456") == (Channel.SMS, "+447911123456")
    assert domain.choose_channel(preference="email", consents=both, email="a@example.org",
                                 phone="07911123456") == (Channel.EMAIL, "a@example.org")


def test_an_invalid_email_address_gets_a_clear_error():
    with pytest.raises(InvalidInput, match="not valid"):
        domain.check_email("not an address")
