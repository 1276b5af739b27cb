"""Whether an invitation may be used, and why not (pure)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from linkwell.auth.invitations import VALID_FOR, InvitationState, accept_link, expires_at, refusal

SENT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OPEN = InvitationState("sam@example.org", expires_at(SENT), None)


def test_an_open_invitation_for_its_own_address_is_usable():
    assert refusal(OPEN, email="sam@example.org", now=SENT + timedelta(days=1)) is None


def test_each_refusal_says_why():
    assert "not valid" in refusal(None, email="sam@example.org", now=SENT)
    used = InvitationState(OPEN.email, OPEN.expires_at, SENT + timedelta(hours=1))
    assert "already been used" in refusal(used, email="sam@example.org", now=SENT)
    assert "expired on 8 December 2026" in refusal(OPEN, email="sam@example.org",
                                                   now=SENT + VALID_FOR)
    assert "different e-mail address" in refusal(OPEN, email="alex@example.org", now=SENT)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_an_invitation_works_exactly_until_it_expires(elapsed):
    usable = refusal(OPEN, email=OPEN.email, now=SENT + elapsed) is None
    assert usable == (elapsed < VALID_FOR)


def test_the_token_travels_in_the_query_string_which_is_never_logged():
    assert accept_link("abc") == "/invitations/accept?token=abc"
