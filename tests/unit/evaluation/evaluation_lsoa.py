"""A small synthetic LSOA reference (4 boroughs, 80 LSOAs, every IMD decile), so evaluation
tests run without ../shared. A plain module, not a conftest: a second ``conftest`` module
would shadow the root one that browser tests import by name."""

import numpy as np
import pandas as pd


def make_lsoa(n: int = 80, seed: int = 7) -> pd.DataFrame:
    """In the layout of shared/data/london/lsoa2011.csv."""
    rng = np.random.default_rng(seed)
    boroughs = [("E09000002", "Barking and Dagenham"), ("E09000007", "Camden"),
                ("E09000022", "Lambeth"), ("E09000027", "Richmond upon Thames")]
    rows = []
    for i in range(n):
        code, name = boroughs[i % 4]
        bands = rng.integers(200, 1200, 3)
        rows.append({
            "lsoa11cd": f"E0100{i:04d}", "lsoa11nm": f"{name} {i:03d}", "msoa11cd": "",
            "lad_code": code, "lad_name": name,
            "centroid_lat": 51.45 + rng.random() * 0.15, "centroid_lon": -0.25 + rng.random() * 0.4,
            "area_m2": 100000, "imd2019_rank": 1000 + i, "imd2019_decile": i % 10 + 1,
            "population_2015": int(bands.sum()), "population_0_15": int(bands[0]),
            "population_16_59": int(bands[1]), "population_60_plus": int(bands[2]),
        })
    return pd.DataFrame(rows)


def make_lsoa_frame() -> pd.DataFrame:
    """In the geo table's column names, as the simulator wants it."""
    from linkwell.evaluation.inputs import LSOA_CSV_RENAMES

    return make_lsoa().rename(columns=LSOA_CSV_RENAMES)
