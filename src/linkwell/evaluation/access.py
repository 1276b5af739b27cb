"""Access: how far each neighbourhood is from the nearest open service of each need category,
and link-worker capacity against deprivation, so advice deserts can be seen beside need.

Distances are great-circle (haversine) from the LSOA's centroid: ``geo.distance.nearest_m``.
"""

import numpy as np
import pandas as pd
from scipy import stats

from linkwell.geo.distance import nearest_m

FAR_KM = 2.0  # beyond this an LSOA counts as far from the service (about 25 minutes' walk)


def nearest_distances(lsoa: pd.DataFrame, services: pd.DataFrame) -> pd.DataFrame:
    """Distance in km from each LSOA centroid to the nearest open service per category."""
    located = lsoa.dropna(subset=["centroid_lat", "centroid_lon"])
    points = located[["centroid_lat", "centroid_lon"]].to_numpy(float)
    out = located[["lsoa11cd", "lad_code", "lad_name", "imd_decile", "population_total"]].copy()
    open_services = services[services["open"]]
    for category, group in open_services.groupby("need_category", sort=True):
        out[f"km:{category}"] = nearest_m(
            points, group[["latitude", "longitude"]].to_numpy(float)) / 1000
    return out


def _summary(frame: pd.DataFrame, by: str, column: str) -> list[dict]:
    rows = []
    for key, group in frame.groupby(by, sort=True):
        km = group[column].to_numpy()
        pop = group["population_total"].to_numpy(float)
        rows.append({
            by: key.item() if hasattr(key, "item") else key,
            "lsoas": len(group),
            "median_km": float(np.median(km)),
            "population_weighted_mean_km": float(np.average(km, weights=pop))
            if pop.sum() > 0 else None,
            "population_far_share": float(pop[km > FAR_KM].sum() / pop.sum())
            if pop.sum() > 0 else None,
        })
    return rows


def access(lsoa: pd.DataFrame, services: pd.DataFrame | None) -> dict:
    """Per need category: distances by IMD decile and by borough, and the rank correlation
    between deprivation and distance (negative: the more deprived, the nearer)."""
    if services is None or not services["open"].any():
        return {"available": False, "reason": "no services file with open services supplied"}
    if lsoa[["centroid_lat", "centroid_lon"]].isna().all().all():
        return {"available": False, "reason": "the LSOA reference data has no centroids"}
    distances = nearest_distances(lsoa, services)
    categories = {}
    for column in [c for c in distances.columns if c.startswith("km:")]:
        km = distances[column].to_numpy()
        rho, p = stats.spearmanr(11 - distances["imd_decile"].to_numpy(), km)
        categories[column[3:]] = {
            "open_services": int((services["open"] & (services["need_category"]
                                                       == column[3:])).sum()),
            "by_imd_decile": _summary(distances, "imd_decile", column),
            "by_borough": _summary(distances, "lad_code", column),
            "spearman_deprivation_vs_km": {"rho": float(rho), "p": float(p)},
        }
    return {"available": True, "far_km": FAR_KM, "metric": "great-circle km from LSOA "
            "centroid to nearest open service (scikit-learn BallTree, haversine)",
            "categories": categories}


def capacity(lsoa: pd.DataFrame, capacity_frame: pd.DataFrame | None) -> dict:
    """Caseload places per 10,000 population by borough, beside the share of the borough's
    population living in the most deprived IMD quintile."""
    if capacity_frame is None or capacity_frame.empty:
        return {"available": False, "reason": "no link-worker capacity supplied"}
    pop = lsoa.groupby("lad_code").agg(
        lad_name=("lad_name", "first"), population=("population_total", "sum"),
        deprived=("population_total", lambda s: s[lsoa.loc[s.index, "imd_decile"] <= 2].sum()))
    table = capacity_frame.set_index("lad_code").join(pop, how="inner")
    table = table[table["population"] > 0]
    table["places_per_10000"] = table["caseload_places"] / table["population"] * 10_000
    table["most_deprived_quintile_share"] = table["deprived"] / table["population"]
    rows = [{"lad_code": code, "lad_name": r.lad_name,
             "caseload_places": int(r.caseload_places), "population": int(r.population),
             "places_per_10000": float(r.places_per_10000),
             "most_deprived_quintile_share": float(r.most_deprived_quintile_share)}
            for code, r in table.sort_index().iterrows()]
    result = {"available": True, "by_borough": rows}
    if len(table) >= 3:
        rho, p = stats.spearmanr(table["most_deprived_quintile_share"],
                                 table["places_per_10000"])
        result["spearman_deprivation_vs_places"] = {"rho": float(rho), "p": float(p)}
    return result
