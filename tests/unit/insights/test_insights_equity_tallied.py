"""The dashboard hands ``evaluation.reach`` its referrals counted by combination of borough,
IMD decile, age band, sex and ethnicity (``equity.tallied``) rather than one row per
referral. The evaluation's own path (``reach.tally``, a row per referral) gives the same
result, every figure equal to the last bit, for every filter the snapshot test uses."""

import math

import numpy as np
import pandas as pd
import pytest
from test_insights_generated_figures_unchanged import CASES, generated

from linkwell.evaluation import reach as reach_mod
from linkwell.insights import domain, equity


def _rows(refs: pd.DataFrame) -> pd.DataFrame:
    refs = refs.sort_index()  # in the order read (the frame is kept in order of creation)
    people = pd.DataFrame({
        "pid": refs["person_id"].to_numpy(), "lad_code": refs["lad_code"].array,
        "imd_decile": equity._numbers(refs["imd_decile"]),
        "imd_quintile": equity._numbers(refs["imd_quintile"]),
        "age_band": refs["age_band"].array, "sex": refs["sex_or_unknown"].array,
        "ethnicity": refs["ethnicity_recorded"].array,
        "episode_completed": refs["completed"].array})
    if not people["episode_completed"].any():
        people["episode_completed"] = None
    return reach_mod.tally(people)


def _equal(a, b, where="") -> None:
    assert type(a) is type(b) or {type(a), type(b)} <= {int, float}, where
    if isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _equal(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _equal(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    else:
        assert a == b and repr(a) == repr(b), where


@pytest.fixture(scope="module")
def frames():
    return domain.prepare(generated())


@pytest.mark.parametrize("case", list(CASES))
def test_counts_by_combination_give_exactly_the_figures_of_a_row_per_referral(frames, case):
    refs = domain.scope(frames, domain.Filters(**CASES[case], include_simulated=True))
    if len(refs) == 0 or refs["imd_decile"].notna().sum() == 0:
        pytest.skip("no referrals with a neighbourhood")
    tallied = equity.tallied(refs)
    assert tallied is not None and len(tallied) < len(refs) or len(refs) < 50
    assert int(tallied["referrals"].sum()) == len(refs)
    assert int(tallied["people"].sum()) == refs["person_id"].nunique()
    _equal(reach_mod.reach_tallied(tallied, frames.lsoa),
           reach_mod.reach_tallied(_rows(refs), frames.lsoa), case)


def test_a_column_not_of_whole_numbers_is_handed_over_a_row_per_referral(frames):
    refs = domain.scope(frames, domain.Filters()).copy()
    refs["imd_decile"] = refs["imd_decile"].astype("Float64") + 0.5
    assert equity.tallied(refs) is None


def test_without_any_completed_episode_there_is_no_completed_count(frames):
    refs = domain.scope(frames, domain.Filters()).copy()
    refs["completed"] = np.zeros(len(refs), dtype=bool)
    assert "completed_episodes" not in equity.tallied(refs)
    assert "completed_episodes" not in equity.equity(refs, frames.lsoa)["inequality"]
