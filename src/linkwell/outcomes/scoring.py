"""Scoring exactly as each instrument's authors specify, and meaningful change between measures.

Pure functions over an ``InstrumentDefinition``: no I/O, no database. What a rule means:
- ``sum``: total of item scores; any missing item means no total (no pro-rating).
- ``sum_converted``: as ``sum``, then the raw total is converted by the published table
  (SWEMWBS raw 7–35 → metric score); bands apply to the converted score.
- ``per_item``: every item is reported and banded on its own and never summed (ONS4).
- ``single_item``: the one answer is the result (ONS direct loneliness question).
Differences are computed in decimal arithmetic so that "exactly 3 points" is exactly 3.
"""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum

from linkwell.errors import InvalidInput
from linkwell.outcomes.instruments import Band, InstrumentDefinition, ScoringRule


@dataclass(frozen=True)
class ItemResult:
    link_id: str
    answer: int | None
    label: str | None
    score: int | None
    band: str | None


@dataclass(frozen=True)
class ScoreResult:
    instrument: str
    version: str
    rule: str
    complete: bool
    missing: tuple[str, ...]
    raw: int | None
    metric: float | None
    band: str | None
    items: tuple[ItemResult, ...]

    @property
    def total(self) -> float | None:
        """The score that bands and change use: metric if converted, else raw; None if none."""
        return self.metric if self.metric is not None else self.raw

    def item(self, link_id: str) -> ItemResult:
        return next(i for i in self.items if i.link_id == link_id)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["missing"] = list(self.missing)
        data["items"] = [asdict(i) for i in self.items]
        return data


def _band(bands: Sequence[Band], score: float | None) -> str | None:
    if score is None:
        return None
    return next((b.label for b in bands if b.contains(score)), None)


def check_answers(definition: InstrumentDefinition, answers: Mapping[str, object]) -> None:
    """Refuse unknown items and answers outside an item's options, naming every bad item."""
    errors = []
    known = {i.link_id for i in definition.items}
    for link_id in answers:
        if link_id not in known:
            errors.append({"loc": str(link_id), "msg": f"{definition.short_name} has no item "
                                                       f"{link_id!r}"})
    for number, item in enumerate(definition.items, start=1):
        value = answers.get(item.link_id)
        if value is None:
            continue
        allowed = [o.value for o in definition.options_for(item)]
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            errors.append({
                "loc": item.link_id,
                "msg": f"item {number} (linkId {item.link_id!r}): {value!r} is not one of "
                       f"the allowed answers {', '.join(map(str, allowed))}",
            })
    if errors:
        raise InvalidInput(
            f"{definition.short_name}: " + "; ".join(e["msg"] for e in errors), errors=errors
        )


def score(definition: InstrumentDefinition, answers: Mapping[str, int | None]) -> ScoreResult:
    """Score one completed (or partly completed) form. ``answers`` maps linkId → option value."""
    check_answers(definition, answers)
    rule = definition.scoring.rule
    item_results = []
    missing = []
    for item in definition.items:
        value = answers.get(item.link_id)
        if value is None:
            missing.append(item.link_id)
            item_results.append(ItemResult(item.link_id, None, None, None, None))
            continue
        label = next(o.label for o in definition.options_for(item) if o.value == value)
        item_score = definition.item_score(item, value)
        band = _band(item.bands, item_score) if rule is ScoringRule.PER_ITEM else None
        item_results.append(ItemResult(item.link_id, value, label, item_score, band))

    complete = not missing
    raw = metric = None
    if rule is not ScoringRule.PER_ITEM and complete:
        raw = sum(r.score for r in item_results)
        if rule is ScoringRule.SUM_CONVERTED:
            metric = definition.scoring.conversion[raw - definition.raw_range[0]]
    result_score = metric if metric is not None else raw
    return ScoreResult(
        instrument=definition.key,
        version=definition.version,
        rule=str(rule),
        complete=complete,
        missing=tuple(missing),
        raw=raw,
        metric=metric,
        band=_band(definition.scoring.bands, result_score),
        items=tuple(item_results),
    )


def answers_from_list(
    definition: InstrumentDefinition, values: Sequence[int | None]
) -> dict[str, int | None]:
    """Answers given in item order (as on a paper form) keyed by linkId."""
    if len(values) != len(definition.items):
        raise InvalidInput(
            f"{definition.short_name} has {len(definition.items)} items; "
            f"{len(values)} answers were given"
        )
    return {item.link_id: value for item, value in zip(definition.items, values, strict=True)}


def parse_answer_list(text: str) -> list[int | None]:
    """``"3,4,,5"`` → ``[3, 4, None, 5]``: an empty place is an unanswered item."""
    values: list[int | None] = []
    for position, part in enumerate(text.split(","), start=1):
        part = part.strip()
        if not part:
            values.append(None)
            continue
        try:
            values.append(int(part))
        except ValueError:
            raise InvalidInput(f"answer {position} ({part!r}) is not a whole number") from None
    return values


# --- Meaningful change ----------------------------------------------------------------------

class Change(StrEnum):
    IMPROVED = "improved"
    NO_MEANINGFUL_CHANGE = "no_meaningful_change"
    WORSENED = "worsened"


@dataclass(frozen=True)
class ChangeResult:
    measure: str  # "total", or an item's linkId for per-item instruments
    baseline: float
    follow_up: float
    difference: float  # follow-up minus baseline
    threshold: float | None  # None: the instrument has no published threshold
    higher_is_better: bool
    change: Change | None  # None without a threshold: the size of the change only


def classify_change(
    baseline: float, follow_up: float, *, threshold: float, higher_is_better: bool
) -> Change:
    """Improved when the score moves the good way by at least ``threshold`` (inclusive)."""
    difference = Decimal(str(follow_up)) - Decimal(str(baseline))
    gain = difference if higher_is_better else -difference
    limit = Decimal(str(threshold))
    if gain >= limit:
        return Change.IMPROVED
    if gain <= -limit:
        return Change.WORSENED
    return Change.NO_MEANINGFUL_CHANGE


def meaningful_change(
    definition: InstrumentDefinition,
    baseline: ScoreResult,
    follow_up: ScoreResult,
    *,
    threshold: float | None = None,
) -> list[ChangeResult]:
    """Change per reported score; scores missing at either point are left out, not guessed.

    ``threshold`` overrides the definition's (the literature gives 1–3 points for SWEMWBS).
    """
    if baseline.instrument != definition.key or follow_up.instrument != definition.key:
        raise InvalidInput("baseline and follow-up must be measures of the same instrument")
    limit = definition.scoring.meaningful_change if threshold is None else threshold
    if limit is not None and limit <= 0:
        raise InvalidInput("a meaningful-change threshold must be above zero")

    pairs: list[tuple[str, float | None, float | None, bool]]
    if definition.scoring.rule is ScoringRule.PER_ITEM:
        pairs = [
            (item.link_id, baseline.item(item.link_id).score, follow_up.item(item.link_id).score,
             definition.higher_is_better_for(item))
            for item in definition.items
        ]
    else:
        pairs = [("total", baseline.total, follow_up.total, definition.scoring.higher_is_better)]
    results = []
    for measure, before, after, higher_is_better in pairs:
        if before is None or after is None:
            continue
        results.append(ChangeResult(
            measure=measure,
            baseline=before,
            follow_up=after,
            difference=float(Decimal(str(after)) - Decimal(str(before))),
            threshold=limit,
            higher_is_better=higher_is_better,
            change=None if limit is None else classify_change(
                before, after, threshold=limit, higher_is_better=higher_is_better),
        ))
    return results
