"""The operational dashboard over 1,000,000 referrals and about 3,000,000 events.

Targets (issue 19): first view p95 <= 500 ms, filtered views p95 <= 300 ms.

The first view (no filters) is precomputed for each audience when the frames are read
(``insights.queries.precompute``, after any write changes the tables' fingerprint): what is
timed for it is serving it (``queries.served``), and the refresh that precomputes it is
reported beside. Filtered views are ``insights.domain.build`` computed afresh (no kept
dashboard): every figure on the page, with disclosure control, from the frames a serving
process keeps (``insights.queries.frames`` reads them once per change of the data), selected
through the index ``domain.prepare`` builds (ADR 0020). "filtered views" are the five views
timed before ADR 0020, so the figures compare; then periods alone (a year, a quarter, a month,
an open-ended period), more combinations, and the evaluator's unsuppressed views.
Wall and CPU time are printed, with the load average (the machine is shared).
The frames are built here in the columns
``queries`` produces, at full size: 1M referrals (each with its contact, goal and closure
dates), 1M onward referrals and 1M needs, i.e. about 3M events besides the referrals. The
read from the database after a change is not in these figures, and neither is a repeat of the
same view within the hour, which ``queries.dashboard`` serves as already computed.

Run: ``python -m bench insights_dashboard`` (INSIGHTS_BENCH_REFERRALS overrides the size,
INSIGHTS_BENCH_RUNS the views timed per line).
"""

import os
import time
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from linkwell.insights import domain, queries

REFERRALS = int(os.environ.get("INSIGHTS_BENCH_REFERRALS", "1000000"))
RUNS = int(os.environ.get("INSIGHTS_BENCH_RUNS", "20"))
FIRST_TARGET_MS, FILTERED_TARGET_MS = 500, 300
NOW = datetime(2026, 6, 30, tzinfo=UTC)


