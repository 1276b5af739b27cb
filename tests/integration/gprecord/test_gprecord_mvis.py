"""The MVIS extract: counts by month, practice and PCN match counts made independently from
the cohort's facts, and small numbers are suppressed as the evaluation suppresses them."""

import csv
from collections import defaultdict
from datetime import UTC, datetime

from conftest import invoke_cli
from gprecord_factories import insert_mvis_cohort
from linkwell.evaluation.disclosure import CONFIDENTIAL, SUPPRESSED
from linkwell.gprecord import domain, queries

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)


def _expected(facts) -> dict[tuple, int]:
    people = defaultdict(set)

    def add(at, fact, measure, category):
        if at is not None and START <= at < END:
            ods, _name, pcn = fact["practice"] or ("unknown", None, "unknown")
            people[(at.strftime("%Y-%m"), ods, pcn, measure, category)].add(fact["person"])

    for fact in facts:
        add(fact["created"], fact, "referred", fact["source"])
        add(fact["declined_at"], fact, "declined", "rejected")
        for need, score in fact["needs"].items():
            if score >= 2:
                add(fact["assessed"], fact, "need", need)
        if fact["onward"]:
            add(fact["onward"][0], fact, "support_offered", fact["onward"][1])
        add(fact["closed"], fact, "outcome", fact["outcome"])
    return {key: len(who) for key, who in people.items()}


def test_mvis_counts_match_independent_counts(engine):
    with engine.begin() as connection:
        facts = insert_mvis_cohort(connection, people=400, seed=7, start=START, days=90)
    from linkwell.db import make_sessionmaker

    with make_sessionmaker(engine)() as session:
        counts = queries.mvis_counts(session, START, END)
    assert {c[:5]: c[5] for c in counts} == _expected(facts)


def test_mvis_rows_suppress_small_numbers_for_commissioners(engine):
    with engine.begin() as connection:
        insert_mvis_cohort(connection, people=400, seed=7, start=START, days=90)
    from linkwell.db import make_sessionmaker

    with make_sessionmaker(engine)() as session:
        counts = queries.mvis_counts(session, START, END)
    raw = {c[:5]: c[5] for c in counts}
    rows = domain.mvis_rows(counts)
    shown = [r for r in rows if r["category"] != "Total"]
    assert any(r["people"] == SUPPRESSED for r in shown)
    for row in shown:
        key = (row["month"], row["practice_ods"], row["pcn_code"], row["measure"],
               row["category"])
        if isinstance(row["people"], int):
            assert row["people"] >= 10 and row["people"] == raw.get(key, 0)
        else:
            assert row["people"] in (SUPPRESSED, CONFIDENTIAL)
    # Never exactly one hidden cell in a row with its total (no recovery by subtraction).
    by_line = defaultdict(list)
    for row in rows:
        by_line[(row["month"], row["practice_ods"], row["measure"])].append(row["people"])
    for values in by_line.values():
        assert sum(isinstance(v, str) for v in values) != 1


def test_report_mvis_writes_the_csv(engine, database_url, monkeypatch, tmp_path):
    with engine.begin() as connection:
        insert_mvis_cohort(connection, people=200, seed=3, start=START, days=90)
    result = invoke_cli(monkeypatch, "report", "mvis", "--from", "2026-01-01", "--to",
                        "2026-03-31", "--csv", str(tmp_path / "m.csv"), database_url=database_url)
    assert result.exit_code == 0, result.output
    with (tmp_path / "m.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == domain.MVIS_COLUMNS
    assert {r["measure"] for r in rows} == {"referred", "need", "support_offered", "outcome",
                                           "declined"}
    assert {r["month"] for r in rows} == {"2026-01", "2026-02", "2026-03"}


def test_mvis_page_for_commissioners_matches_the_extract(client, app, login, engine):
    with engine.begin() as connection:
        insert_mvis_cohort(connection, people=300, seed=5, start=START, days=90)
    login("commissioner")
    page = client.get("/mvis?from=2026-01-01&to=2026-03-31")
    assert page.status_code == 200
    assert "&lt;10" in page.text
    download = client.get("/mvis?from=2026-01-01&to=2026-03-31&format=csv")
    assert download.headers["content-type"].startswith("text/csv")
    from linkwell.db import make_sessionmaker

    with make_sessionmaker(engine)() as session:
        expected = domain.mvis_rows(queries.mvis_counts(session, START, END))
    assert list(csv.DictReader(download.text.splitlines())) == [
        {k: str(v) for k, v in row.items()} for row in expected]


def test_mvis_page_refuses_a_bad_date_and_other_roles(client, login):
    login("commissioner")
    page = client.get("/mvis?from=2026-13-01&to=2026-03-31")
    assert page.status_code == 422 and "Enter a date as YYYY-MM-DD" in page.text
    assert client.get("/mvis?from=2026-03-01&to=2026-01-31").status_code == 422


def test_mvis_page_is_not_for_link_workers(client, login):
    login("link_worker")
    assert client.get("/mvis").status_code in (403, 404)
