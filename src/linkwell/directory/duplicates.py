"""Finding organisations and services that look like the same one twice (pure, no I/O).

Two records are proposed as duplicates when they share something that identifies a place or
a provider (a postcode, a phone number, a website, a charity number) and their names are
alike (``rapidfuzz`` token-sort ratio, so word order and case do not count). A shared phone,
website or charity number needs names 60% alike; a shared postcode alone, 85%, since one
community centre houses many services. Two services of one organisation that run at
different times are its sessions of an activity ("Community choir, Mondays from 14:00" and
"…, Mondays from 09:30"), alike by nature, and never proposed; a re-listing at the same
times is.
Comparing only records that share something ("blocking") keeps this near-linear: 50,000
services are a few seconds, not 1.25 billion comparisons. A value shared by more than
``BLOCK_LIMIT`` records (a council switchboard, a hub's postcode) identifies nothing and is
not used. A group of look-alikes is proposed as a chain of pairs linking them all, not as
every pair (see ``propose``).
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

BLOCK_LIMIT = 40
STRONG = ("phone", "website", "charity number")
STRONG_NAME_SCORE = 60.0
POSTCODE_NAME_SCORE = 85.0
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_DROP = frozenset({"the", "ltd", "limited", "cic", "cio", "inc", "uk"})


@dataclass(frozen=True)
class Record:
    """What identifies one organisation or service, already read from the directory."""

    id: str
    name: str
    postcodes: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    websites: frozenset[str] = frozenset()
    charity_numbers: frozenset[str] = frozenset()
    organization_id: str | None = None  # a service's provider; None for an organisation
    schedules: frozenset[str] = frozenset()  # a service's opening times, as comparable keys


@dataclass(frozen=True)
class Proposal:
    """Two records that look alike, the first by id first, with the evidence for it."""

    first_id: str
    second_id: str
    score: float
    evidence: tuple[str, ...]


def name_key(name: str) -> str:
    words = [w for w in _WORDS.findall(name.lower().replace("&", " and ")) if w not in _DROP]
    return " ".join(words)


def phone_key(number: str | None) -> str | None:
    """Digits only, UK national form ("+44 20 7946 0000" -> "02079460000")."""
    digits = re.sub(r"\D", "", number or "")
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:].lstrip("0")
    return digits if len(digits) >= 6 else None


def website_key(url: str | None) -> str | None:
    """A web address without scheme, ``www.``, query or trailing slash, lower case."""
    text = (url or "").strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).removeprefix("www.")
    text = text.split("?")[0].split("#")[0].rstrip("/")
    return text or None


def _signals(record: Record) -> Iterable[tuple[str, str]]:
    for number in record.charity_numbers:
        yield "charity number", number
    for website in record.websites:
        yield "website", website
    for phone in record.phones:
        yield "phone", phone
    for postcode in record.postcodes:
        yield "postcode", postcode


def _readable(kind: str, key: str) -> str:
    """A postcode as people write it ("SE135AA" -> "SE13 5AA"); other keys as they are."""
    return f"{key[:-3]} {key[-3:]}" if kind == "postcode" and len(key) > 4 else key


def _sessions_of_one_provider(first: Record, second: Record) -> bool:
    """Two services of one organisation at different times: sessions, not a duplicate."""
    return (first.organization_id is not None
            and first.organization_id == second.organization_id
            and bool(first.schedules) and bool(second.schedules)
            and first.schedules != second.schedules)


# Blocks are visited strongest evidence first, so a group's links carry the best evidence.
_ORDER = {"charity number": 0, "website": 1, "phone": 2, "postcode": 3}


def propose(records: Sequence[Record]) -> list[Proposal]:
    """Look-alike pairs, best evidence first.

    A group of look-alikes (the same listing imported five times) is proposed as a chain of
    pairs linking them all (a spanning forest, built greedily strongest evidence first), not
    as every pair: merging along it merges the group, and a pair already linked through
    others is not compared again, which keeps large groups cheap.
    """
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    signals = [frozenset(_signals(record)) for record in records]
    for index, found in enumerate(signals):
        for signal in found:
            blocks[signal].append(index)
    parent = list(range(len(records)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    keys: dict[int, str] = {}
    proposals = []
    for _signal, members in sorted(blocks.items(),
                                          key=lambda item: (_ORDER[item[0][0]], item[0][1])):
        if not 2 <= len(members) <= BLOCK_LIMIT:
            continue
        for i, j in combinations(members, 2):
            first_root, second_root = root(i), root(j)
            if first_root == second_root or _sessions_of_one_provider(records[i], records[j]):
                continue
            for index in (i, j):
                if index not in keys:
                    keys[index] = name_key(records[index].name)
            score = fuzz.token_sort_ratio(keys[i], keys[j])
            shared = signals[i] & signals[j]
            strong = any(k in STRONG for k, _ in shared)
            if score < (STRONG_NAME_SCORE if strong else POSTCODE_NAME_SCORE):
                continue
            parent[first_root] = second_root
            first, second = sorted((records[i].id, records[j].id))
            evidence = [f"Names {round(score)}% alike"] + [
                f"Same {k}: {_readable(k, v)}"
                for k, v in sorted(shared, key=lambda s: (_ORDER[s[0]], s[1]))]
            proposals.append(Proposal(first, second, round(score, 1), tuple(evidence)))
    return sorted(proposals, key=lambda p: (-len(p.evidence), -p.score, p.first_id,
                                            p.second_id))
