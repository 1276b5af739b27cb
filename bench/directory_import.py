"""Directory import: a 50,000-service HSDS feed into a fresh SQLite database.

The feed is made by the demo generator over a synthetic geography (33 boroughs), exported as a
CSV datapackage and as a JSON array of compiled services, then each form is imported into a
new database in a fresh process, whose elapsed time and peak RSS are printed. Target: 50,000
services in at most 60 s with bounded memory.

Environment: ``LINKWELL_BENCH_SERVICES`` (default 50000), ``LINKWELL_BENCH_FORMATS``
(default ``csv,json``).
"""

import multiprocessing
import os
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from linkwell.db import make_engine, make_sessionmaker, transaction
from linkwell.geo.models import Lsoa, Postcode
from linkwell.migrate import upgrade


def _synthetic_geography() -> tuple[list[Lsoa], list[Postcode]]:
    lsoas, postcodes = [], []
    for b in range(33):
        lad_code, lad_name = f"E09{b:06d}", f"Borough {b + 1}"
        for i in range(20):
            code = f"E01{b:03d}{i:03d}"
            lat, lon = 51.3 + (b // 6) * 0.08 + i * 0.003, -0.45 + (b % 6) * 0.12 + i * 0.003
            lsoas.append(Lsoa(lsoa11cd=code, name=f"{lad_name} {i:03d}A", lad_code=lad_code,
                              lad_name=lad_name, centroid_lat=lat, centroid_lon=lon))
            postcodes.extend(Postcode(postcode=f"Z{b:02d} {i:02d}{chr(65 + k)}", lat=lat,
                                      lon=lon + k * 0.001, lsoa11cd=code, lad_code=lad_code)
                             for k in range(5))
    return lsoas, postcodes


def _make_feed(folder: Path, services: int) -> None:
    from linkwell.directory.demo import create_directory
    from linkwell.directory.transfer import export_package, export_services_json

    url = f"sqlite:///{folder / 'source.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    lsoas, postcodes = _synthetic_geography()
    with transaction(factory) as session:
        session.add_all(lsoas + postcodes)
    with transaction(factory) as session:
        create_directory(session, services=services, seed=50, today=date(2026, 1, 1))
    with transaction(factory) as session:
        export_package(session, folder / "csv")
        export_services_json(session, folder / "services.json")
    engine.dispose()


def _import(url: str, source: str, kind: str, queue) -> None:
    """Runs in a fresh process, so that its peak RSS is the import's alone."""
    from linkwell.directory import transfer

    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction(factory) as session:
        if kind == "csv":
            report = transfer.import_package(session, Path(source))
        else:
            report = transfer.import_services(session, transfer.iter_json_file(Path(source)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((elapsed, cpu, peak_kib, report.records_read, report.written["service"]))
    engine.dispose()


def main() -> None:
    services = int(os.environ.get("LINKWELL_BENCH_SERVICES", "50000"))
    formats = os.environ.get("LINKWELL_BENCH_FORMATS", "csv,json").split(",")
    with tempfile.TemporaryDirectory(prefix="linkwell-bench-") as tmp:
        folder = Path(tmp)
        context = multiprocessing.get_context("spawn")
        # Each stage runs in its own process: a child starts with its parent's peak RSS
        # (it survives fork and exec), so the parent must stay small for the figures to hold.
        started = time.perf_counter()
        maker = context.Process(target=_make_feed, args=(folder, services))
        maker.start()
        maker.join()
        print(f"feed of {services} services made in {time.perf_counter() - started:.1f} s "
              f"(JSON {(folder / 'services.json').stat().st_size / 1e6:.0f} MB)")
        for kind in formats:
            url = f"sqlite:///{folder / f'target-{kind}.db'}"
            upgrade(url)
            source = folder / ("csv" if kind == "csv" else "services.json")
            queue = context.Queue()
            process = context.Process(target=_import, args=(url, str(source), kind, queue))
            process.start()
            elapsed, cpu, peak_kib, records, written = queue.get()
            process.join()
            # CPU time is printed too: on a busy machine it is the steadier figure.
            print(f"import {kind:4}: {written} services ({records} records) in {elapsed:.1f} s "
                  f"(CPU {cpu:.1f} s), {written / elapsed:.0f} services/s, "
                  f"peak RSS {peak_kib / 1024:.0f} MiB")
