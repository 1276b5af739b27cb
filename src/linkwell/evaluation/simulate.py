"""Synthetic London referrals with a known effect, for tests, the benchmark and demo data.

People are drawn across LSOAs in proportion to population, tilted towards deprived areas (as
social prescribing is); follow-up is less complete in deprived areas and for people who start
lower (missing at random given baseline and deprivation, so complete-case figures are biased
and the sensitivity analyses have something to show); the true change differs by IMD quintile
(``TRUE_CHANGE_SD`` in standard deviations of the baseline score).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkwell import codes
from linkwell.evaluation.instruments import INSTRUMENTS

# True mean change by IMD quintile (1 = most deprived), in baseline standard deviations, on
# the "better" direction of each instrument. Before rounding and clipping to the scale.
TRUE_CHANGE_SD: dict[int, float] = {1: 0.45, 2: 0.40, 3: 0.35, 4: 0.30, 5: 0.25}
# Baseline mean and SD by instrument (population referred to social prescribing starts low).
BASELINE: dict[str, tuple[float, float]] = {
    "wemwbs": (40.0, 9.0),
    "swemwbs": (20.0, 4.5),
    "ons4_life_satisfaction": (4.8, 2.3),
    "ons4_worthwhile": (5.4, 2.3),
    "ons4_happiness": (4.9, 2.6),
    "ons4_anxiety": (5.6, 2.8),
    "ucla3": (6.8, 1.8),
}
SEXES = np.array(codes.sex().codes)
# The NHS ethnic category groups, in the order of the weights ``simulate_people`` draws with,
# and "" for not stated.
ETHNICITIES = np.array([*dict.fromkeys(
    c.extra["group"] for c in codes.ethnicity().items if c.code != "Z"), ""])
ONS4 = ["ons4_life_satisfaction", "ons4_worthwhile", "ons4_happiness", "ons4_anxiety"]
COMPARISON_TREND_SD = 0.05  # secular change in the comparison cohort


@dataclass
class SimulatedData:
    people: pd.DataFrame
    measurements: pd.DataFrame
    comparison: pd.DataFrame | None = None
    funding: pd.DataFrame | None = None
    services: pd.DataFrame | None = None
    capacity: pd.DataFrame | None = None


def true_change(instrument: str, quintile: int) -> float:
    """The simulated true mean change (in score points, signed as the instrument runs)."""
    sign = -1.0 if INSTRUMENTS[instrument].lower_is_better else 1.0
    return sign * TRUE_CHANGE_SD[quintile] * BASELINE[instrument][1]


def _quintile(decile: np.ndarray) -> np.ndarray:
    return (decile + 1) // 2


def simulate_people(lsoa: pd.DataFrame, n: int, rng: np.random.Generator,
                    id_prefix: str = "P", tilt: float = 0.15) -> pd.DataFrame:
    """People with sex, age, ethnicity, home LSOA and referral date (no personal identifiers).
    ``tilt`` is the extra weight per decile of deprivation."""
    decile = lsoa["imd_decile"].to_numpy()
    weight = lsoa["population_total"].to_numpy(float) * (1.0 + tilt * (10 - decile))
    idx = rng.choice(len(lsoa), size=n, p=weight / weight.sum())
    band_pop = lsoa[["population_0_15", "population_16_59", "population_60_plus"]].to_numpy(float)
    band_w = band_pop[idx] * np.array([0.03, 1.0, 1.8])
    band_w /= band_w.sum(axis=1, keepdims=True)
    u = rng.random(n)
    band = (u[:, None] > np.cumsum(band_w, axis=1)).sum(axis=1)
    age = np.where(band == 0, rng.integers(11, 16, n),
                   np.where(band == 1, rng.integers(16, 60, n),
                            np.minimum(60 + rng.exponential(12, n).astype(int), 104)))
    sex = SEXES[rng.choice(4, size=n, p=[0.6, 0.385, 0.005, 0.01])]
    # White, Mixed, Asian, Black, Other, not stated
    ethnicity = ETHNICITIES[rng.choice(6, size=n, p=[0.45, 0.05, 0.17, 0.13, 0.05, 0.15])]
    start = np.datetime64("2024-04-01")
    referred_on = start + rng.integers(0, 365, n).astype("timedelta64[D]")
    return pd.DataFrame({
        "person_id": np.char.add(id_prefix, np.arange(1, n + 1).astype(str)),
        "sex": sex,
        "age": age.astype(np.int64),
        "ethnicity": ethnicity,
        "lsoa11cd": lsoa["lsoa11cd"].to_numpy()[idx],
        "referred_on": referred_on,
        "_decile": decile[idx],
    })


def _scores(instrument: str, n: int, decile: np.ndarray, rng: np.random.Generator,
            change_sd: np.ndarray, integer: bool) -> tuple[np.ndarray, np.ndarray]:
    spec = INSTRUMENTS[instrument]
    mean, sd = BASELINE[instrument]
    better = -1.0 if spec.lower_is_better else 1.0
    baseline = mean + better * 0.08 * sd * (decile - 5.5) + rng.normal(0, sd, n)
    follow_up = baseline + better * change_sd * sd + rng.normal(0, 0.8 * sd, n)
    if integer:
        baseline, follow_up = np.rint(baseline), np.rint(follow_up)
    return (np.clip(baseline, spec.minimum, spec.maximum),
            np.clip(follow_up, spec.minimum, spec.maximum))


def simulate_measurements(people: pd.DataFrame, rng: np.random.Generator, *,
                          integer_scores: bool = True, treated: bool = True) -> pd.DataFrame:
    """Baseline for everyone on (S)WEMWBS, plus UCLA-3 and ONS4 for some; follow-up with
    attrition that is higher in deprived areas and for people who start lower."""
    n = len(people)
    decile = people["_decile"].to_numpy()
    quintile = _quintile(decile)
    effect = np.vectorize(TRUE_CHANGE_SD.get)(quintile) if treated else np.full(n, 0.0)
    effect = effect + (0.0 if treated else COMPARISON_TREND_SD)
    p_follow = 0.40 + 0.045 * decile
    referred_on = people["referred_on"].to_numpy().astype("datetime64[D]")
    frames = []
    main = np.where(rng.random(n) < 0.6, "swemwbs", "wemwbs")
    plan = [("swemwbs", main == "swemwbs"), ("wemwbs", main == "wemwbs")]
    ucla = rng.random(n) < 0.3
    ons = rng.random(n) < 0.15
    plan += [("ucla3", ucla)] + [(item, ons) for item in ONS4]
    latent_dropout = rng.normal(0, 1, n)
    for instrument, who in plan:
        rows = np.flatnonzero(who)
        baseline, follow_up = _scores(instrument, len(rows), decile[rows], rng,
                                      effect[rows], integer_scores)
        mean, sd = BASELINE[instrument]
        z = (baseline - mean) / sd * (-1 if INSTRUMENTS[instrument].lower_is_better else 1)
        logit_p = np.log(p_follow[rows] / (1 - p_follow[rows])) + 0.35 * z \
            + 0.3 * latent_dropout[rows]
        followed = rng.random(len(rows)) < 1 / (1 + np.exp(-logit_p))
        pid = people["person_id"].to_numpy()[rows]
        episode = np.char.add("E-", pid.astype(str))
        base_on = referred_on[rows] + rng.integers(0, 21, len(rows)).astype("timedelta64[D]")
        frames.append(pd.DataFrame({
            "person_id": pid, "episode_id": episode, "instrument": instrument,
            "timepoint": "baseline", "measured_on": base_on, "score": baseline}))
        f = followed
        frames.append(pd.DataFrame({
            "person_id": pid[f], "episode_id": episode[f], "instrument": instrument,
            "timepoint": "follow_up",
            "measured_on": base_on[f] + rng.integers(70, 130, f.sum()).astype("timedelta64[D]"),
            "score": follow_up[f]}))
    return pd.concat(frames, ignore_index=True)


def simulate_services(lsoa: pd.DataFrame, rng: np.random.Generator,
                      per_category: int = 40) -> pd.DataFrame:
    """Open services placed near LSOA centroids, fewer of them in deprived areas for advice."""
    categories = ["debt", "welfare_benefits", "housing", "immigration", "befriending",
                  "physical_activity"]
    frames = []
    for category in categories:
        weight = lsoa["population_total"].to_numpy(float) * (0.6 + 0.08 * lsoa["imd_decile"])
        idx = rng.choice(len(lsoa), size=per_category, p=weight / weight.sum())
        frames.append(pd.DataFrame({
            "service_id": [f"{category}-{i}" for i in range(per_category)],
            "need_category": category,
            "latitude": lsoa["centroid_lat"].to_numpy()[idx] + rng.normal(0, 0.002, per_category),
            "longitude": lsoa["centroid_lon"].to_numpy()[idx] + rng.normal(0, 0.003,
                                                                           per_category),
            "status": "active",
        }))
    return pd.concat(frames, ignore_index=True)


def simulate(lsoa: pd.DataFrame, n_people: int, *, seed: int = 2019, comparison: int = 0,
             integer_scores: bool = True, with_extras: bool = True) -> SimulatedData:
    """A whole synthetic evaluation input: people, measurements and optionally a comparison
    cohort (not referred; secular trend only), funding, services and link-worker capacity."""
    rng = np.random.default_rng(seed)
    people = simulate_people(lsoa, n_people, rng)
    completed = rng.random(n_people) < (0.55 + 0.025 * people["_decile"].to_numpy())
    measurements = simulate_measurements(people, rng, integer_scores=integer_scores)
    data = SimulatedData(people=people.assign(episode_completed=completed).drop(
        columns="_decile"), measurements=measurements)
    if comparison:
        cpeople = simulate_people(lsoa, comparison, rng, id_prefix="C", tilt=0.0)
        # The comparison cohort is less deprived than the referred one: PSM has work to do.
        cm = simulate_measurements(cpeople, rng, integer_scores=integer_scores, treated=False)
        data.comparison = cm.merge(cpeople.drop(columns=["_decile", "referred_on"]),
                                   on="person_id")
    if with_extras:
        data.funding = pd.DataFrame({
            "label": ["Link worker service 2024/25", "Grants to community groups"],
            "total_pence": [int(n_people) * 9_500, int(n_people) * 2_000],
            "low_pence": [None, int(n_people) * 1_500],
            "high_pence": [None, int(n_people) * 2_600],
        })
        data.services = simulate_services(lsoa, rng)
        boroughs = lsoa.drop_duplicates("lad_code")["lad_code"].to_numpy()
        data.capacity = pd.DataFrame({
            "lad_code": boroughs,
            "caseload_places": rng.integers(150, 900, len(boroughs)),
        })
    return data


def write_files(data: SimulatedData, out_dir) -> dict[str, str]:
    """Write the simulated inputs as the CSV files ``linkwell evaluate`` reads."""
    from pathlib import Path

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in ("people", "measurements", "comparison", "funding", "services", "capacity"):
        frame = getattr(data, name)
        if frame is None:
            continue
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False)
        written[name] = str(path)
    return written


def did_scenario(rng: np.random.Generator, n_treated: int, n_comparison: int, *,
                 effect: float = 2.5, dropout_on_baseline: float = 0.12,
                 trend_age: float = -0.06, trend_imd: float = -0.35,
                 improver_dropout: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One person per row (``pid``, ``baseline``, ``follow_up`` (NaN if lost), ``age``,
    ``sex``, ``female``, ``imd_decile``) for a treated and a comparison group, with a known
    constant effect on the WEMWBS change.

    The referred group is younger and more deprived; without support the change depends on
    age and deprivation (``trend_age`` points per year over 50, ``trend_imd`` per decile above
    5.5), so trends are parallel only given the covariates. Scores carry measurement error, so
    change regresses to the mean. Follow-up is missing at random given the baseline score
    (``dropout_on_baseline`` on the logit per point), plus, with ``improver_dropout`` != 0, on
    the person's own change (missing not at random: positive = improvers more often return).
    """
    frames = []
    for treated, n in ((1, n_treated), (0, n_comparison)):
        age = np.clip(rng.normal(42 if treated else 55, 12, n), 18, 95)
        imd = np.clip(np.rint(rng.normal(3.5 if treated else 6.0, 2.3, n)), 1, 10)
        sex = np.where(rng.random(n) < 0.6, "female", "male")
        true = 45 + 0.6 * (imd - 5.5) + 0.05 * (age - 50) + rng.normal(0, 7, n)
        baseline = true + rng.normal(0, 4, n)
        change_true = trend_age * (age - 50) + trend_imd * (imd - 5.5) + treated * effect
        follow_up = true + change_true + rng.normal(0, 4, n)
        logit = 0.4 + dropout_on_baseline * (baseline - 45) \
            + improver_dropout * (follow_up - baseline - change_true)
        lost = rng.random(n) >= 1 / (1 + np.exp(-logit))
        frames.append(pd.DataFrame({
            "pid": np.arange(n), "baseline": baseline,
            "follow_up": np.where(lost, np.nan, follow_up), "age": age, "sex": sex,
            "female": (sex == "female").astype(float), "imd_decile": imd}))
    return frames[0], frames[1]
