"""Wellbeing instruments defined as data: items, response options, scoring rule and bands.

Validated instruments ship as JSON in ``definitions/``; an administrator's local instrument is
the same document, checked by the same model before it is saved. Scoring never branches on an
instrument's name, only on the rule its definition names, so a new instrument needs no code.
Field names follow FHIR ``Questionnaire`` where one exists (``linkId``, ``answerOption``).
"""

import json
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from linkwell.errors import InvalidInput, NotFound

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
LINK_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, extra="forbid"
    )


class Coding(_Model):
    """A code from a terminology (SNOMED CT, LOINC) for the score an instrument produces."""

    system: str = Field(min_length=1)
    code: str = Field(min_length=1)
    display: str = Field(min_length=1)


class Option(_Model):
    value: int
    label: str = Field(min_length=1, max_length=200)


class Band(_Model):
    """A named score range, both ends inclusive (``Low``: 0–4)."""

    label: str = Field(min_length=1, max_length=80)
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self):
        if self.min > self.max:
            raise ValueError(f"band {self.label!r}: min {self.min} is above max {self.max}")
        return self

    def contains(self, score: float) -> bool:
        return self.min <= score <= self.max


class Item(_Model):
    link_id: str = Field(pattern=LINK_ID)
    text: str = Field(min_length=1, max_length=500)
    reverse_scored: bool = False
    # Item-level overrides: options of its own, a direction and bands (per-item scoring only).
    options: tuple[Option, ...] | None = None
    higher_is_better: bool | None = None
    bands: tuple[Band, ...] = ()


class ScoringRule(StrEnum):
    SUM = "sum"  # total of item scores
    SUM_CONVERTED = "sum_converted"  # raw total converted by a published table (SWEMWBS)
    PER_ITEM = "per_item"  # each item reported on its own, never summed (ONS4)
    SINGLE_ITEM = "single_item"  # one question; the answer is the result (ONS loneliness)


class Scoring(_Model):
    rule: ScoringRule
    # "no_total": an incomplete form has no total (no pro-rating); "score_answered": each
    # answered item stands alone (per-item instruments).
    missing_items: Literal["no_total", "score_answered"]
    higher_is_better: bool = True
    # Only where a published source gives one (cited in ``source``); None: no threshold, so a
    # change is reported by its size and never labelled improved or worse.
    meaningful_change: float | None = Field(default=None, gt=0)
    conversion: tuple[float, ...] | None = None
    bands: tuple[Band, ...] = ()


