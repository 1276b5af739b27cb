import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from evaluation_lsoa import make_lsoa_frame

from linkwell.evaluation.inputs import load
from linkwell.evaluation.reach import rate_ratio, reach, sii_rii
from linkwell.evaluation.simulate import simulate


@pytest.fixture
def lsoa_frame():
    return make_lsoa_frame()


def _decile_table(rates):
    population = np.array([900, 1100, 1000, 1200, 950, 1050, 1000, 980, 1020, 800]) * 10
    counts = np.round(np.array(rates) * population / 1000).astype(int)
    return pd.DataFrame({"referrals": counts, "population": population},
                        index=pd.Index(range(1, 11), name="imd_decile"))


def test_sii_matches_direct_weighted_regression():
    table = _decile_table([9, 8.5, 8, 7, 6.8, 6, 5, 4.4, 4, 3])
    result = sii_rii(table)

    # Direct: order least (10) to most deprived (1), midpoint of the cumulative share.
    ordered = table.sort_index(ascending=False)
    w = ordered["population"].to_numpy(float)
    share = w / w.sum()
    x = np.cumsum(share) - share / 2
    y = ordered["referrals"].to_numpy() / w * 1000
    slope = np.polyfit(x, y, 1, w=np.sqrt(w))[0]
    assert result["sii"] == pytest.approx(slope)
    assert result["sii"] > 0  # more reach where deprivation is higher
    assert result["sii_ci95"][0] < result["sii"] < result["sii_ci95"][1]
    wls = sm.WLS(y, sm.add_constant(x), weights=w).fit()
    assert result["sii"] == pytest.approx(wls.params[1], abs=1e-6)
    # RII from the same model: fitted most deprived / fitted least deprived (OHID).
    assert result["rii"] == pytest.approx((wls.params[0] + wls.params[1]) / wls.params[0],
                                          abs=1e-6)
    assert result["rii_ci95"][0] < result["rii"] < result["rii_ci95"][1]
    assert "OHID" in result["method"] and "same linear model" in result["rii_definition"]


def test_rii_ci_covers_the_linear_gradient():
    """Issue 22: the quasi-Poisson RII's CI covered the linear model's ratio in 9 of 30
    runs. Counts drawn around a linear gradient; the RII's CI covers the true ratio."""
    rng = np.random.default_rng(30)
    population = np.full(10, 20_000)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2  # least (decile 10) to most deprived
    true_rate = 5 + 4 * rank  # per 1,000: 5 at the least deprived end, 9 at the most
    truth = 9 / 5
    runs, covered = 40, 0
    for _ in range(runs):
        counts = rng.poisson(true_rate * population / 1000)[::-1]  # decile 1 first
        table = pd.DataFrame({"referrals": counts, "population": population},
                             index=pd.Index(range(1, 11), name="imd_decile"))
        low, high = sii_rii(table)["rii_ci95"]
        covered += low <= truth <= high
    assert covered / runs >= 0.85


def test_sii_flat_rates_is_near_zero():
    result = sii_rii(_decile_table([5] * 10))

    assert abs(result["sii"]) < 0.05
    assert result["rii"] == pytest.approx(1, abs=0.02)


def test_rate_ratio_most_vs_least_deprived():
    table = pd.DataFrame({"referrals": [200, 150, 120, 100, 80],
                          "population": [10000, 10000, 10000, 10000, 8000]},
                         index=pd.Index([1, 2, 3, 4, 5], name="imd_quintile"))
    result = rate_ratio(table)

    assert result["rate_ratio"] == pytest.approx((200 / 10000) / (80 / 8000))
    assert result["ci95"][0] < result["rate_ratio"] < result["ci95"][1]


