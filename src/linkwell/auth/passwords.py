"""Password hashing with argon2id (argon2-cffi's recommended parameters)."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from linkwell.errors import InvalidInput

_hasher = PasswordHasher()
MIN_LENGTH = 12


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A real hash to verify against when the account does not exist, so timing does not
    reveal it (made at the first sign-in rather than at start-up: hashing is slow on purpose)."""
    return _hasher.hash("linkwell-no-such-account")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters.")


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
