"""Messages back to GPs: build and send 1,000 through NHS England's local MESH sandbox.

Makes a scratch SQLite database with 1,000 closed episodes whose people are registered with
practices on the sandbox's mailbox X26ABC2, queues one message each, and times
``commands.send_outbox`` (read the record, build the FHIR Bundle with its PDF, send over
MESH, record the outcome; one claim and one result transaction per message). The sandbox runs
as a separate process from ``.venv-mesh-sandbox`` (AUTH_MODE=full). Target: <= 60 s.
Then reads the recipient's inbox to prove exactly 1,000 arrived.
"""

import os
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from tests.gprecord_factories import VALID_NHS, insert_mvis_cohort
from tests.mesh_sandbox_server import start

from linkwell.db import make_engine, make_sessionmaker
from linkwell.gprecord import commands
from linkwell.gprecord.mesh import Mesh
from linkwell.gprecord.models import GpMessage, GpPractice, GpRegistration
from linkwell.migrate import upgrade
from linkwell.referrals.models import Episode, Person
from linkwell.settings import Settings

MESSAGES = int(os.environ.get("BENCH_GP_MESSAGES", "1000"))
TARGET_SECONDS = 60


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="linkwell-bench-gp-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        insert_mvis_cohort(connection, people=MESSAGES * 3, seed=11,
                           start=datetime(2026, 1, 1, tzinfo=UTC), days=60)
        connection.execute(update(Person).values(nhs_number=VALID_NHS))
        connection.execute(update(GpPractice).values(mesh_mailbox="X26ABC2"))
        chosen = connection.execute(
            select(Episode.person_id, Episode.referral_id, Episode.id,
                   GpRegistration.practice_ods)
            .join(GpRegistration, GpRegistration.person_id == Episode.person_id)
            .where(Episode.closed_at.is_not(None)).order_by(Episode.id).limit(MESSAGES)).all()
        connection.execute(insert(GpMessage.__table__), [
            {"local_id": str(uuid.uuid4()), "kind": "closure", "person_id": person,
             "referral_id": referral, "episode_id": episode, "practice_ods": ods,
             "mailbox": "X26ABC2", "status": "queued", "attempts": 0,
             "next_attempt_at": now, "created_at": now} for person, referral, episode, ods
            in chosen])
    process, sandbox = start()
    try:
        mesh = Mesh(Settings(database_url=url, mesh_url=sandbox.url, mesh_mailbox="X26ABC1"))
        began = time.perf_counter()
        report = commands.send_outbox(make_sessionmaker(engine), mesh)
        seconds = time.perf_counter() - began
        mesh.close()
        received = len(sandbox.take_inbox("X26ABC2"))
        with engine.connect() as connection:
            alerts = connection.execute(select(GpMessage.alert).where(
                GpMessage.status != "sent")).scalars().all()
    finally:
        process.terminate()
        process.wait(timeout=10)
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    verdict = "meets" if seconds <= TARGET_SECONDS and received == len(chosen) else "MISSES"
    print(f"built and sent {report.sent} of {len(chosen)} messages in {seconds:.1f} s "
          f"({report.sent / seconds:.0f}/s); {received} in the practice's inbox; "
          f"target <= {TARGET_SECONDS} s: {verdict}")
    if alerts:
        print(f"{report.retried} left queued for a retry: {sorted(set(alerts))}")


if __name__ == "__main__":
    main()
