"""On a generated dataset shaped like the benchmark's (several thousand referrals over two
years, people referred more than once, some without a neighbourhood), every figure and every
suppression for the filter combinations the page allows is exactly as it was before the
filtered views were sped up (ADR 0020). The snapshot was taken from the code before that
change; the seeded-database twin of this test is in tests/integration/insights."""

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from insights_figures import check_against, figures
from linkwell.insights import domain

SNAPSHOT = Path(__file__).with_name("generated_figures.json")
NOW = datetime(2026, 6, 30, 9, tzinfo=UTC)
BOROUGHS = ("E09000001", "E09000002", "E09000003", "E09000004")


def generated(n: int = 6000, seed: int = 20) -> domain.Frames:
    rng = np.random.default_rng(seed)
    lsoa = pd.DataFrame({
        "lsoa11cd": [f"E0100{i:04d}" for i in range(40)],
        "lad_code": [BOROUGHS[i % 4] for i in range(40)],
        "lad_name": [f"Borough {i % 4}" for i in range(40)],
        "imd_decile": [1 + i % 10 for i in range(40)],
        "population_total": 1600, "population_0_15": 300, "population_16_59": 1000,
        "population_60_plus": 300, "centroid_lat": None, "centroid_lon": None})
    teams = pd.DataFrame({"team_id": np.arange(1, 8),
                          "name": [f"Team {i}" for i in range(1, 8)],
                          "kind": ["pcn"] * 5 + ["borough", "simulated"],
                          "caseload_capacity": [300, 200, 0, 100, 50, 80, None],
                          "lad_code": [BOROUGHS[i % 4] for i in range(7)]})
    created = pd.Timestamp("2024-07-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 730 * 24 * 3600, n), unit="s")
    accepted = rng.random(n) < 0.7
    contact = np.where(rng.random(n) < 0.8, rng.integers(0, 30 * 24, n), -1)
    team = rng.integers(1, 8, n)
    where = rng.integers(-3, len(lsoa), n)  # below 0: no neighbourhood recorded
    status = np.where(accepted, "accepted",
                      rng.choice(["requested", "received", "rejected"], n))
    closure = np.where(accepted, rng.choice(["", "", "goals-met", "declined", "no-contact"],
                                            n), "")
    hours = lambda values: pd.to_timedelta(values, unit="h")  # noqa: E731
    reasons = ["loneliness", "debt", "housing"]
    lad = np.where(where >= 0, lsoa["lad_code"].to_numpy()[where.clip(0)],
                   np.where(where == -1, BOROUGHS[0], None))
    referrals = pd.DataFrame({
        "referral_id": np.arange(1, n + 1), "person_id": rng.integers(1, int(n * 0.7), n),
        "created_at": created,
        "source": np.where(team == 7, "simulated",
                           rng.choice(["gp", "hospital", "council", "vcs", "self"], n)),
        "status": status,
        "reasons": [[reasons[i % 3]] if i % 4 else reasons[i % 3:i % 3 + 2] for i in range(n)],
        "team_id": team, "team_name": teams["name"].to_numpy()[team - 1],
        "team_kind": teams["kind"].to_numpy()[team - 1],
        "practice": np.where(rng.random(n) < 0.9, pd.Series(rng.integers(0, 12, n)).map(
            "G8{:04d}".format), None),
        "sex": rng.choice(["female", "male", None], n, p=[0.5, 0.45, 0.05]),
        "birth_date": pd.Timestamp("1940-01-01") + pd.to_timedelta(
            rng.integers(0, 80 * 365, n), unit="D"),
        "ethnicity": rng.choice(["White British", "Black African", "Indian", "", None], n),
        "lsoa11cd": np.where(where >= 0, lsoa["lsoa11cd"].to_numpy()[where.clip(0)], None),
        "lad_code": lad,
        "imd_decile": pd.Series(lsoa["imd_decile"].to_numpy()[where.clip(0)],
                                dtype="Int64").where(where >= 0),
        "episode_id": np.where(accepted, np.arange(1, n + 1), np.nan),
        "opened_at": created.where(accepted) + hours(48),
        "link_worker_id": np.where(accepted, rng.integers(1, 30, n), np.nan),
        "closed_at": (created + hours(24 * 60)).where(closure != ""),
        "closure_reason": np.where(closure == "", None, closure),
        "first_contact_at": (created + hours(contact)).where(accepted & (contact >= 0)),
        "first_goal_at": (created + hours(24 * 7)).where(accepted & (rng.random(n) < 0.6)),
        "onward_referrals": np.where(accepted, rng.integers(0, 3, n), 0),
        "decline_reason": np.where(status == "rejected", rng.choice(["other", "no-contact"], n),
                                   None),
        "first_appointment_at": (created + hours(contact + 24 * 7)).where(
            accepted & (contact >= 0)),
        "attended": np.where(accepted, rng.integers(0, 4, n), 0),
        "did_not_attend": np.where(accepted, rng.integers(0, 2, n), 0),
    })
    m = n // 2
    onward_of = rng.choice(referrals["referral_id"].to_numpy()[accepted], m)
    sent = pd.Timestamp("2024-08-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 700 * 24, m), unit="h")
    answered = rng.random(m) < 0.8
    onward = pd.DataFrame({
        "referral_id": onward_of,
        "service": pd.Series(rng.integers(0, 8, m)).map("Service {}".format),
        "provider": pd.Series(rng.integers(0, 3, m)).map("Provider {}".format),
        "status": rng.choice(["requested", "accepted", "in-progress", "completed", "rejected"],
                             m),
        "sent_at": sent,
        "responded_at": (sent + hours(rng.integers(1, 400, m))).where(answered)})
    needs = pd.DataFrame({"referral_id": rng.choice(onward_of, m),
                          "domain": rng.choice(reasons, m), "score": rng.integers(1, 6, m)})
    return domain.Frames(referrals=referrals, onward=onward, needs=needs, teams=teams,
                         lsoa=lsoa, borough_names={b: f"Borough {i}" for i, b in
                                                   enumerate(BOROUGHS)})


CASES = {
    "first view": {},
    "a year": {"date_from": date(2025, 4, 1), "date_to": date(2026, 3, 31)},
    "a month": {"date_from": date(2025, 2, 1), "date_to": date(2025, 2, 28)},
    "one day": {"date_from": date(2025, 11, 3), "date_to": date(2025, 11, 3)},
    "from a date": {"date_from": date(2026, 1, 15)},
    "to a date": {"date_to": date(2024, 12, 31)},
    "before any data": {"date_to": date(2024, 1, 1)},
    "borough": {"borough": BOROUGHS[1]},
    "pcn": {"pcn": 2},
    "a borough team as PCN": {"pcn": 6},
    "team": {"team": 6},
    "practice": {"practice": "G80003"},
    "source": {"source": "self"},
    "simulated source": {"source": "simulated"},
    "borough and period": {"borough": BOROUGHS[2], "date_from": date(2025, 7, 1),
                           "date_to": date(2025, 12, 31)},
    "pcn and source": {"pcn": 1, "source": "gp"},
    "practice, source and period": {"practice": "G80007", "source": "hospital",
                                    "date_from": date(2025, 1, 1)},
    "team, borough and period": {"team": 4, "borough": BOROUGHS[3],
                                 "date_to": date(2025, 9, 30)},
    "every filter": {"borough": BOROUGHS[0], "pcn": 1, "team": 1, "practice": "G80001",
                     "source": "gp", "date_from": date(2024, 9, 1),
                     "date_to": date(2026, 5, 31)},
}


def test_every_figure_and_suppression_is_as_before():
    frames = domain.prepare(generated())
    computed = {}
    for name, case in CASES.items():
        for audience in ("commissioner", "evaluator"):
            for simulated in (False, True) if audience == "evaluator" else (False,):
                filters = domain.Filters(**case, include_simulated=simulated)
                label = f"{name} / {audience}" + (" with simulated" if simulated else "")
                computed[label] = figures(domain.build(frames, filters, audience, NOW))
    check_against(SNAPSHOT, computed)
