"""Reach and equity: who is referred relative to the population, and how unequally.

Rates are per 1,000 residents of the boroughs the programme serves (the boroughs with at least
one referral), using the mid-2015 population denominators that come with IMD 2019. The slope
and relative indices of inequality follow the regression-on-rank approach used in English public
health: deciles are ordered from least deprived (rank 0) to most deprived (rank 1), so a
positive SII means that reach rises with deprivation ("proportionate universalism").
"""

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep

PER = 1000.0
POPULATION_BY_BAND = {"0-15": "population_0_15", "16-59": "population_16_59",
                      "60+": "population_60_plus"}


def person_level(people: pd.DataFrame) -> pd.DataFrame:
    """One row per person: the characteristics at their first referral."""
    first = ~people["pid"].duplicated(keep="first").to_numpy()
    return people.loc[first]


def _counts(people: pd.DataFrame, persons: pd.DataFrame, by: str) -> pd.DataFrame:
    out = pd.DataFrame({
        "referrals": people.groupby(by, observed=True).size(),
        "people": persons.groupby(by, observed=True).size(),
    })
    if "episode_completed" in people and people["episode_completed"].notna().any():
        out["completed_episodes"] = people.groupby(by, observed=True)["episode_completed"].sum()
    return out.fillna(0).astype("int64")


def _with_rates(counts: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
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


def sii_rii(table: pd.DataFrame, count: str = "referrals") -> dict:
    """Slope and relative index of inequality across IMD deciles.

    SII: statsmodels WLS of the rate per 1,000 on the population-weighted cumulative rank
    midpoint (0 = least, 1 = most deprived), weighted by population; the slope is the modelled
    difference between the most and least deprived ends, t-based 95% CI.
    RII: quasi-Poisson GLM (log link, log population offset, Pearson-chi2 scale) of counts on
    the same rank; exp(slope) is the modelled ratio of most to least deprived, 95% CI.
    """
    t = table[table["population"] > 0].sort_index(ascending=False)  # decile 10 first
    if len(t) < 3:
        return {"sii": None, "sii_ci95": None, "rii": None, "rii_ci95": None,
                "method": "too few deciles with population"}
    share = t["population"].to_numpy(float) / t["population"].sum()
    rank = np.cumsum(share) - share / 2
    rate = t[count].to_numpy(float) / t["population"].to_numpy(float) * PER
    x = sm.add_constant(rank)
    wls = sm.WLS(rate, x, weights=t["population"].to_numpy(float)).fit()
    sii_low, sii_high = wls.conf_int(0.05)[1]
    glm = sm.GLM(t[count].to_numpy(float), x, family=sm.families.Poisson(),
                 offset=np.log(t["population"].to_numpy(float))).fit(scale="X2")
    rii_low, rii_high = np.exp(glm.conf_int(0.05)[1])
    return {
        "sii": float(wls.params[1]), "sii_ci95": [float(sii_low), float(sii_high)],
        "sii_units": "per 1,000 population, most minus least deprived",
        "rii": float(np.exp(glm.params[1])), "rii_ci95": [float(rii_low), float(rii_high)],
        "method": "SII: WLS of rate on population-weighted cumulative rank (0 least, 1 most "
                  "deprived); RII: quasi-Poisson log-linear model, exp(slope)",
    }


def rate_ratio(table: pd.DataFrame, count: str = "referrals") -> dict:
    """Rate ratio of the most (quintile 1) to the least deprived quintile (5), score CI."""
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


def reach(people: pd.DataFrame, lsoa: pd.DataFrame) -> dict:
    """Counts and rates per 1,000 by borough, IMD decile and quintile, age band and sex, counts
    and shares by ethnicity, and the inequality summaries across deprivation."""
    persons = person_level(people)
    served = served_lsoa(lsoa, people)
    pop_lsoa = served.assign(imd_quintile=(served["imd_decile"] + 1) // 2)
    in_area = people["lad_code"].isin(served["lad_code"].unique())

    decile = _with_rates(_counts(people[in_area], persons[persons["lad_code"].isin(
        served["lad_code"])], "imd_decile"), pop_lsoa.groupby("imd_decile")["population_total"]
        .sum())
    quintile = _with_rates(_counts(people[in_area], persons[persons["lad_code"].isin(
        served["lad_code"])], "imd_quintile"),
        pop_lsoa.groupby("imd_quintile")["population_total"].sum())
    borough_pop = served.groupby("lad_code")["population_total"].sum()
    borough = _with_rates(_counts(people, persons, "lad_code"), borough_pop)
    names = served.drop_duplicates("lad_code").set_index("lad_code")["lad_name"]
    borough.insert(0, "lad_name", names.reindex(borough.index).fillna(""))
    band_pop = pd.Series({band: int(served[column].sum())
                          for band, column in POPULATION_BY_BAND.items()})
    age = _with_rates(_counts(people, persons, "age_band"), band_pop)
    sex = _counts(people, persons, "sex")
    sex["people_share"] = sex["people"] / max(sex["people"].sum(), 1)
    recorded = persons["ethnicity"].notna()
    ethnicity = _counts(people[people["ethnicity"].notna()], persons[recorded], "ethnicity")
    ethnicity["people_share"] = ethnicity["people"] / max(int(recorded.sum()), 1)
    totals = _counts(people.assign(all="all"), persons.assign(all="all"), "all").iloc[0]
    population = int(served["population_total"].sum())

    result = {
        "totals": {k: int(v) for k, v in totals.items()} | {
            "population": population,
            "referrals_per_1000": float(totals["referrals"]) / population * PER,
            "people_per_1000": float(totals["people"]) / population * PER,
            "boroughs_served": int(served["lad_code"].nunique()),
            "ethnicity_recorded_share": float(recorded.mean()) if len(persons) else None,
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
