"""Equity on the dashboard: reach by deprivation, borough, age band, sex and ethnicity
against the population at need, computed by the evaluation's ``reach`` and ``sii_rii`` (called,
not copied)."""

import numpy as np
import pandas as pd

from linkwell.evaluation import reach as reach_mod
from linkwell.evaluation.disclosure import THRESHOLD
from linkwell.evaluation.inputs import AGE_BANDS
from linkwell.insights.table import Table
from linkwell.referrals.domain import SEXES

COMPLETED = "goals-met"  # an episode closed because the goals were met
DAY = pd.Timedelta(days=1)


def people_columns(refs: pd.DataFrame) -> dict[str, pd.Series]:
    """Once per read of the data: the columns the equity analysis groups by, as categories
    (age band at referral, IMD quintile, sex with "unknown", ethnicity when recorded)."""
    age = ((refs["created_at"].dt.tz_localize(None) - refs["birth_date"]) / DAY / 365.25)
    band = np.where(age.isna(), -1, np.where(age < 16, 0, np.where(age < 60, 1, 2)))
    return {
        "age_band": pd.Categorical.from_codes(band.astype("int8"), categories=AGE_BANDS),
        "imd_quintile": (refs["imd_decile"] + 1) // 2,
        "sex_or_unknown": refs["sex"].astype(object).fillna("unknown").astype("category"),
        "ethnicity_recorded": refs["ethnicity"].astype(object).replace("", None)
        .astype("category"),
        "completed": (refs["closure_reason"] == COMPLETED).to_numpy(),
    }


def _numbers(values: pd.Series) -> np.ndarray:
    """Whole numbers as NumPy: integers, or floats with NaN where some are missing (the values
    ``reach`` has always grouped by, so its tables keep their keys; grouping Python objects
    instead was most of its time at a million referrals)."""
    if values.hasnans:
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return values.to_numpy()


def equity(refs: pd.DataFrame, lsoa: pd.DataFrame) -> dict | None:
    """Reach by IMD quintile, borough, age band, sex and ethnicity against the resident
    population, with SII/RII, from the evaluation's ``reach`` (same machinery, same units).
    ``refs`` carries the ``people_columns`` (categories, so grouping a million is quick)."""
    person = refs["person"].to_numpy()  # each person's dense code (``domain.prepare``)
    located = person[refs["imd_decile"].notna().to_numpy()]
    if lsoa.empty or np.count_nonzero(np.bincount(located)) < THRESHOLD:
        return None
    people = pd.DataFrame({  # the arrays as they are (categories), not as Python objects
        "pid": person,  # one code per person: counted once, at their first referral
        "lad_code": refs["lad_code"].array,
        "imd_decile": _numbers(refs["imd_decile"]),
        "imd_quintile": _numbers(refs["imd_quintile"]),
        "age_band": refs["age_band"].array,
        "sex": refs["sex_or_unknown"].array,
        "ethnicity": refs["ethnicity_recorded"].array,
        "episode_completed": refs["completed"].array,
    })
    if not people["episode_completed"].any():  # a model of all zeros has no estimate
        people["episode_completed"] = None
    result = reach_mod.reach(people, lsoa)
    accepted = people["imd_decile"][refs["episode_id"].notna().to_numpy()]  # one column only
    served = reach_mod.served_lsoa(lsoa, people)
    population = served.groupby("imd_decile")["population_total"].sum()
    decile = pd.DataFrame({"accepted": reach_mod.group_sizes(accepted)}).join(
        population.rename("population"), how="outer").fillna(0).astype("int64")
    if decile["accepted"].sum():
        result["inequality"]["accepted"] = reach_mod.sii_rii(decile, "accepted")
    by_quintile = reach_mod.group_sizes(people["imd_quintile"][
        refs["episode_id"].notna().to_numpy()])
    for row in result["by_imd_quintile"]:
        row["accepted"] = int(by_quintile.get(row["imd_quintile"], 0))
    return result


EQUITY_TABLES = (
    ("by_imd_quintile", "imd_quintile", "IMD 2019 quintile (1 = most deprived)"),
    ("by_borough", "lad_name", "Borough"),
    ("by_age_band", "age_band", "Age band at referral"),
    ("by_sex", "sex", "Sex"),
    ("by_ethnicity", "ethnicity", "Ethnicity"),
)
EQUITY_COUNTS = ("referrals", "people", "accepted", "completed_episodes")


def equity_tables(result: dict) -> list[Table]:
    tables = []
    for key, label, heading in EQUITY_TABLES:
        rows = [dict(r, group=str(r.get(label) if key != "by_sex" else
                                  (SEXES[r["sex"]].display if r["sex"] in SEXES else r["sex"])))
                for r in result[key]]
        columns = [("group", heading)] + [(c, h) for c, h in (
            ("people", "People referred"), ("referrals", "Referrals"),
            ("accepted", "Accepted"), ("completed_episodes", "Completed"),
            ("population", "Residents"), ("population_share", "Share of residents"),
            ("people_per_1000", "People per 1,000 residents"),
            ("people_share", "Share of people")) if any(c in r for r in rows)]
        counts = {c: [f"{c}_per_1000", f"{c}_per_1000_ci95"] + (
            ["people_share"] if c == "people" else []) for c in EQUITY_COUNTS
            if any(c in r for r in rows)}
        tables.append(Table(
            f"equity_{key}", f"Equity: {heading.split(' (')[0].lower()}",
            "People referred in the period (counted once, at their first referral), their "
            "referrals, those accepted and those completed, beside the residents of the "
            "boroughs served (mid-2015 population, the IMD 2019 denominators). There is no "
            "resident count by sex or ethnicity, so those are counts and shares.",
            [c for c in columns if c[0] in {"group", *counts, "population",
                                             "population_share", "people_per_1000",
                                             "people_share"}],
            rows, counts=counts, labels=("group", label, "population", "population_share")))
    return tables
