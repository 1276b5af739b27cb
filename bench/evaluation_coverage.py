"""Coverage of the evaluation's intervals over many simulated cohorts with a known truth.

``make test`` runs each check on a few small cohorts; this runs them on many seeds and prints
the share of runs whose 95% interval covers the truth (target >= 90%), with the mean estimate.

Run: ``python -m bench evaluation_coverage`` (EVALUATION_COVERAGE_RUNS overrides the number
of seeds, default 1,000).
"""

import os
import time

import numpy as np
import pandas as pd

from linkwell.evaluation.attrition import sensitivity
from linkwell.evaluation.comparison import did
from linkwell.evaluation.cost import cost
from linkwell.evaluation.instruments import INSTRUMENTS
from linkwell.evaluation.reach import sii_rii
from linkwell.evaluation.simulate import did_scenario

RUNS = int(os.environ.get("EVALUATION_COVERAGE_RUNS", "1000"))
TRUTH = 2.5


def _report(name: str, truth: float, estimates: list[float], intervals: list[list[float]],
            started: float) -> None:
    covered = np.mean([low <= truth <= high for low, high in intervals])
    print(f"{name}: truth {truth:.3f}, mean estimate {np.mean(estimates):.3f}, "
          f"coverage {covered:.3f} over {len(intervals)} runs "
          f"({time.perf_counter() - started:.1f} s)", flush=True)


def did_coverage() -> None:
    """Default (adjusted, balanced-panel) DiD and the unadjusted one beside it, under MAR
    dropout on baseline and trends confounded by age and deprivation."""
    rng = np.random.default_rng(2026)
    started = time.perf_counter()
    adjusted, unadjusted = [], []
    for _ in range(RUNS):
        result = did(*did_scenario(rng, 250, 250, effect=TRUTH))
        adjusted.append(result)
        unadjusted.append(result["unadjusted"])
    _report("DiD adjusted (default)", TRUTH, [r["estimate"] for r in adjusted],
            [r["ci95"] for r in adjusted], started)
    _report("DiD unadjusted", TRUTH, [r["estimate"] for r in unadjusted],
            [r["ci95"] for r in unadjusted], started)


def net_cost_coverage() -> None:
    """Net cost per person improved: referred people improve with probability 0.45,
    comparison people 0.25, a third of the referred lost at random."""
    rng = np.random.default_rng(22)
    started = time.perf_counter()
    funding, people = 50_000_000, 1500
    truth = funding / (people * 0.20)
    estimates, intervals = [], []
    for _ in range(RUNS):
        improved, lost = rng.random(people) < 0.45, rng.random(people) < 1 / 3
        c_improved = rng.random(800) < 0.25
        block = cost(pd.DataFrame({"total_pence": [funding], "low_pence": [funding],
                                   "high_pence": [funding]}), people=people,
                     completed_episodes=None,
                     treated=np.array([(improved & ~lost).sum(), (~improved & ~lost).sum(),
                                       lost.sum()]),
                     comparison=np.array([c_improved.sum(), (~c_improved).sum(), 0]),
                     seed=int(rng.integers(1 << 30)))["per_person_improved"]
        low, high = block["ci95_pence"]
        estimates.append(block["pence"] or np.inf)
        intervals.append([low, high if high is not None else np.inf])
    _report("Net cost per person improved (pence)", truth,
            [e for e in estimates if np.isfinite(e)], intervals, started)


def rii_coverage() -> None:
    """SII and RII (OHID method) on Poisson counts around a linear gradient."""
    rng = np.random.default_rng(30)
    started = time.perf_counter()
    population = np.full(10, 20_000)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2
    results = []
    for _ in range(RUNS):
        counts = rng.poisson((5 + 4 * rank) * population / 1000)[::-1]
        results.append(sii_rii(pd.DataFrame({"referrals": counts, "population": population},
                                            index=pd.Index(range(1, 11)))))
    _report("SII (OHID)", 4.0, [r["sii"] for r in results], [r["sii_ci95"] for r in results],
            started)
    _report("RII (OHID)", 9 / 5, [r["rii"] for r in results], [r["rii_ci95"] for r in results],
            started)


def tipping_point_flags() -> None:
    """Share of runs in which the tipping point warns: MNAR dropout with no true change
    (improvers return more often) should warn; a large effect with MAR dropout should not."""
    started = time.perf_counter()
    runs = max(RUNS // 10, 10)  # multiple imputation takes about a second a run
    for name, effect, mnar, base in (("MNAR, no true change", 0.0, 0.35, 0.4),
                                      ("MAR, effect 6 points", 6.0, 0.0, 2.0)):
        warned = 0
        for seed in range(runs):
            rng = np.random.default_rng(seed)
            n = 800
            baseline = np.clip(np.rint(rng.normal(40, 8, n)), 14, 70)
            change = effect + rng.normal(0, 6, n)
            follow = np.clip(baseline + change, 14, 70)
            back = rng.random(n) < 1 / (1 + np.exp(-(base + mnar * (change - effect))))
            group = pd.DataFrame({"baseline": baseline,
                                  "follow_up": np.where(back, follow, np.nan),
                                  "age": rng.integers(18, 90, n).astype(float),
                                  "imd_decile": pd.array(rng.integers(1, 11, n), dtype="Int64"),
                                  "sex": pd.Categorical(rng.choice(["female", "male"], n))})
            result = sensitivity(group, seed, INSTRUMENTS["wemwbs"])["delta_adjusted"]
            warned += result["warning"] is not None
        print(f"Tipping point, {name}: warned in {warned}/{runs} runs "
              f"({time.perf_counter() - started:.1f} s)", flush=True)


def main() -> None:
    did_coverage()
    net_cost_coverage()
    rii_coverage()
    tipping_point_flags()
