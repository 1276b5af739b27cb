"""Kept service list items: read once per directory revision, never served after a change."""

import json

import pytest
from sqlalchemy import delete, update

from linkwell.directory import queries
from linkwell.directory.listing_cache import service_list_items
from linkwell.directory.models import Service
from linkwell.directory.search_index import DirectoryRevision, current_revision, reindex_services
from search_fixtures import BEFRIEND, CITIZENS, add_all


@pytest.fixture
def directory(session):
    with session.begin():
        add_all(session)
    return session


@pytest.fixture
def reads(monkeypatch) -> list[list[str]]:
    """The ids each call to the store asked for."""
    calls: list[list[str]] = []
    real = queries.service_list_json

    def counting(session, service_ids):
        calls.append(list(service_ids))
        return real(session, service_ids)

    monkeypatch.setattr(queries, "service_list_json", counting)
    return calls


def rename_and_reindex(session) -> None:
    session.execute(update(Service).where(Service.id == BEFRIEND).values(name="Renamed"))
    reindex_services(session, [BEFRIEND])
    session.commit()


def test_items_are_the_store_items_encoded(directory):
    items = service_list_items(directory, [BEFRIEND, CITIZENS, "no-such-id"])
    assert set(items) == {BEFRIEND, CITIZENS}
    expected = queries.service_list_json(directory, [BEFRIEND])[0]
    assert json.loads(items[BEFRIEND]) == expected


def test_the_store_is_read_once_per_revision(directory, reads):
    service_list_items(directory, [BEFRIEND])
    service_list_items(directory, [BEFRIEND, CITIZENS])
    service_list_items(directory, [CITIZENS, BEFRIEND])
    assert reads == [[BEFRIEND], [CITIZENS]]


def test_a_reindex_makes_every_kept_item_old(directory, reads):
    before = current_revision(directory)
    assert json.loads(service_list_items(directory, [BEFRIEND])[BEFRIEND])["name"] != "Renamed"
    rename_and_reindex(directory)
    assert current_revision(directory) == before + 1
    assert json.loads(service_list_items(directory, [BEFRIEND])[BEFRIEND])["name"] == "Renamed"
    assert reads == [[BEFRIEND], [BEFRIEND]]


def test_the_revision_row_is_made_again_if_the_table_was_emptied(directory):
    directory.execute(delete(DirectoryRevision))
    directory.commit()
    service_list_items(directory, [BEFRIEND])
    assert current_revision(directory) is None
    rename_and_reindex(directory)
    assert current_revision(directory) == 1
    assert json.loads(service_list_items(directory, [BEFRIEND])[BEFRIEND])["name"] == "Renamed"


def test_a_full_cache_starts_afresh_and_still_answers(directory, reads):
    def items(ids):
        return set(service_list_items(directory, ids, max_items=1))

    assert items([BEFRIEND]) == {BEFRIEND}
    assert items([CITIZENS]) == {CITIZENS}
    assert items([BEFRIEND, CITIZENS]) == {BEFRIEND, CITIZENS}
    assert reads == [[BEFRIEND], [CITIZENS], [BEFRIEND, CITIZENS]]
