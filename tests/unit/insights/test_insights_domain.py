"""The dashboard's pure pieces: the period filter's bounds and centiles."""

from datetime import date

import pandas as pd

from linkwell.insights import domain
from linkwell.insights.selection import Index


def _referrals(*stamps: str, **columns) -> pd.DataFrame:
    return pd.DataFrame({"created_at": pd.to_datetime(list(stamps), utc=True),
                         "source": "gp", "team_kind": "pcn", "team_id": 1, "lad_code": None,
                         "practice": None} | columns)


def _chosen(refs: pd.DataFrame, filters: domain.Filters) -> list[int]:
    return Index.of(refs).select(filters).tolist()


def test_the_period_includes_both_end_days():
    refs = _referrals("2026-03-01T00:00:00", "2026-03-31T23:59:59", "2026-04-01T00:00:00",
                      "2026-02-28T23:59:59")
    chosen = _chosen(refs, domain.Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)))
    assert chosen == [0, 1]


def test_simulated_referrals_are_left_out_unless_asked_for():
    refs = _referrals(*["2026-01-01"] * 3, source=["gp", "simulated", "gp"],
                      team_kind=["pcn", "pcn", "simulated"])
    assert _chosen(refs, domain.Filters()) == [0]
    assert _chosen(refs, domain.Filters(include_simulated=True)) == [0, 1, 2]


def test_centiles_interpolate_and_say_when_there_is_nothing():
    assert domain.centiles(pd.Series([1.0, 2.0, 3.0, 4.0])) == {"n": 4, "median": 2.5,
                                                                "p90": 3.7}
    assert domain.centiles(pd.Series([], dtype=float)) == {"n": 0, "median": None,
                                                           "p90": None}


def test_filters_round_trip_as_query_parameters():
    filters = domain.Filters(date_from=date(2026, 1, 1), pcn=3, practice="G85001")
    assert filters.query() == {"from": "2026-01-01", "pcn": "3", "practice": "G85001"}
