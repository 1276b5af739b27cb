"""Full evaluation of 1,000,000 people and about 3,000,000 measurements, without PSM.

Targets (issue 5): <= 60 s and <= 4 GB peak RSS on 2 cores. Synthetic files are written first
(not timed); ``linkwell evaluate`` then runs in a child process, so its peak RSS is its own.
Run: ``python -m bench evaluation_full`` (EVALUATION_BENCH_PEOPLE overrides the size).
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEOPLE = int(os.environ.get("EVALUATION_BENCH_PEOPLE", "1000000"))
COMPARISON = PEOPLE // 10
TARGET_SECONDS, TARGET_GB = 60, 4


def main() -> None:
    from linkwell.evaluation.inputs import load_lsoa
    from linkwell.evaluation.simulate import simulate, write_files
    from linkwell.settings import get_settings

    lsoa = get_settings().geo_data_path / "lsoa2011.csv"
    if not lsoa.is_file():
        print(f"skipped: no LSOA reference data at {lsoa}")
        return
    with tempfile.TemporaryDirectory(prefix="linkwell-eval-bench-") as tmp:
        start = time.perf_counter()
        data = simulate(load_lsoa(lsoa), PEOPLE, comparison=COMPARISON)
        files = write_files(data, tmp)
        rows = len(data.measurements)
        del data
        print(f"simulated {PEOPLE:,} people, {rows:,} measurements, {COMPARISON:,} comparison "
              f"people in {time.perf_counter() - start:.1f} s (not timed)")
        command = [str(Path(sys.executable).parent / "linkwell"), "evaluate",
                   "--people", files["people"], "--measurements", files["measurements"],
                   "--comparison", files["comparison"], "--funding", files["funding"],
                   "--services", files["services"], "--capacity", files["capacity"],
                   "--lsoa", str(lsoa), "--json", str(Path(tmp) / "out.json"),
                   "--audience", "commissioner", "--no-psm"]
        start = time.perf_counter()
        child = subprocess.run(command, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_gb = usage.ru_maxrss / 1024 / 1024
        cpu = usage.ru_utime + usage.ru_stime
        if child.returncode != 0:
            print(child.stdout, child.stderr)
            raise SystemExit("evaluation failed")
        for line in child.stdout.splitlines():
            if line.startswith("Seconds:"):
                for part in line.removeprefix("Seconds: ").split(", "):
                    name, seconds = part.rsplit(" ", 1)
                    print(f"  {name:<12} {float(seconds):6.1f} s")
        load = os.getloadavg()[0]
        print(f"total {elapsed:.1f} s wall (target <= {TARGET_SECONDS} s), {cpu:.1f} s CPU, "
              f"peak RSS {peak_gb:.2f} GB (target <= {TARGET_GB} GB), {os.cpu_count()} cores, "
              f"load average {load:.1f} (wall time is only meaningful on an idle machine)")
