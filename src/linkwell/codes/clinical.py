"""The clinical code data (``data/clinical.json``): SNOMED CT concepts with their published
sources, the events no source could verify, and Linkwell's local code systems. Only the
settings are imported, so any area's domain can read it (the referrals domain and FHIR export,
gprecord).

A local code system's URL is the deployment's own public address (``LINKWELL_PUBLIC_URL``,
``settings.public_link``) + ``/fhir/CodeSystem/`` + its id, and the deployment serves the
CodeSystem resource there: a URL whoever runs Linkwell controls, never an nhs.uk address nor
a domain this project does not own."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from linkwell.settings import Settings, get_settings

CODES_FILE = Path(__file__).with_name("data") / "clinical.json"


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


def not_verified() -> dict[str, str]:
    """Events the standard codes whose SNOMED CT concept no published source gave: why."""
    return dict(_data()["not_verified"])


def local_system_base(settings: Settings | None = None) -> str:
    """Where this deployment's code systems live: its public address + /fhir/CodeSystem/."""
    return (settings or get_settings()).public_link(_data()["local_path"])


def local_system(kind: str, base: str | None = None) -> str:
    """The URL of one of Linkwell's own code systems (``base`` from ``local_system_base``)."""
    if kind not in _data()["local"]:
        raise KeyError(f"no local code system '{kind}'")
    return (base if base is not None else local_system_base()) + kind


def local_code_systems() -> dict[str, dict]:
    """Each local code system's id with its title, description and (for those not read from
    the referrals area's coded lists) its concepts."""
    return {kind: dict(item) for kind, item in _data()["local"].items()}


def support_offered() -> tuple[str, str]:
    code = _data()["support_offered"]
    [concept] = [c for c in _data()["local"]["support-offered"]["concepts"]
                 if c["code"] == code]
    return concept["code"], concept["display"]
