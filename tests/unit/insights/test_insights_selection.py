"""The index selects exactly the referrals the filters describe, in the frame's order, for
every combination the page allows (compared with a row-by-row reading of the filters)."""

import itertools
from datetime import date

import pandas as pd
import pytest
from test_insights_generated_figures_unchanged import BOROUGHS, generated

from linkwell.insights import domain
from linkwell.insights.selection import Index


@pytest.fixture(scope="module")
def referrals() -> pd.DataFrame:
    return domain.prepare(generated(n=3000, seed=7)).referrals


def _by_hand(refs: pd.DataFrame, f: domain.Filters) -> list[int]:
    chosen = []
    for i, r in enumerate(refs.itertuples()):
        created = r.created_at.date()
        if not f.include_simulated and "simulated" in (r.source, r.team_kind):
            continue
        if (f.date_from and created < f.date_from) or (f.date_to and created > f.date_to):
            continue
        if f.borough and r.lad_code != f.borough:
            continue
        if f.pcn is not None and (r.team_id != f.pcn or r.team_kind != "pcn"):
            continue
        if f.team is not None and r.team_id != f.team:
            continue
        if (f.practice and r.practice != f.practice) or (f.source and r.source != f.source):
            continue
        chosen.append(i)
    return chosen


PERIODS = [(None, None), (date(2025, 3, 1), date(2025, 3, 31)), (date(2026, 1, 1), None),
           (None, date(2024, 7, 1)), (date(2030, 1, 1), None)]
CHOICES = [{}, {"borough": BOROUGHS[2]}, {"pcn": 3}, {"pcn": 6}, {"team": 6},
           {"practice": "G80005"}, {"practice": "NOSUCH"}, {"source": "vcs"},
           {"source": "simulated"}, {"borough": BOROUGHS[0], "source": "gp"},
           {"pcn": 2, "team": 4}, {"team": 1, "practice": "G80002", "borough": BOROUGHS[0]}]


@pytest.mark.parametrize(("period", "choice", "simulated"), list(itertools.product(
    PERIODS, CHOICES, (False, True))))
def test_the_index_selects_what_the_filters_describe(referrals, period, choice, simulated):
    filters = domain.Filters(date_from=period[0], date_to=period[1], **choice,
                             include_simulated=simulated)
    index = Index.of(referrals)
    assert index.select(filters).tolist() == _by_hand(referrals, filters)
    whole = domain.Filters(**choice, include_simulated=simulated)
    assert index.select(filters, period=False).tolist() == _by_hand(referrals, whole)


@pytest.mark.parametrize("period", PERIODS + [(date(2025, 2, 1), date(2025, 1, 1))])
def test_a_period_alone_is_one_slice_of_the_frame_with_the_rows_select_gives(period):
    """``prepare`` keeps the real referrals first, the dated ones in order of creation, so
    ``span`` answers a period alone with a slice: exactly the rows ``select`` gives."""
    frames = domain.prepare(generated(n=3000, seed=7))
    filters = domain.Filters(date_from=period[0], date_to=period[1])
    low, high = frames.index.span(filters)
    assert list(range(low, high)) == frames.index.select(filters).tolist()
    assert frames.index.span(domain.Filters(**{"date_from": period[0]},
                                            include_simulated=True)) is None
    assert frames.index.span(domain.Filters(date_from=period[0], source="gp")) is None
    sliced = domain.scope(frames, filters)
    assert sliced.index.tolist() == frames.referrals.take(
        frames.index.select(filters)).index.tolist()
