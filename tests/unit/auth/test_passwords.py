"""The one rule for a new password: 12 characters and not easy to guess (issue #13, 6)."""

import pytest

from linkwell.auth.passwords import check_strength, hash_password, rehash, verify_password
from linkwell.errors import InvalidInput


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", "qwertyuiopas",
                                      "123456789012", "iloveyou2024", "Password1234!"])
def test_common_and_repeated_passwords_are_refused(password):
    with pytest.raises(InvalidInput, match="harder password"):
        check_strength(password)


def test_a_password_made_of_the_persons_own_details_is_refused():
    for password in ("oluwaseun@example.org", "Oluwaseun Adebayo"):
        check_strength(password)
        with pytest.raises(InvalidInput, match="harder password"):
            check_strength(password, personal=("oluwaseun@example.org", "Oluwaseun Adebayo"))


@pytest.mark.parametrize("password", ["correct horse battery staple", "linkwell-demo-2026",
                                      "kettle orbit marmalade"])
def test_unrelated_words_are_accepted(password):
    check_strength(password)


def test_a_very_long_password_is_checked_quickly():
    check_strength("plum " * 10_000 + "tractor umbrella")


def test_rehash_keeps_a_password_already_in_use_whatever_its_strength():
    assert verify_password(rehash("aaaaaaaaaaaa"), "aaaaaaaaaaaa")
    with pytest.raises(InvalidInput):
        hash_password("aaaaaaaaaaaa")
