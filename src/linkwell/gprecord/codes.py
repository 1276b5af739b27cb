"""The code data (``data/codes.json``): SNOMED CT concepts with their published sources, and
Linkwell's local code systems. No Linkwell imports, so the referrals domain can read it too."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CODES_FILE = Path(__file__).with_name("data") / "codes.json"


@dataclass(frozen=True)
class Concept:
    code: str
    display: str
    sources: tuple[str, ...]


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(CODES_FILE.read_text(encoding="utf-8"))


def snomed_system() -> str:
    return _data()["snomed_system"]


def snomed(event: str) -> Concept:
    """The verified SNOMED CT concept for an event (``referral``, ``declined``)."""
    item = _data()["snomed"][event]
    return Concept(item["code"], item["display"], tuple(item["sources"]))


def snomed_events() -> dict[str, Concept]:
    return {event: snomed(event) for event in _data()["snomed"]}


def local_system_base() -> str:
    return _data()["local_system_base"]


def local_system(kind: str) -> str:
    """The URL of one of Linkwell's own code systems (never an nhs.uk address)."""
    if kind not in _data()["local"]:
        raise KeyError(f"no local code system '{kind}'")
    return _data()["local_system_base"] + kind


def support_offered() -> tuple[str, str]:
    item = _data()["support_offered"]
    return item["code"], item["display"]
