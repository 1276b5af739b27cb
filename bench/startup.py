"""Cold start: seconds from starting ``linkwell serve`` to the first 200 on ``/healthz``.

Serves a freshly migrated scratch SQLite database (the start-up checks run as in production)
BENCH_STARTS times (default 5) and prints each time, the median and the worst, with the CPU
seconds the server process had used by then (the wall time on a machine shared with other
work is that CPU time stretched by the load), then the modules that cost most to import in a
fresh interpreter (``python -X importtime``), which is where a slow start comes from.
Target: <= 3 s.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from linkwell.migrate import upgrade

STARTS = int(os.environ.get("BENCH_STARTS", "5"))
TARGET_SECONDS = 3.0
LINKWELL = str(Path(sys.executable).with_name("linkwell"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_first_answer(env: dict[str, str], timeout: float = 60) -> tuple[float, float]:
    """(seconds from Popen to the first 200 on /healthz, CPU seconds the server used by
    then); the server is then stopped."""
    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen([LINKWELL, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(timeout=1) as client:
            while time.perf_counter() - started < timeout:
                try:
                    if client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                        return time.perf_counter() - started, _cpu_seconds(server.pid)
                except httpx.TransportError:
                    if server.poll() is not None:
                        raise RuntimeError("linkwell serve exited") from None
                time.sleep(0.01)
        raise RuntimeError(f"no answer in {timeout} s")
    finally:
        server.terminate()
        server.wait(timeout=10)


def heaviest_imports(env: dict[str, str], count: int = 8) -> list[tuple[float, str]]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c",
                           "import linkwell.cli, linkwell.web.asgi"],
                          env=env, capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit():
                rows.append((int(cumulative) / 1e6, name.rstrip()))
    top = [row for row in rows if row[1].startswith("  ")
           and not row[1].startswith("   ")] or rows  # the direct imports of each statement
    return sorted(top, reverse=True)[:count]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="linkwell-startup-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'linkwell.db'}"
        upgrade(url)
        env = {**os.environ, "LINKWELL_DATABASE_URL": url}
        runs = [time_to_first_answer(env) for _ in range(STARTS)]
        times, cpu = [wall for wall, _ in runs], [used for _, used in runs]
        print("starts (s):", " ".join(f"{t:.2f}" for t in times))
        print(f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
              f"(target <= {TARGET_SECONDS:.0f} s: "
              f"{'met' if max(times) <= TARGET_SECONDS else 'NOT met'})")
        print(f"server CPU to first answer: median {statistics.median(cpu):.2f} s, "
              f"worst {max(cpu):.2f} s; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores")
        print("heaviest imports (cumulative s):")
        for seconds, name in heaviest_imports(env):
            print(f"  {seconds:6.2f}  {name.strip()}")


if __name__ == "__main__":
    main()