def test_reach_rates_per_1000_and_totals(lsoa_frame):
    data = simulate(lsoa_frame, 2000, seed=3, with_extras=False)
    frames = load(people=data.people, measurements=data.measurements, lsoa=lsoa_frame)
    result = reach(frames.people, frames.lsoa)

    total_population = int(lsoa_frame["population_total"].sum())
    assert result["totals"]["people"] == 2000
    assert result["totals"]["population"] == total_population
    first = result["by_imd_decile"][0]
    population = int(lsoa_frame.loc[lsoa_frame["imd_decile"] == first["imd_decile"],
                                     "population_total"].sum())
    assert first["population"] == population
    assert first["people_per_1000"] == pytest.approx(first["people"] / population * 1000)
    assert sum(r["people"] for r in result["by_borough"]) == 2000
    assert sum(r["people"] for r in result["by_sex"]) == 2000
    band = {r["age_band"]: r for r in result["by_age_band"]}
    assert band["60+"]["population"] == int(lsoa_frame["population_60_plus"].sum())
    # The simulator refers more people from deprived areas.
    assert result["inequality"]["people"]["sii"] > 0


@pytest.mark.parametrize("kind", ["categories", "sorted categories", "integers",
                                  "floats with NaN", "fractions", "Int64", "text", "empty"])
def test_group_sizes_are_what_grouping_the_frame_gives(kind):
    """``group_sizes`` counts codes with ``bincount`` where it can; whatever the column, its
    keys, their order and type, and the counts and sums are exactly pandas' groupby's."""
    from linkwell.evaluation.reach import group_sizes
    rng = np.random.default_rng(7)
    n = 0 if kind == "empty" else 2000
    values = {
        "categories": pd.Categorical(rng.choice(["b", "a", "c", None], n),
                                     categories=["c", "a", "b", "unused"]),
        "sorted categories": pd.Series(rng.choice(["b", "a", None], n)).astype("category"),
        "integers": rng.integers(1, 11, n),
        "floats with NaN": np.where(rng.random(n) < 0.1, np.nan, rng.integers(1, 6, n)),
        "fractions": rng.random(n),
        "Int64": pd.array(rng.integers(1, 11, n), dtype="Int64"),
        "text": rng.choice(["b", "a"], n).astype(object),
        "empty": np.array([], dtype=float),
    }[kind]
    column = pd.Series(values, name="group")
    weights = pd.Series(rng.random(n) < 0.3, name="done")
    frame = pd.DataFrame({"group": column, "done": weights})
    expected = frame.groupby("group", observed=True).size()
    pd.testing.assert_series_equal(group_sizes(column), expected, check_names=False)
    assert group_sizes(column).index.name == "group"
    pd.testing.assert_series_equal(group_sizes(column, weights),
                                   frame.groupby("group", observed=True)["done"].sum(),
                                   check_names=False)
    nullable = weights.astype("boolean").mask(rng.random(n) < 0.1)  # grouped by pandas
    pd.testing.assert_series_equal(
        group_sizes(column, nullable),
        frame.assign(done=nullable).groupby("group", observed=True)["done"].sum(),
        check_names=False)


@pytest.mark.parametrize(("rows", "zero_rows"), [(10, 0), (7, 3), (0, 4)])
def test_the_monte_carlo_draws_are_those_of_a_fresh_generator(rows, zero_rows):
    """``sii_rii`` keeps its standard normal draws between fits: they are exactly what a
    generator seeded afresh gives, deciles with a count first and then those without, and
    every fit of the same table gives the same result."""
    from linkwell.evaluation.reach import OHID_REPETITIONS, _standard_normals
    rng = np.random.default_rng(2019)
    normal, zero = _standard_normals(2019, rows, zero_rows)
    assert np.array_equal(normal, rng.standard_normal((rows, OHID_REPETITIONS)))
    assert np.array_equal(zero, rng.standard_normal((zero_rows, OHID_REPETITIONS)))
    assert not normal.flags.writeable
    table = _decile_table([9, 8.5, 8, 7, 6.8, 6, 5, 4.4, 4, 3])
    table.iloc[:zero_rows, 0] = 0
    assert sii_rii(table) == sii_rii(table.copy())
