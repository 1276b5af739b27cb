"""The command line's start: ``linkwell --help`` and one ``linkwell advice triage "…"``.

Each is run BENCH_CLI_RUNS times (default 5) as a fresh process, and the median and the worst
are printed as wall seconds and as the CPU seconds the process used (user + system, from the
kernel's account of the finished child). On a machine shared with other work the wall time
is the CPU time stretched by the load, so the CPU figure is the one to compare. The triage
skips the database (``--no-providers``), so it measures start-up, the classifier and triage.
Targets (issue #15): --help <= 0.3 s, advice triage <= 1 s.
"""

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_CLI_RUNS", "5"))
LINKWELL = str(Path(sys.executable).with_name("linkwell"))
TEXT = ("My landlord gave me a section 21 notice last week and says I must be out in two "
        "weeks; I am behind on rent because my universal credit was cut.")
CASES = {
    "linkwell --help": ([LINKWELL, "--help"], 0.3),
    "linkwell advice triage": ([LINKWELL, "advice", "triage", "--no-providers", TEXT], 1.0),
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one cold run, which must succeed."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    return time.perf_counter() - started, _children_cpu() - cpu_before


def main() -> None:
    print(f"{RUNS} cold runs each (python -m bench cli_startup); seconds")
    for name, (argv, target) in CASES.items():
        runs = [run_once(argv) for _ in range(RUNS)]
        walls = [w for w, _ in runs]
        cpus = [c for _, c in runs]
        print(f"{name:24} wall median {statistics.median(walls):.2f} worst {max(walls):.2f} | "
              f"CPU median {statistics.median(cpus):.2f} worst {max(cpus):.2f} "
              f"| target <= {target}")


if __name__ == "__main__":
    main()
