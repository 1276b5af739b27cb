import numpy as np
import pytest
from evaluation_lsoa import make_lsoa_frame

from linkwell.evaluation.inputs import load
from linkwell.evaluation.simulate import simulate


@pytest.fixture
def lsoa_frame():
    return make_lsoa_frame()


def test_simulate_attrition_higher_in_deprived_areas(lsoa_frame):
    data = simulate(lsoa_frame, 4000, seed=1, with_extras=False)
    frames = load(people=data.people, measurements=data.measurements, lsoa=lsoa_frame)

    m = frames.measurements.merge(frames.people[["pid", "imd_quintile"]], on="pid")
    base = m[m["timepoint"] == "baseline"].groupby("imd_quintile")["episode"].nunique()
    follow = m[m["timepoint"] == "follow_up"].groupby("imd_quintile")["episode"].nunique()
    followed = (follow / base).to_numpy(float)
    assert followed[0] < followed[-1]
    assert len(frames.measurements) > 2.5 * 4000  # about three measures per person


def test_simulate_is_seeded_and_tilted_to_deprivation(lsoa_frame):
    a = simulate(lsoa_frame, 500, seed=2, with_extras=False)
    b = simulate(lsoa_frame, 500, seed=2, with_extras=False)

    assert a.people.equals(b.people) and a.measurements.equals(b.measurements)
    decile = lsoa_frame.set_index("lsoa11cd")["imd_decile"]
    assert np.mean(decile.reindex(a.people["lsoa11cd"]).to_numpy()) < np.average(
        lsoa_frame["imd_decile"], weights=lsoa_frame["population_total"])
