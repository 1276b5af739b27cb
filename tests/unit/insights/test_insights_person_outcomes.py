"""Person outcomes on the dashboard agree with an independent computation: each episode's
earliest baseline and latest follow-up per instrument among the filtered referrals, the mean
change and its t-based 95% CI; fewer than 10 people are not shown to commissioners."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from test_insights_generated_figures_unchanged import NOW, generated

from linkwell.evaluation.disclosure import SUPPRESSED
from linkwell.evaluation.instruments import INSTRUMENTS
from linkwell.insights import domain


def _measures(frames: domain.Frames, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    refs = frames.referrals.dropna(subset=["episode_id"])
    rows = []
    for episode, person in zip(refs["episode_id"], refs["person_id"], strict=True):
        for code in ("wemwbs", "ucla3", "ons4_anxiety"):
            if code == "ucla3" and rng.random() < 0.997:  # few: fewer than 10 pairs
                continue
            start = pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(rng.integers(0, 300)))
            for k in range(int(rng.integers(0, 3))):  # 0 to 2 baselines
                rows.append((person, episode, code, "baseline",
                             start + pd.Timedelta(days=k), float(rng.integers(20, 50))))
            for k in range(int(rng.integers(0, 3))):  # 0 to 2 follow-ups
                rows.append((person, episode, code, "follow_up",
                             start + pd.Timedelta(days=90 + k), float(rng.integers(20, 60))))
    frame = pd.DataFrame(rows, columns=["person_id", "episode_id", "instrument", "timepoint",
                                        "measured_on", "score"])
    return frame.astype({"instrument": "category", "timepoint": "category"})


def _expected(measures: pd.DataFrame, episodes: set) -> dict[str, dict]:
    mine = measures[measures["episode_id"].isin(episodes)].sort_values("measured_on",
                                                                       kind="stable")
    base = mine[mine["timepoint"] == "baseline"].groupby(
        ["episode_id", "instrument"], observed=True)["score"].first()
    follow = mine[mine["timepoint"] == "follow_up"].groupby(
        ["episode_id", "instrument"], observed=True)["score"].last()
    both = pd.concat([base.rename("b"), follow.rename("f")], axis=1, join="inner")
    out = {}
    for code, group in both.groupby(level="instrument", observed=True):
        change = (group["f"] - group["b"]).to_numpy()
        n = len(change)
        half = (stats.t.ppf(0.975, n - 1) * change.std(ddof=1) / np.sqrt(n)) if n >= 10 else None
        out[code] = {"n": n, "mean_change": change.mean(), "mean_baseline": group["b"].mean(),
                     "low": None if half is None else change.mean() - half,
                     "high": None if half is None else change.mean() + half}
    return out


@pytest.fixture(scope="module")
def frames() -> domain.Frames:
    raw = generated()
    prepared = domain.prepare(raw)
    raw.measures = _measures(prepared)
    return domain.prepare(raw)


FILTERS = [domain.Filters(), domain.Filters(date_from=date(2025, 4, 1), date_to=date(2026, 3, 31)),
           domain.Filters(pcn=2), domain.Filters(source="self"),
           domain.Filters(team=6, date_to=date(2025, 6, 30))]


@pytest.mark.parametrize("filters", FILTERS)
def test_figures_agree_with_an_independent_computation(frames, filters):
    dashboard = domain.build(frames, filters, "evaluator", NOW)
    table = next(t for t in dashboard.tables if t.key == "person_outcomes")
    episodes = set(domain.scope(frames, filters)["episode_id"].dropna())
    expected = _expected(frames.measures, episodes)
    shown = {row["code"]: row for row in table.rows}
    assert set(shown) == set(expected)
    for code, want in expected.items():
        row = shown[code]
        assert row["n_paired"] == want["n"]
        assert row["mean_change"] == pytest.approx(want["mean_change"], abs=1e-9)
        assert row["mean_baseline"] == pytest.approx(want["mean_baseline"], abs=1e-9)
        if want["low"] is None:
            assert row["ci95_low"] is None and row["ci95_high"] is None
        else:
            assert row["ci95_low"] == pytest.approx(want["low"], abs=1e-9)
            assert row["ci95_high"] == pytest.approx(want["high"], abs=1e-9)
        better = "lower" if INSTRUMENTS[code].lower_is_better else "higher"
        assert row["group"] == f"{INSTRUMENTS[code].title} ({better} is better)"


def test_fewer_than_10_people_are_not_shown_to_commissioners(frames):
    table = next(t for t in domain.build(frames, domain.Filters(), "commissioner", NOW).tables
                 if t.key == "person_outcomes")
    rows = {row["code"]: row for row in table.rows}
    few = rows["ucla3"]  # 0.3% of episodes: fewer than 10 with both measures
    assert few["n_paired"] == SUPPRESSED
    assert all(few[k] is None for k in ("mean_baseline", "mean_follow_up", "mean_change",
                                        "ci95_low", "ci95_high"))
    many = rows["wemwbs"]
    assert isinstance(many["n_paired"], int) and many["n_paired"] >= 10
    assert many["ci95_low"] < many["mean_change"] < many["ci95_high"]
    evaluator = next(t for t in domain.build(frames, domain.Filters(), "evaluator", NOW).tables
                     if t.key == "person_outcomes")
    assert 0 < {r["code"]: r for r in evaluator.rows}["ucla3"]["n_paired"] < 10


def test_without_any_measure_there_is_no_table():
    frames = domain.prepare(generated(n=500))
    dashboard = domain.build(frames, domain.Filters(), "commissioner", NOW)
    assert "person_outcomes" not in {t.key for t in dashboard.tables}
