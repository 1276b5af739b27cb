"""UK postcode normalisation: pure functions, no I/O.

People type postcodes in any case and spacing ("se135aa", "SE13  5AA"); the reference data
holds them in the ONS ``pcds`` form ("SE13 5AA"): outward code, one space, inward code.
"""

import re

from linkwell.errors import InvalidInput

# Outward code: area (1-2 letters) + district (digit, then an optional digit or letter);
# inward code: sector digit + two unit letters. GIR 0AA is the one historic exception.
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_OUTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
_SPACES = re.compile(r"\s+")

POSTCODE_HINT = "Enter a full UK postcode, like SE13 5AA"


def normalise_postcode(text: str) -> str:
    """Return the postcode in ``pcds`` form, or raise InvalidInput if it is not a full postcode."""
    compact = _SPACES.sub("", text or "").upper()
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        raise InvalidInput(POSTCODE_HINT, errors=[{"field": "postcode", "message": POSTCODE_HINT}])
    return f"{match.group(1)} {match.group(2)}"


def is_postcode(text: str) -> bool:
    """True when ``text`` is a well-formed full postcode (it may still be unknown)."""
    try:
        normalise_postcode(text)
    except InvalidInput:
        return False
    return True


def outcode_of(text: str) -> str | None:
    """The outward code ("SE13") when ``text`` is one alone ("se13 "), else None."""
    compact = _SPACES.sub("", text or "").upper()
    return compact if _OUTCODE.fullmatch(compact) else None


def sector_of(postcode: str) -> str:
    """The postcode sector ("SE13 5") of a postcode in ``pcds`` form ("SE13 5ZZ")."""
    return postcode[:-2]


def unit_distance(a: str, b: str) -> int:
    """How far apart two postcodes' units ("ZZ", "AA") are in the alphabet, within a sector:
    the best guess of nearness for a postcode that is not in the reference data."""
    def rank(postcode: str) -> int:
        return (ord(postcode[-2]) - 65) * 26 + ord(postcode[-1]) - 65

    return abs(rank(a) - rank(b))