def _frames(n: int, seed: int = 19) -> domain.Frames:
    rng = np.random.default_rng(seed)
    boroughs = [f"E0900{i:04d}" for i in range(33)]
    lsoa = pd.DataFrame({
        "lsoa11cd": [f"E0100{i:04d}" for i in range(4835)],
        "lad_code": [boroughs[i % 33] for i in range(4835)],
        "lad_name": [f"Borough {i % 33}" for i in range(4835)],
        "imd_decile": [1 + i % 10 for i in range(4835)],
        "population_total": 1600, "population_0_15": 300, "population_16_59": 1000,
        "population_60_plus": 300, "centroid_lat": None, "centroid_lon": None})
    teams = pd.DataFrame({"team_id": np.arange(1, 41), "name": [f"Team {i}" for i in
                                                                 range(1, 41)],
                          "kind": ["pcn"] * 36 + ["borough"] * 3 + ["simulated"],
                          "caseload_capacity": 300})
    created = pd.Timestamp("2024-07-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 730 * 24 * 3600, n), unit="s")
    accepted = rng.random(n) < 0.7
    contact = np.where(rng.random(n) < 0.8, rng.integers(0, 30 * 24, n), -1)
    team = rng.integers(1, 41, n)
    lsoa_index = rng.integers(0, len(lsoa), n)
    status = np.where(accepted, "accepted", rng.choice(["requested", "rejected"], n))
    closure = np.where(accepted, rng.choice(["", "", "goals-met", "declined"], n), "")
    hours = lambda values: pd.to_timedelta(values, unit="h")  # noqa: E731
    reasons_pool = ["loneliness", "debt", "housing", "mental-wellbeing", "benefits"]
    referrals = pd.DataFrame({
        "referral_id": np.arange(1, n + 1), "person_id": rng.integers(1, int(n * 0.9), n),
        "created_at": created,
        "source": rng.choice(["gp", "hospital", "council", "vcs", "self"], n),
        "status": status,
        "reasons": [[reasons_pool[i % 5]] if i % 3 else reasons_pool[i % 5:i % 5 + 2]
                    for i in range(n)],
        "team_id": team, "team_name": teams["name"].to_numpy()[team - 1],
        "team_kind": teams["kind"].to_numpy()[team - 1],
        "practice": np.where(rng.random(n) < 0.9,
                             pd.Series(rng.integers(0, 300, n)).map("G8{:04d}".format), None),
        "sex": rng.choice(["female", "male"], n),
        "birth_date": pd.Timestamp("1940-01-01") + pd.to_timedelta(
            rng.integers(0, 80 * 365, n), unit="D"),
        "ethnicity": rng.choice(["White British", "Black African", "Indian", ""], n),
        "lsoa11cd": lsoa["lsoa11cd"].to_numpy()[lsoa_index],
        "lad_code": lsoa["lad_code"].to_numpy()[lsoa_index],
        "imd_decile": pd.array(lsoa["imd_decile"].to_numpy()[lsoa_index], dtype="Int64"),
        "episode_id": np.where(accepted, np.arange(1, n + 1), np.nan),
        "opened_at": created.where(accepted) + hours(48),
        "link_worker_id": np.where(accepted, rng.integers(1, 400, n), np.nan),
        "closed_at": (created + hours(24 * 60)).where(closure != ""),
        "closure_reason": np.where(closure == "", None, closure),
        "first_contact_at": (created + hours(contact)).where(accepted & (contact >= 0)),
        "first_goal_at": (created + hours(24 * 7)).where(accepted & (rng.random(n) < 0.6)),
        "onward_referrals": np.where(accepted, rng.integers(0, 3, n), 0),
        "decline_reason": np.where(status == "rejected", "other", None),
        "first_appointment_at": (created + hours(contact + 24 * 7)).where(
            accepted & (contact >= 0)),
        "attended": np.where(accepted, rng.integers(0, 4, n), 0),
        "did_not_attend": np.where(accepted, rng.integers(0, 2, n), 0),
    })
    m = n
    onward_of = rng.choice(referrals["referral_id"].to_numpy()[accepted], m)
    sent = pd.Timestamp("2024-08-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 700 * 24, m), unit="h")
    onward = pd.DataFrame({
        "referral_id": onward_of,
        "service": pd.Series(rng.integers(0, 200, m)).map("Service {}".format),
        "provider": pd.Series(rng.integers(0, 60, m)).map("Provider {}".format),
        "status": rng.choice(["requested", "accepted", "completed", "rejected"], m),
        "sent_at": sent, "responded_at": sent + hours(rng.integers(1, 400, m))})
    needs = pd.DataFrame({"referral_id": rng.choice(onward_of, m),
                          "domain": rng.choice(reasons_pool, m),
                          "score": rng.integers(1, 6, m)})
    return domain.Frames(referrals=referrals, onward=onward, needs=needs, teams=teams,
                         lsoa=lsoa, borough_names={b: f"Borough {i}" for i, b in
                                                   enumerate(boroughs)})


def _timed(frames: domain.Frames, filters: list[domain.Filters],
           audience: str) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each view computed afresh: the waiting list and
    caseloads kept by earlier views (``domain._today``) are forgotten first, except those of
    the first view, which the refresh computed."""
    kept = dict(frames.today)
    wall, cpu = [], []
    for i in range(RUNS):
        frames.today.clear()
        frames.today.update(kept)
        started, started_cpu = time.perf_counter(), time.process_time()
        domain.build(frames, filters[i % len(filters)], audience, NOW)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _report(label: str, wall: list[float], cpu: list[float], target: float) -> None:
    p95 = float(np.percentile(wall, 95))
    print(f"  {label:<24} p50 {np.percentile(wall, 50):6.0f} ms, p95 {p95:6.0f} ms "
          f"(target <= {target} ms) {'ok' if p95 <= target else 'OVER'}; CPU p50 "
          f"{np.percentile(cpu, 50):4.0f} ms, p95 {np.percentile(cpu, 95):4.0f} ms; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)


# The views timed before ADR 0020 (kept, so the figures compare), then periods alone and
# more of the combinations the page allows.
FILTERED = [domain.Filters(pcn=7), domain.Filters(borough="E09000005"),
            domain.Filters(practice="G80042"), domain.Filters(source="self"),
            domain.Filters(date_from=date(2025, 4, 1), date_to=date(2026, 3, 31), team=12)]
PERIODS = [domain.Filters(date_from=date(2025, 4, 1), date_to=date(2026, 3, 31)),
           domain.Filters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31)),
           domain.Filters(date_from=date(2025, 11, 1), date_to=date(2025, 11, 30)),
           domain.Filters(date_from=date(2026, 4, 1))]
COMBINATIONS = [domain.Filters(pcn=3, date_from=date(2025, 4, 1), date_to=date(2026, 3, 31)),
                domain.Filters(borough="E09000011", source="gp"),
                domain.Filters(practice="G80007", source="hospital",
                               date_from=date(2025, 1, 1)),
                domain.Filters(team=38, borough="E09000020", date_to=date(2025, 6, 30))]


def main() -> None:
    start = time.perf_counter()
    frames = _frames(REFERRALS)
    frames = domain.prepare(frames)
    print(f"insights dashboard: {REFERRALS:,} referrals, {len(frames.onward):,} onward "
          f"referrals, {len(frames.needs):,} needs; frames built and prepared in "
          f"{time.perf_counter() - start:.1f} s (not timed below); {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    start = time.perf_counter()
    queries.precompute(frames, NOW)
    print(f"  refresh: first view precomputed for {len(queries.PRECOMPUTED)} audiences in "
          f"{time.perf_counter() - start:.1f} s (after a change of the data; not timed below)")
    first, first_cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        queries.served(frames, domain.Filters(), "commissioner", NOW)
        first.append((time.perf_counter() - started) * 1000)
        first_cpu.append((time.process_time() - started_cpu) * 1000)
    _report("first view", first, first_cpu, FIRST_TARGET_MS)
    _report("filtered views", *_timed(frames, FILTERED, "commissioner"), FILTERED_TARGET_MS)
    _report("periods alone", *_timed(frames, PERIODS, "commissioner"), FILTERED_TARGET_MS)
    _report("more combinations", *_timed(frames, COMBINATIONS, "commissioner"),
            FILTERED_TARGET_MS)
    _report("filtered, evaluator", *_timed(frames, FILTERED + PERIODS, "evaluator"),
            FILTERED_TARGET_MS)


if __name__ == "__main__":
    main()
