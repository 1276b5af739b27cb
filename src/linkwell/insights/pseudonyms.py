"""Pseudonyms for NHS numbers, so a practice can send system outcomes without them.

A pseudonym is HMAC-SHA256 of the NHS number (digits only, its check digit checked) under a
key this service shares with its practices (``LINKWELL_PSEUDONYM_KEY``), written as 64
lowercase hexadecimal characters. Without the key a pseudonym cannot be turned back into a
number, nor made for a guessed one; the practice makes them with ``linkwell insights
pseudonym``, and the import matches them by making the pseudonym of each referred person.
"""

import csv
import hashlib
import hmac
import io
import re

from linkwell.errors import InvalidInput, rejected_lines
from linkwell.referrals.domain import clean_nhs_number

_HEX = re.compile(r"^[0-9a-f]{64}$")


class NoKey(ValueError):
    """No pseudonym key is configured, so no pseudonym can be made or matched."""

    def __init__(self):
        super().__init__("LINKWELL_PSEUDONYM_KEY is not set")


def pseudonym(nhs_number: str, key: str) -> str:
    if not key:
        raise NoKey
    digits = clean_nhs_number(nhs_number)
    if digits is None:
        raise InvalidInput("NHS number is missing", errors=[{"field": "nhs_number",
                                                             "message": "missing"}])
    return hmac.new(key.encode("utf-8"), digits.encode("ascii"), hashlib.sha256).hexdigest()


def clean_pseudonym(text: str) -> str | None:
    """The pseudonym in lowercase; None when it is not 64 hexadecimal characters."""
    text = text.strip().lower()
    return text if _HEX.match(text) else None


def convert_csv(text: str, key: str) -> str:
    """A CSV whose first column is ``nhs_number``, with that column replaced by ``pseudonym``
    and the rest kept as they are. Any line whose NHS number is not valid is named (never the
    number itself) and nothing is converted."""
    if not key:
        raise NoKey
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or not rows[0] or rows[0][0].strip().lower() != "nhs_number":
        raise rejected_lines("converted", [{"line": 1,
                                            "reason": "The first column must be nhs_number"}])
    out, rejected = [["pseudonym", *rows[0][1:]]], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            out.append([pseudonym(row[0], key), *row[1:]])
        except InvalidInput:
            rejected.append({"line": number, "reason": "Not a valid NHS number"})
    if rejected:
        raise rejected_lines("converted", rejected)
    written = io.StringIO()
    csv.writer(written, lineterminator="\n").writerows(out)
    return written.getvalue()

