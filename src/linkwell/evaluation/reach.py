"""Reach and equity: who is referred relative to the population, and how unequally.

Rates are per 1,000 residents of the boroughs the programme serves (the boroughs with at least
one referral), using the mid-2015 population denominators that come with IMD 2019. The slope
and relative indices of inequality follow the regression-on-rank approach used in English public
health: deciles are ordered from least deprived (rank 0) to most deprived (rank 1), so a
positive SII means that reach rises with deprivation ("proportionate universalism").
"""

import functools

import numpy as np
import pandas as pd

# statsmodels is imported where it is used: it takes about a second, and the web app imports
# this module (through insights) at start-up without needing it until a figure is computed.

PER = 1000.0
POPULATION_BY_BAND = {"0-15": "population_0_15", "16-59": "population_16_59",
                      "60+": "population_60_plus"}


def person_level(people: pd.DataFrame) -> pd.DataFrame:
    """One row per person: the characteristics at their first referral."""
    first = ~people["pid"].duplicated(keep="first").to_numpy()
    return people.loc[first]


SMALL_RANGE = 1 << 16  # whole numbers spanning at most this many values are counted by code


def _keys(values: pd.Series) -> tuple[np.ndarray, int, object] | None:
    """Each value's code (-1 when missing), the number of codes and how to turn observed codes
    back into the keys ``groupby(..., observed=True)`` gives: for categories, and for whole
    numbers (NumPy integers, or floats with NaN) in a small range. None for anything else."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        dtype = values.dtype
        return (values.cat.codes.to_numpy(), len(dtype.categories),
                lambda codes: pd.CategoricalIndex(pd.Categorical.from_codes(codes, dtype=dtype),
                                                  name=values.name))
    array = values.to_numpy() if isinstance(values.dtype, np.dtype) else None
    if array is None or not len(array) or array.dtype.kind not in "iuf":
        return None
    known = ~np.isnan(array) if array.dtype.kind == "f" else None
    present = array if known is None else array[known]
    if not len(present):
        return None
    low, high = present.min(), present.max()
    if high - low >= SMALL_RANGE or (known is not None and (np.floor(present) != present).any()):
        return None
    offset = (array - low) if known is None else np.where(known, array - low, -1)
    return (offset, int(high - low) + 1,
            lambda codes: pd.Index((low + codes).astype(array.dtype), name=values.name))


def group_sizes(values: pd.Series, weights: pd.Series | None = None) -> pd.Series:
    """``values.groupby(values, observed=True).size()``, or with ``weights`` (aligned with the
    values) the sum of the weights in each group: the same keys in the same order. Counted with
    ``bincount`` when the values are categories or whole numbers and the weights, if any,
    NumPy booleans or integers (grouping hashes every value: most of ``reach``'s time at a
    million referrals); grouped by pandas otherwise."""
    numeric = weights is None or (isinstance(weights.dtype, np.dtype)
                                  and weights.dtype.kind in "biu")
    keys = _keys(values) if numeric else None
    if keys is None:  # exactly what grouping a frame by the column gives
        frame = pd.DataFrame({"key": values} if weights is None else
                             {"key": values, "weight": weights})
        grouped = frame.groupby("key", observed=True)
        sizes = grouped.size() if weights is None else grouped["weight"].sum()
        return sizes.rename_axis(values.name)
    codes, size, to_index = keys
    shifted = codes.astype(np.intp) + 1  # a missing value (-1) counts in bin 0, left out
    sizes = np.bincount(shifted, minlength=size + 1)[1:]
    observed = np.flatnonzero(sizes)
    if weights is not None:
        sizes = np.bincount(shifted, minlength=size + 1,
                            weights=weights.to_numpy())[1:].astype(np.int64)
    return pd.Series(sizes[observed].astype(np.int64), index=to_index(observed))


COUNTED = ("referrals", "people", "completed_episodes")


def tally(people: pd.DataFrame) -> pd.DataFrame:
    """``reach_tallied``'s input from one row per referral: each row counts one referral, one
    person at their first referral (``person_level``), and its episode if completed (when any
    episode's completion is known)."""
    counted = {"referrals": np.ones(len(people), dtype=np.int64),
               "people": ~people["pid"].duplicated(keep="first").to_numpy()}
    if "episode_completed" in people and people["episode_completed"].notna().any():
        counted["completed_episodes"] = people["episode_completed"]
    return people.drop(columns=[c for c in ("pid", "episode_completed") if c in people]
                       ).assign(**counted)


def _counts(tallied: pd.DataFrame, by: str) -> pd.DataFrame:
    out = pd.DataFrame({column: group_sizes(tallied[by], tallied[column])
                        for column in COUNTED if column in tallied})
    return out.fillna(0).astype("int64")


def _with_rates(counts: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    from statsmodels.stats.rates import confint_poisson
    table = counts.join(population.rename("population"), how="outer").fillna(0)
    table = table.astype("int64")
    exposure = table["population"].to_numpy(float)
    for column in [c for c in ("referrals", "people", "completed_episodes") if c in table]:
        count = table[column].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(exposure > 0, count / exposure * PER, np.nan)
            low, high = confint_poisson(count, np.where(exposure > 0, exposure, 1),
                                        method="exact-c")
        table[f"{column}_per_1000"] = rate
        table[f"{column}_per_1000_ci95"] = [
            [float(a), float(b)] if e > 0 else None
            for a, b, e in zip(low * PER, high * PER, exposure, strict=True)]
    table["population_share"] = table["population"] / max(table["population"].sum(), 1)
    return table


def served_lsoa(lsoa: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """The LSOAs of the boroughs with at least one referral: the denominator population."""
    boroughs = people["lad_code"].dropna().unique()
    served = lsoa[lsoa["lad_code"].isin(boroughs)]
    return served if len(served) else lsoa


OHID_REPETITIONS = 10_000
OHID_METHOD = (
    "OHID (PHEindicatormethods phe_sii) method: weighted least squares of the rate per 1,000 on "
    "the population-weighted cumulative rank midpoint (0 least, 1 most deprived), weights the "
    "decile populations; SII = slope (fitted most minus least deprived); RII = fitted value at "
    "rank 1 / fitted value at rank 0 = (intercept + SII) / intercept, from the same model; 95% "
    "CIs by Monte Carlo simulation: each decile's rate drawn on the log scale with the standard "
    "error of its exact Poisson CI, the regression refitted, 10,000 repetitions")


@functools.lru_cache(maxsize=32)
def _standard_normals(seed: int, rows: int, zero_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The standard normal draws of the Monte Carlo CIs: ``rows`` × repetitions from a
    generator seeded with ``seed``, then ``zero_rows`` × repetitions from the same stream.
    The same for every table with as many deciles with and without a count, so drawn once
    (read-only) rather than for each of a view's four fits."""
    rng = np.random.default_rng(seed)
    normal = rng.standard_normal((rows, OHID_REPETITIONS))
    normal_zero = rng.standard_normal((zero_rows, OHID_REPETITIONS))
    normal.flags.writeable = normal_zero.flags.writeable = False
    return normal, normal_zero


def sii_rii(table: pd.DataFrame, count: str = "referrals", seed: int = 2019) -> dict:
    """Slope and relative index of inequality across IMD deciles, both from one linear model
    (the OHID method, Low & Low 2004, as in PHEindicatormethods ``phe_sii``).

    SII: statsmodels WLS of the rate per 1,000 on the population-weighted cumulative rank
    midpoint, ranked least (0) to most deprived (1), weighted by population: the modelled
    difference between the most and least deprived ends. RII: the ratio of the fitted values
    at the two ends, (intercept + SII) / intercept. CIs: OHID's Monte Carlo method (decile
    rates simulated on the log scale from their exact Poisson CIs, the WLS refitted).
    """
    import statsmodels.api as sm
    from statsmodels.stats.rates import confint_poisson
    t = table[table["population"] > 0].sort_index(ascending=False)  # decile 10 first
    if len(t) < 3:
        return {"sii": None, "sii_ci95": None, "rii": None, "rii_ci95": None,
                "method": "too few deciles with population"}
    population = t["population"].to_numpy(float)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2
    counts = t[count].to_numpy(float)
    rate = counts / population * PER
    x = sm.add_constant(rank)
    wls = sm.WLS(rate, x, weights=population).fit()
    intercept, slope = (float(v) for v in wls.params)
    # Monte Carlo CIs: simulate every decile's rate, refit the same weighted regression.
    low, high = confint_poisson(counts, population, method="exact-c")
    z = 1.959963984540054
    positive = counts > 0
    normal, normal_zero = _standard_normals(seed, int(positive.sum()), int((~positive).sum()))
    draws = np.empty((len(rate), OHID_REPETITIONS))
    se_log = (np.log(high[positive]) - np.log(low[positive])) / (2 * z)
    draws[positive] = np.exp(np.log(rate[positive])[:, None] + se_log[:, None] * normal)
    se_zero = high[~positive] * PER / (2 * z)  # no count: normal on the rate scale
    draws[~positive] = se_zero[:, None] * normal_zero
    root = np.sqrt(population)[:, None]
    params = np.linalg.lstsq(x * root, draws * root, rcond=None)[0]
    sim_sii = params[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        sim_rii = (params[0] + params[1]) / params[0]
    rii = (intercept + slope) / intercept if intercept > 0 else None
    rii_ci = (np.percentile(sim_rii[params[0] > 0], [2.5, 97.5]).tolist()
              if rii is not None and (params[0] > 0).mean() > 0.975 else None)
    return {
        "sii": slope,
        "sii_ci95": np.percentile(sim_sii, [2.5, 97.5]).tolist(),
        "sii_units": "per 1,000 population, most minus least deprived",
        "sii_definition": "slope index of inequality: modelled rate at the most deprived end "
                          "minus the least deprived end (OHID method, linear)",
        "rii": rii, "rii_ci95": rii_ci,
        "rii_definition": "relative index of inequality: modelled rate at the most deprived end "
                          "divided by the least deprived end, from the same linear model as "
                          "the SII (OHID method); not exp(slope) of a log-linear model",
        "method": OHID_METHOD,
    }


def rate_ratio(table: pd.DataFrame, count: str = "referrals") -> dict:
    """Rate ratio of the most (quintile 1) to the least deprived quintile (5), score CI."""
    from statsmodels.stats.rates import confint_poisson_2indep
    if not {1, 5} <= set(table.index) or (table.loc[[1, 5], "population"] == 0).any():
        return {"rate_ratio": None, "ci95": None}
    a, pa = float(table.loc[1, count]), float(table.loc[1, "population"])
    b, pb = float(table.loc[5, count]), float(table.loc[5, "population"])
    if b == 0:
        return {"rate_ratio": None, "ci95": None}
    low, high = confint_poisson_2indep(a, pa, b, pb, method="score", compare="ratio")
    return {"rate_ratio": (a / pa) / (b / pb), "ci95": [float(low), float(high)],
            "method": "score interval for the ratio of two Poisson rates (statsmodels)"}


def _plain(value):
    """NumPy and pandas scalars as plain JSON values (NaN as None)."""
    if isinstance(value, list) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    return None if np.isnan(value) else value


def _records(table: pd.DataFrame, key: str) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()}
            for row in table.rename_axis(key).reset_index().to_dict("records")]


def _everyone(rows: int) -> pd.Categorical:
    """One group, "all", for every row (counted by code, as any category is)."""
    return pd.Categorical.from_codes(np.zeros(rows, dtype=np.int8), categories=["all"])


def reach(people: pd.DataFrame, lsoa: pd.DataFrame) -> dict:
    """Counts and rates per 1,000 by borough, IMD decile and quintile, age band and sex, counts
    and shares by ethnicity, and the inequality summaries across deprivation."""
    return reach_tallied(tally(people), lsoa)


def reach_tallied(tallied: pd.DataFrame, lsoa: pd.DataFrame) -> dict:
    """``reach`` from counts: rows of the groups (``lad_code``, ``imd_decile``,
    ``imd_quintile``, ``age_band``, ``sex``, ``ethnicity``), each with the ``referrals``,
    ``people`` (counted at their first referral) and, when known, ``completed_episodes`` it
    stands for — one row per referral (``tally``), or one per combination of the groups
    (the dashboard's, counted with ``bincount``): the figures are the same."""
    served = served_lsoa(lsoa, tallied)
    pop_lsoa = served.assign(imd_quintile=(served["imd_decile"] + 1) // 2)
    area = tallied[tallied["lad_code"].isin(served["lad_code"].unique())]
    decile = _with_rates(_counts(area, "imd_decile"),
                         pop_lsoa.groupby("imd_decile")["population_total"].sum())
    quintile = _with_rates(_counts(area, "imd_quintile"),
                           pop_lsoa.groupby("imd_quintile")["population_total"].sum())
    borough_pop = served.groupby("lad_code")["population_total"].sum()
    borough = _with_rates(_counts(tallied, "lad_code"), borough_pop)
    names = served.drop_duplicates("lad_code").set_index("lad_code")["lad_name"]
    borough.insert(0, "lad_name", names.reindex(borough.index).fillna(""))
    band_pop = pd.Series({band: int(served[column].sum())
                          for band, column in POPULATION_BY_BAND.items()})
    age = _with_rates(_counts(tallied, "age_band"), band_pop)
    sex = _counts(tallied, "sex")
    sex["people_share"] = sex["people"] / max(sex["people"].sum(), 1)
    recorded = tallied["ethnicity"].notna().to_numpy()
    persons = int(tallied["people"].sum())
    recorded_persons = int(tallied["people"].to_numpy()[recorded].sum())
    ethnicity = _counts(tallied[recorded], "ethnicity")
    ethnicity["people_share"] = ethnicity["people"] / max(recorded_persons, 1)
    totals = _counts(tallied.assign(all=_everyone(len(tallied))), "all").iloc[0]
    population = int(served["population_total"].sum())

    result = {
        "totals": {k: int(v) for k, v in totals.items()} | {
            "population": population,
            "referrals_per_1000": float(totals["referrals"]) / population * PER,
            "people_per_1000": float(totals["people"]) / population * PER,
            "boroughs_served": int(served["lad_code"].nunique()),
            "ethnicity_recorded_share": recorded_persons / persons if persons else None,
        },
        "by_imd_decile": _records(decile, "imd_decile"),
        "by_imd_quintile": _records(quintile, "imd_quintile"),
        "by_borough": [{"lad_code": r.pop("lad_code"), **r} for r in
                       _records(borough, "lad_code")],
        "by_age_band": _records(age, "age_band"),
        "by_sex": _records(sex, "sex"),
        "by_ethnicity": _records(ethnicity, "ethnicity"),
        "inequality": {
            "referrals": sii_rii(decile, "referrals") | {
                "rate_ratio_q1_vs_q5": rate_ratio(quintile, "referrals")},
            "people": sii_rii(decile, "people") | {
                "rate_ratio_q1_vs_q5": rate_ratio(quintile, "people")},
        },
        "denominator": "mid-2015 population (IMD 2019 denominators) of the boroughs served; "
                       "no denominator by sex or ethnicity, so those are counts and shares",
    }
    if "completed_episodes" in decile:
        result["inequality"]["completed_episodes"] = sii_rii(decile, "completed_episodes") | {
            "rate_ratio_q1_vs_q5": rate_ratio(quintile, "completed_episodes")}
    return result
