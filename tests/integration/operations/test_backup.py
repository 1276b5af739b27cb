"""Backups taken while clients write, restored into another database, on both engines."""

import sqlite3
import threading
import time

import pytest
from sqlalchemy import select

from conftest import make_user
from linkwell.db import make_engine, transaction
from linkwell.operations.backup import BackupError, backup, backup_engine, restore
from linkwell.operations.checksum import checksums, overall
from linkwell.referrals import commands
from linkwell.referrals.models import Referral
from referrals_factories import referral_request

WRITERS = 4


def _write_until(stop: threading.Event, factory, user, acknowledged: list, errors: list,
                 writer: int) -> None:
    """Submit referrals until told to stop; note each with the time its commit returned."""
    n = 0
    while not stop.is_set():
        n += 1
        try:
            with transaction(factory) as session:
                referral, _ = commands.submit_referral(
                    session, by=user, idempotency_key=f"w{writer}-{n}",
                    request=referral_request(given_name=f"Writer{writer}", nhs_number=None,
                                             family_name=f"Number{n}"))
            acknowledged.append((time.monotonic(), referral.id))
        except Exception as exc:  # noqa: BLE001 - reported by the test, not swallowed
            errors.append(repr(exc))
            return


def _referral_ids(url: str) -> set[int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(select(Referral.id)))
    finally:
        engine.dispose()


def test_backup_under_load_holds_every_referral_acknowledged_before_it(
        database_url, other_database_url, session_factory, tmp_path):
    with session_factory() as session:
        user = make_user(session, "referrer")
    stop, acknowledged, errors = threading.Event(), [], []
    threads = [threading.Thread(target=_write_until,
                                args=(stop, session_factory, user, acknowledged, errors, w))
               for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        while len(acknowledged) < 40 and not errors:
            time.sleep(0.02)
        began = time.monotonic()
        backup(database_url, tmp_path / "linkwell.backup")
        ended = time.monotonic()
        while len([t for t, _ in acknowledged if t > ended]) < 10 and not errors:
            time.sleep(0.02)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors

    restore(other_database_url, tmp_path / "linkwell.backup")

    before = {rid for t, rid in acknowledged if t < began}
    restored = _referral_ids(other_database_url)
    assert before <= restored
    assert len(restored) < len(acknowledged)  # writes after the backup ended are not in it
    if database_url.startswith("sqlite"):
        path = other_database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restored_copy_has_identical_row_counts_and_checksums(
        database_url, other_database_url, session_factory, tmp_path):
    with session_factory() as session:
        user = make_user(session, "referrer")
        for n in range(5):
            with session.begin():
                commands.submit_referral(session, by=user, request=referral_request(
                    family_name=f"Number{n}"))
    backup(database_url, tmp_path / "copy.backup")
    restore(other_database_url, tmp_path / "copy.backup")

    source, copy = make_engine(database_url), make_engine(other_database_url)
    try:
        original, restored = checksums(source), checksums(copy)
    finally:
        source.dispose()
        copy.dispose()
    assert restored == original
    assert overall(restored) == overall(original)
    assert sum(t.rows for t in original if t.table == "referral") == 5


def test_restore_over_data_is_refused_without_force(database_url, session_factory, tmp_path):
    with session_factory() as session:
        make_user(session, "admin")
    backup(database_url, tmp_path / "one.backup")
    with session_factory() as session:
        make_user(session, "referrer")

    with pytest.raises(BackupError, match="--force"):
        restore(database_url, tmp_path / "one.backup")
    restore(database_url, tmp_path / "one.backup", force=True)

    engine = make_engine(database_url)
    try:
        users = next(t for t in checksums(engine) if t.table == "users")
    finally:
        engine.dispose()
    assert users.rows == 1


def test_a_backup_of_the_other_engine_is_refused(database_url, tmp_path):
    backup(database_url, tmp_path / "mine.backup")
    engine = backup_engine(tmp_path / "mine.backup")
    other = ("postgresql+psycopg://postgres@127.0.0.1:5432/none" if engine == "sqlite"
             else f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(BackupError, match="backup; the configured database is"):
        restore(other, tmp_path / "mine.backup")


def test_backup_engine_names_neither_for_another_file(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(BackupError, match="not a Linkwell backup"):
        backup_engine(tmp_path / "notes.txt")
