"""Full evaluation of 1,000,000 people and about 3,000,000 measurements, without PSM.

Targets (issue 5): <= 60 s and <= 4 GB peak RSS on 2 cores. Two runs, each in a child
process so that its peak RSS is its own:

1. database mode, as the issue asks: ``linkwell demo-data --people N --with-outcomes`` fills
   a scratch SQLite database (not timed; about 7 minutes for a million), then
   ``linkwell evaluate --db`` is timed. EVALUATION_BENCH_DB names a database to build once
   and reuse on later runs.
2. file mode: the same simulation written as CSV files, then ``linkwell evaluate --people ...``.

Run: ``python -m bench evaluation_full`` (EVALUATION_BENCH_PEOPLE overrides the size).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEOPLE = int(os.environ.get("EVALUATION_BENCH_PEOPLE", "1000000"))
COMPARISON = PEOPLE // 10
TARGET_SECONDS, TARGET_GB = 60, 4
LINKWELL = str(Path(sys.executable).parent / "linkwell")


def _timed(command: list[str], env: dict | None = None) -> None:
    """Run one evaluation in a child process; print its per-analysis and total figures.
    ``os.wait4`` gives that child's own CPU time and peak RSS."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        print(stdout, stderr)
        raise SystemExit("evaluation failed")
    for line in stdout.splitlines():
        if line.startswith("Seconds:"):
            for part in line.removeprefix("Seconds: ").split(", "):
                name, seconds = part.rsplit(" ", 1)
                print(f"  {name:<12} {float(seconds):6.1f} s")
    print(f"  total {elapsed:.1f} s wall (target <= {TARGET_SECONDS} s), "
          f"{usage.ru_utime + usage.ru_stime:.1f} s CPU, peak RSS "
          f"{usage.ru_maxrss / 1024 / 1024:.2f} GB (target <= {TARGET_GB} GB), "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (wall time is only "
          "meaningful on an idle machine)")


def _database(lsoa_dir: Path, path: Path) -> str:
    """A SQLite database with the demo data and PEOPLE simulated people with outcomes."""
    url = f"sqlite:///{path}"
    env = dict(os.environ, LINKWELL_DATABASE_URL=url)
    if path.exists():
        print(f"reusing {path}")
        subprocess.run([LINKWELL, "db", "upgrade"], env=env, check=True, capture_output=True)
        return url
    start = time.perf_counter()
    for command in (["db", "upgrade"], ["geo", "load", str(lsoa_dir)],
                    ["demo-data", "--people", str(PEOPLE), "--with-outcomes"]):
        subprocess.run([LINKWELL, *command], env=env, check=True, capture_output=True)
    print(f"demo-data --people {PEOPLE:,} --with-outcomes built {path} in "
          f"{time.perf_counter() - start:.0f} s (not timed)")
    return url


def main() -> None:
    from linkwell.evaluation.inputs import load_lsoa
    from linkwell.evaluation.simulate import simulate, write_files
    from linkwell.settings import get_settings

    geo = get_settings().geo_data_path
    lsoa = geo / "lsoa2011.csv"
    if not lsoa.is_file():
        print(f"skipped: no LSOA reference data at {lsoa}")
        return
    with tempfile.TemporaryDirectory(prefix="linkwell-eval-bench-") as tmp:
        db_path = Path(os.environ.get("EVALUATION_BENCH_DB", Path(tmp) / "evaluation.db"))
        url = _database(geo, db_path)
        print(f"database mode: linkwell evaluate --db ({PEOPLE:,} people)")
        _timed([LINKWELL, "evaluate", "--db", "--json", str(Path(tmp) / "db.json"),
                "--audience", "commissioner", "--no-psm"],
               env=dict(os.environ, LINKWELL_DATABASE_URL=url))

        start = time.perf_counter()
        data = simulate(load_lsoa(lsoa), PEOPLE, comparison=COMPARISON)
        files = write_files(data, tmp)
        rows = len(data.measurements)
        del data
        print(f"file mode: simulated {PEOPLE:,} people, {rows:,} measurements, "
              f"{COMPARISON:,} comparison people in {time.perf_counter() - start:.1f} s "
              "(not timed)")
        _timed([LINKWELL, "evaluate",
                "--people", files["people"], "--measurements", files["measurements"],
                "--comparison", files["comparison"], "--funding", files["funding"],
                "--services", files["services"], "--capacity", files["capacity"],
                "--lsoa", str(lsoa), "--json", str(Path(tmp) / "out.json"),
                "--audience", "commissioner", "--no-psm"])