class InstrumentDefinition(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    short_name: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    version: str = Field(default="1", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
    preamble: str = Field(default="", max_length=2000)
    copyright: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=2000)
    code: Coding | None = None
    options: tuple[Option, ...] = ()
    items: tuple[Item, ...] = Field(min_length=1, max_length=100)
    scoring: Scoring

    # --- derived views -----------------------------------------------------------------
    def options_for(self, item: Item) -> tuple[Option, ...]:
        return item.options if item.options is not None else self.options

    def item_score(self, item: Item, value: int) -> int:
        """The answer's score: its value, mirrored within the item's range if reverse-scored."""
        if not item.reverse_scored:
            return value
        values = [o.value for o in self.options_for(item)]
        return min(values) + max(values) - value

    def item_scores(self, item: Item) -> list[int]:
        return sorted(self.item_score(item, o.value) for o in self.options_for(item))

    def higher_is_better_for(self, item: Item) -> bool:
        if item.higher_is_better is not None:
            return item.higher_is_better
        return self.scoring.higher_is_better

    @property
    def raw_range(self) -> tuple[int, int]:
        low = sum(self.item_scores(i)[0] for i in self.items)
        high = sum(self.item_scores(i)[-1] for i in self.items)
        return low, high

    def attainable_totals(self) -> list[float]:
        """Every score the total can take: what bands must cover exactly."""
        totals = {0}
        for item in self.items:
            totals = {t + s for t in totals for s in self.item_scores(item)}
        if self.scoring.rule is ScoringRule.SUM_CONVERTED:
            low = self.raw_range[0]
            return sorted({self.scoring.conversion[t - low] for t in totals})
        return sorted(totals)

    # --- validation on save --------------------------------------------------------------
    @model_validator(mode="after")
    def _consistent(self):
        link_ids = [i.link_id for i in self.items]
        duplicates = sorted({x for x in link_ids if link_ids.count(x) > 1})
        if duplicates:
            raise ValueError(f"linkId must be unique; repeated: {', '.join(duplicates)}")
        for item in self.items:
            _check_options(item.link_id, self.options_for(item))
        rule = self.scoring.rule
        expected_missing = "score_answered" if rule is ScoringRule.PER_ITEM else "no_total"
        if self.scoring.missing_items != expected_missing:
            raise ValueError(f"a {rule} instrument must use missingItems {expected_missing!r}")
        if rule is ScoringRule.SINGLE_ITEM and len(self.items) != 1:
            raise ValueError("a single_item instrument has exactly one item")
        if rule is ScoringRule.SUM_CONVERTED:
            self._check_conversion()
        elif self.scoring.conversion is not None:
            raise ValueError("a conversion table is only used with the sum_converted rule")
        if rule is ScoringRule.PER_ITEM:
            if self.scoring.bands:
                raise ValueError("per_item instruments put their bands on each item")
            for item in self.items:
                _check_bands(f"item {item.link_id!r}", item.bands, self.item_scores(item))
        else:
            if any(item.bands or item.higher_is_better is not None for item in self.items):
                raise ValueError("item bands and directions are only used with the per_item rule")
            _check_bands("the total", self.scoring.bands, self.attainable_totals())
        return self

    def _check_conversion(self) -> None:
        table = self.scoring.conversion
        low, high = self.raw_range
        if table is None or len(table) != high - low + 1:
            raise ValueError(
                f"the conversion table needs one value per raw score {low}–{high} "
                f"({high - low + 1} values), not {0 if table is None else len(table)}"
            )
        if any(b < a for a, b in zip(table, table[1:], strict=False)):
            raise ValueError("the conversion table must not decrease as the raw score rises")


def _check_options(link_id: str, options: tuple[Option, ...]) -> None:
    if not options:
        raise ValueError(f"item {link_id!r} has no response options")
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        raise ValueError(f"item {link_id!r} repeats an option value")
    labels = [o.label for o in options]
    if len(set(labels)) != len(labels):
        raise ValueError(f"item {link_id!r} repeats an option label")


def _check_bands(where: str, bands: tuple[Band, ...], scores: list[float]) -> None:
    """Bands are optional; when given, every attainable score falls in exactly one."""
    if not bands:
        return
    labels = [b.label for b in bands]
    if len(set(labels)) != len(labels):
        raise ValueError(f"bands for {where} repeat a label")
    for score in scores:
        hits = [b.label for b in bands if b.contains(score)]
        if not hits:
            raise ValueError(f"bands for {where} leave a gap: no band contains {score:g}")
        if len(hits) > 1:
            raise ValueError(f"bands for {where} overlap at {score:g}: {', '.join(hits)}")
    low, high = scores[0], scores[-1]
    outside = [b.label for b in bands if b.max < low or b.min > high]
    if outside:
        raise ValueError(f"bands for {where} lie outside the score range: {', '.join(outside)}")


def parse_definition(data: dict) -> InstrumentDefinition:
    """Validate an instrument document; every problem is reported at once, by field."""
    try:
        return InstrumentDefinition.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"loc": ".".join(str(p) for p in e["loc"]) or "definition", "msg": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        detail = "; ".join(f"{e['loc']}: {e['msg']}" for e in errors)
        raise InvalidInput(f"The instrument definition is not valid: {detail}",
                           errors=errors) from None


@cache
def builtin_instruments() -> dict[str, InstrumentDefinition]:
    """The validated instruments shipped with Linkwell, by key, in a stable order."""
    found = {}
    for path in sorted(DEFINITIONS_DIR.glob("*.json")):
        definition = parse_definition(json.loads(path.read_text(encoding="utf-8")))
        found[definition.key] = definition
    order = [k for k in ("wemwbs", "swemwbs", "ons4", "ons_loneliness", "ucla3") if k in found]
    return {k: found[k] for k in order + sorted(set(found) - set(order))}


def get_instrument(key: str) -> InstrumentDefinition:
    instruments = builtin_instruments()
    try:
        return instruments[key.strip().lower()]
    except KeyError:
        raise NotFound(
            f"Unknown instrument {key!r}; choose one of: {', '.join(instruments)}"
        ) from None
