"""The evaluation's simulated cohort in a test database, over the LSOAs the unit tests use
(``tests/unit/evaluation/evaluation_lsoa.py``)."""

import sys
from pathlib import Path

from linkwell.evaluation.demo import create_simulated_cohort
from linkwell.geo.models import Lsoa

sys.path.insert(0, str(Path(__file__).parent / "unit" / "evaluation"))
from evaluation_lsoa import make_lsoa_frame  # noqa: E402


def add_lsoas(session) -> None:
    """The unit tests' LSOA frame as ``lsoa`` rows, in a transaction of its own."""
    with session.begin():
        for row in make_lsoa_frame().to_dict("records"):
            session.add(Lsoa(
                lsoa11cd=row["lsoa11cd"], name=row["lsoa11nm"], msoa11cd=None,
                lad_code=row["lad_code"], lad_name=row["lad_name"],
                centroid_lat=row["centroid_lat"], centroid_lon=row["centroid_lon"],
                area_m2=row["area_m2"], imd_rank=row["imd_rank"], imd_decile=row["imd_decile"],
                population_total=row["population_total"],
                population_0_15=row["population_0_15"],
                population_16_59=row["population_16_59"],
                population_60_plus=row["population_60_plus"]))


def simulated_cohort(session, *, people: int, seed: int) -> str:
    """The LSOAs, then ``people`` simulated people with outcomes; the demo's summary line."""
    add_lsoas(session)
    with session.begin():
        return create_simulated_cohort(session, people=people, with_outcomes=True, seed=seed)
