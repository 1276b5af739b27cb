"""The rule a feed sync follows per field: apply the feed's value, or hold it for review."""

from datetime import date

import pytest

from linkwell.directory.sync_review import Decision, FieldHistory, as_text, decide

EDITED = FieldHistory(edited_here=True)
NEVER = FieldHistory()


def test_a_field_nobody_edited_here_takes_the_feeds_value():
    assert decide("name", local="Lunch club", incoming="Lunch Club", history=NEVER) == (
        Decision.APPLY)


def test_a_change_to_a_field_a_provider_edited_is_held():
    assert decide("email", local="new@example.org", incoming="old@example.org",
                  history=EDITED) == Decision.HOLD


def test_the_same_value_is_no_change_to_hold():
    assert decide("minimum_age", local=18.0, incoming=18, history=EDITED) == Decision.APPLY
    assert decide("url", local=None, incoming="", history=EDITED) == Decision.APPLY


def test_a_feed_value_accepted_for_the_field_makes_it_the_feeds_again():
    history = FieldHistory(edited_here=True, accepted=True, accepted_value="B")
    assert not history.owned_locally("B")
    assert decide("name", local="B", incoming="C", history=history) == Decision.APPLY


def test_an_edit_after_an_accepted_value_owns_the_field_again():
    history = FieldHistory(edited_here=True, accepted=True, accepted_value="B")
    assert history.owned_locally("D")
    assert decide("name", local="D", incoming="C", history=history) == Decision.HOLD


def test_a_value_already_kept_against_is_not_asked_about_again():
    assert decide("phone", local="020 7946 0001", incoming="020 7946 0999", history=EDITED,
                  kept_against=frozenset({"020 7946 0999"})) == Decision.KEEP
    assert decide("phone", local="020 7946 0001", incoming="020 7946 0123", history=EDITED,
                  kept_against=frozenset({"020 7946 0999"})) == Decision.HOLD


def test_removing_a_value_the_provider_set_is_held_too():
    assert decide("email", local="a@example.org", incoming=None, history=EDITED) == (
        Decision.HOLD)


@pytest.mark.parametrize(("local", "incoming", "expected"), [
    (date(2026, 3, 1), "2026-02-01", Decision.KEEP),  # older: the confirmation stands
    (date(2026, 3, 1), None, Decision.KEEP),
    (date(2026, 3, 1), "2026-04-01", Decision.APPLY),  # the feed checked it later
])
def test_a_feed_never_makes_a_confirmed_listing_look_less_recently_checked(local, incoming,
                                                                           expected):
    assert decide("assured_date", local=local, incoming=incoming, history=EDITED) == expected


def test_values_compare_as_the_review_page_shows_them():
    assert as_text(12.0) == "12"
    assert as_text(12.5) == "12.5"
    assert as_text(date(2026, 1, 2)) == "2026-01-02"
    assert as_text("  ") is None
