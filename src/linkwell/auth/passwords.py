"""Password hashing with argon2id (argon2-cffi's recommended parameters), and the one rule
for a new password: long enough and not easy to guess.

"Easy to guess" is zxcvbn's estimate (its bundled lists of common passwords, words and names,
keyboard runs, repeats and dates, and the person's own e-mail and name): a score below 3 is
refused, which is the NCSC's advice to block common passwords rather than demand symbols.
"""

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from linkwell.errors import InvalidInput

_hasher = PasswordHasher()
MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 3 "safely unguessable", about 10^8 guesses or more


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A real hash to verify against when the account does not exist, so timing does not
    reveal it (made at the first sign-in rather than at start-up: hashing is slow on purpose)."""
    return _hasher.hash("linkwell-no-such-account")


def hash_password(password: str, *, personal: tuple[str, ...] = ()) -> str:
    check_strength(password, personal=personal)
    return _hasher.hash(password)


def check_strength(password: str, *, personal: tuple[str, ...] = ()) -> None:
    """Refuse a short or guessable password; ``personal`` (e-mail, name) counts as known."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters.",
                           field="password")
    # zxcvbn takes at most 72 characters (its cost grows with length); they decide.
    known = [p.lower() for p in personal if p]
    known += [w for w in re.split(r"[^a-z0-9]+", " ".join(known)) if len(w) > 2]
    estimate = zxcvbn(password[:72], user_inputs=known)
    if estimate["score"] < MIN_SCORE:
        hint = estimate["feedback"]["warning"] or "It is too easy to guess."
        raise InvalidInput(f"Choose a harder password to guess. {hint} A few unrelated words "
                           "together make a strong password that is easy to remember.",
                           field="password")


def rehash(password: str) -> str:
    """A stronger hash of a password already in use (no strength rule: it was set earlier)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
