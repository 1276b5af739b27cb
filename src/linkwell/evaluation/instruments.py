"""The wellbeing instruments the evaluation understands and their meaningful-change rules.

The thresholds and directions come from the outcomes area's instrument definitions
(``linkwell.outcomes``), so "improved" means the same thing in the record and in the
evaluation: WEMWBS 3 points and SWEMWBS 3 metric points (sources cited in the definitions). The
ONS4 items and UCLA-3 have no published threshold, so none is used: their change is reported
by its size, with no share "improved".
The evaluation scores each ONS4 item separately; for the anxiety item a lower score is better.
"""

from dataclasses import dataclass

from linkwell.outcomes.instruments import builtin_instruments


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    minimum: float
    maximum: float
    meaningful_change: float | None  # None: no published threshold
    lower_is_better: bool = False


# evaluation code: (title, score range, the outcomes definition it is scored by,
#                   direction override for a single item)
_CODES = {
    "wemwbs": ("Warwick-Edinburgh Mental Wellbeing Scale", 14, 70, "wemwbs", None),
    "swemwbs": ("Short WEMWBS (metric score)", 7, 35, "swemwbs", None),
    "ons4_life_satisfaction": ("ONS4 life satisfaction", 0, 10, "ons4", None),
    "ons4_worthwhile": ("ONS4 worthwhile", 0, 10, "ons4", None),
    "ons4_happiness": ("ONS4 happiness", 0, 10, "ons4", None),
    "ons4_anxiety": ("ONS4 anxiety", 0, 10, "ons4", True),
    "ucla3": ("UCLA 3-item loneliness scale", 3, 9, "ucla3", None),
}


def _instruments() -> dict[str, Instrument]:
    definitions = builtin_instruments()
    out = {}
    for code, (title, low, high, definition, lower_override) in _CODES.items():
        scoring = definitions[definition].scoring
        lower = (not scoring.higher_is_better) if lower_override is None else lower_override
        out[code] = Instrument(code, title, low, high, (None if scoring.meaningful_change is None
                                                     else float(scoring.meaningful_change)), lower)
    return out


INSTRUMENTS: dict[str, Instrument] = _instruments()
