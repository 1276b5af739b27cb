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


TALLIED = ("lad_code", "imd_decile", "age_band", "sex", "ethnicity")  # quintile: from decile
MOST_COMBINATIONS = 1 << 23  # beyond this many, the rows are handed to ``reach`` as they are


def _coded(values) -> tuple[np.ndarray, int, object] | None:
    """Each row's code (0 when blank), the number of codes, and the column ``reach`` would
    have been handed for given codes: the categories, or the whole numbers as ``_numbers``
    gives them. None when the values are not whole numbers."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        dtype = values.dtype
        return (values.cat.codes.to_numpy().astype(np.intp) + 1, len(dtype.categories) + 1,
                lambda codes: pd.Categorical.from_codes(codes - 1, dtype=dtype))
    numbers = _numbers(values)
    known = ~np.isnan(numbers) if numbers.dtype.kind == "f" else np.ones(len(numbers), bool)
    present = numbers[known]
    if not len(present) or (np.floor(present) != present).any():
        return None
    low, high = int(present.min()), int(present.max())
    codes = np.where(known, numbers - low + 1, 0).astype(np.intp)
    return (codes, high - low + 2,
            lambda c: np.where(c > 0, low + c - 1, np.nan).astype(numbers.dtype))


def _first(refs: pd.DataFrame) -> np.ndarray:
    """Whether each referral is its person's first among them in the order the frame was
    read (its label), whatever order ``refs`` is in: ``reach`` counts people there."""
    person, label = refs["person"].to_numpy(), refs.index.to_numpy()
    if not len(person):
        return np.zeros(0, dtype=bool)
    earliest = np.full(int(person.max()) + 1, np.iinfo(np.int64).max)
    np.minimum.at(earliest, person, label)
    return earliest[person] == label


def tallied(refs: pd.DataFrame) -> pd.DataFrame | None:
    """``reach_tallied``'s input: one row per combination of borough, IMD decile, age band,
    sex and ethnicity among the referrals, with the referrals, people (each counted at their
    first referral among them) and completed episodes it stands for, counted with
    ``bincount`` over one combined code (a few thousand rows, however many referrals).
    None when a column is not whole numbers or categories, or the combinations too many."""
    columns = {"lad_code": refs["lad_code"], "imd_decile": refs["imd_decile"],
               "age_band": refs["age_band"], "sex": refs["sex_or_unknown"],
               "ethnicity": refs["ethnicity_recorded"]}
    coded = {name: _coded(values) for name, values in columns.items()}
    if any(c is None for c in coded.values()) or np.prod(
            [c[1] for c in coded.values()], dtype=float) > MOST_COMBINATIONS:
        return None
    key = np.zeros(len(refs), dtype=np.intp)
    for codes, size, _ in coded.values():
        key = key * size + codes
    bins = int(np.prod([c[1] for c in coded.values()]))
    referrals = np.bincount(key, minlength=bins)
    observed = np.flatnonzero(referrals)
    first = _first(refs)
    out, rest = {}, observed
    for name in reversed(TALLIED):
        codes, size, decode = coded[name]
        out[name] = decode(rest % size)
        rest = rest // size
    out["imd_quintile"] = (out["imd_decile"] + 1) // 2
    out["referrals"] = referrals[observed].astype(np.int64)
    out["people"] = np.bincount(key[first], minlength=bins)[observed].astype(np.int64)
    completed = refs["completed"].to_numpy()
    if completed.any():  # a model of all zeros has no estimate
        out["completed_episodes"] = np.bincount(key[completed], minlength=bins)[
            observed].astype(np.int64)
    return pd.DataFrame(out)


def equity(refs: pd.DataFrame, lsoa: pd.DataFrame) -> dict | None:
    """Reach by IMD quintile, borough, age band, sex and ethnicity against the resident
    population, with SII/RII, from the evaluation's ``reach_tallied`` (same machinery, same
    units), handed the referrals counted by combination of groups (``tallied``).
    ``refs`` carries the ``people_columns`` (categories, so counting a million is quick)."""
    person = refs["person"].to_numpy()  # each person's dense code (``domain.prepare``)
    located = person[refs["imd_decile"].notna().to_numpy()]
    if lsoa.empty or np.count_nonzero(np.bincount(located)) < THRESHOLD:
        return None
    counts = tallied(refs)
    if counts is None:  # one row per referral, in the order read, as ``reach`` is handed them
        refs = refs.sort_index()
        person = refs["person"].to_numpy()
        people = pd.DataFrame({  # the arrays as they are (categories), not Python objects
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
        counts = reach_mod.tally(people)
    result = reach_mod.reach_tallied(counts, lsoa)
    accepted = refs["episode_id"].notna().to_numpy()  # one column only
    served = reach_mod.served_lsoa(lsoa, counts)
    population = served.groupby("imd_decile")["population_total"].sum()
    decile = pd.DataFrame({"accepted": reach_mod.group_sizes(pd.Series(
        _numbers(refs["imd_decile"])[accepted]))}).join(
        population.rename("population"), how="outer").fillna(0).astype("int64")
    if decile["accepted"].sum():
        result["inequality"]["accepted"] = reach_mod.sii_rii(decile, "accepted")
    by_quintile = reach_mod.group_sizes(pd.Series(_numbers(refs["imd_quintile"])[accepted]))
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
