"""Code lists as data: one JSON file per concept (``sex``, ``ethnicity``, ``referral_source``),
each naming its code system and citing the standard it comes from.

Every module that needs a concept's codes reads them here, so a code list is written once.
No Linkwell imports, so any domain module may use it. Beside the lists: ``clinical`` (SNOMED CT
concepts and Linkwell's local code systems, ``data/clinical.json``), ``ukcore`` (the UK Core
profiles and NHS identifier systems) and ``languages`` (BCP-47).
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent


@dataclass(frozen=True)
class Coded:
    """One code: ``display`` as the standard words it, ``label`` as Linkwell's forms show it."""

    code: str
    display: str
    label: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class CodeList:
    concept: str
    system: str
    sources: tuple[str, ...]
    items: tuple[Coded, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def __contains__(self, code: object) -> bool:
        return any(item.code == code for item in self.items)

    def where(self, key: str, value: object, default: object = None) -> tuple[Coded, ...]:
        """The items whose ``key`` (beyond code, display and label) is ``value``."""
        return tuple(i for i in self.items if i.extra.get(key, default) == value)


@cache
def code_list(concept: str) -> CodeList:
    data = json.loads((FOLDER / f"{concept}.json").read_text(encoding="utf-8"))
    items = tuple(
        Coded(item["code"], item["display"], item.get("label", item["display"]),
              {k: v for k, v in item.items() if k not in ("code", "display", "label")})
        for item in data["codes"])
    return CodeList(data["concept"], data["system"], tuple(data["sources"]), items)


def sex() -> CodeList:
    return code_list("sex")


def ethnicity() -> CodeList:
    return code_list("ethnicity")


def referral_source() -> CodeList:
    return code_list("referral_source")
