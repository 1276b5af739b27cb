"""The wellbeing instruments the evaluation understands and their meaningful-change rules.

One mapping, so that "improved" means the same thing in every table. The thresholds are the
published minimal important differences: WEMWBS 3 points, SWEMWBS 3 metric points, ONS4 items
1 point, UCLA-3 1 point. For ``ons4_anxiety`` and ``ucla3`` a lower score is better.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    minimum: float
    maximum: float
    meaningful_change: float
    lower_is_better: bool = False


INSTRUMENTS: dict[str, Instrument] = {
    i.code: i
    for i in (
        Instrument("wemwbs", "Warwick-Edinburgh Mental Wellbeing Scale", 14, 70, 3),
        Instrument("swemwbs", "Short WEMWBS (metric score)", 7, 35, 3),
        Instrument("ons4_life_satisfaction", "ONS4 life satisfaction", 0, 10, 1),
        Instrument("ons4_worthwhile", "ONS4 worthwhile", 0, 10, 1),
        Instrument("ons4_happiness", "ONS4 happiness", 0, 10, 1),
        Instrument("ons4_anxiety", "ONS4 anxiety", 0, 10, 1, lower_is_better=True),
        Instrument("ucla3", "UCLA 3-item loneliness scale", 3, 9, 1, lower_is_better=True),
    )
}
