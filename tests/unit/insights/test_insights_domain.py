"""The dashboard's pure pieces: the period filter's bounds and centiles."""

from datetime import date

import pandas as pd

from linkwell.insights import domain


def _referrals(*stamps: str) -> pd.DataFrame:
    return pd.DataFrame({"created_at": pd.to_datetime(list(stamps), utc=True),
                         "source": "gp", "team_kind": "pcn"})


def test_the_period_includes_both_end_days():
    refs = _referrals("2026-03-01T00:00:00", "2026-03-31T23:59:59", "2026-04-01T00:00:00",
                      "2026-02-28T23:59:59")
    chosen = domain.in_scope(refs, domain.Filters(date_from=date(2026, 3, 1),
                                                  date_to=date(2026, 3, 31)))
    assert len(chosen) == 2


def test_simulated_referrals_are_left_out_unless_asked_for():
    refs = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-01"] * 3, utc=True),
                         "source": ["gp", "simulated", "gp"],
                         "team_kind": ["pcn", "pcn", "simulated"]})
    assert len(domain.in_scope(refs, domain.Filters())) == 1
    assert len(domain.in_scope(refs, domain.Filters(include_simulated=True))) == 3


def test_centiles_interpolate_and_say_when_there_is_nothing():
    assert domain.centiles(pd.Series([1.0, 2.0, 3.0, 4.0])) == {"n": 4, "median": 2.5,
                                                                "p90": 3.7}
    assert domain.centiles(pd.Series([], dtype=float)) == {"n": 0, "median": None,
                                                           "p90": None}


def test_filters_round_trip_as_query_parameters():
    filters = domain.Filters(date_from=date(2026, 1, 1), pcn=3, practice="G85001")
    assert filters.query() == {"from": "2026-01-01", "pcn": "3", "practice": "G85001"}
