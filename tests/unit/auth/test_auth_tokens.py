import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.auth.passwords import check_strength, hash_password, verify_password
from linkwell.auth.ratelimit import RateLimiter
from linkwell.auth.tokens import csrf_token_for, csrf_token_valid, new_token, token_hash
from linkwell.errors import InvalidInput


def test_password_hash_is_argon2id_and_verifies():
    stored = hash_password("a long enough password")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long enough password")
    assert not verify_password(stored, "a long enough passworD")


def test_verify_password_without_an_account_is_false():
    assert not verify_password(None, "anything at all")


def test_short_password_is_refused():
    with pytest.raises(InvalidInput, match="12 characters"):
        check_strength("short")


@given(st.text(min_size=1, max_size=40))
def test_csrf_token_only_matches_its_own_browser(browser_id):
    token = csrf_token_for(browser_id, "secret")
    assert csrf_token_valid(token, browser_id, "secret")
    assert not csrf_token_valid(token, browser_id + "x", "secret")
    assert not csrf_token_valid(token, browser_id, "another secret")


def test_csrf_token_missing_is_invalid():
    assert not csrf_token_valid(None, "browser", "secret")
    assert not csrf_token_valid("token", None, "secret")


def test_tokens_are_random_and_stored_hashed():
    a, b = new_token(), new_token()
    assert a != b and len(a) >= 40
    assert token_hash(a) != a and len(token_hash(a)) == 64


def test_rate_limiter_allows_limit_then_refuses_until_window_passes():
    now = [0.0]
    limiter = RateLimiter(limit=3, window_seconds=10, clock=lambda: now[0])
    assert [limiter.allow("ip") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("other ip")
    now[0] = 10.5
    assert limiter.allow("ip")
