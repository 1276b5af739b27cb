"""Service list items as encoded JSON, kept by each serving process until the directory changes.

Reading a page of services, building their HSDS ``service_list`` items and encoding them cost
as much as the search that chose them, yet the items only change when the directory is
re-indexed (every import goes through ``reindex_services``, which bumps
``directory_revision``). So a process keeps the encoded items of the revision it last read,
and starts afresh when a request reads a newer one. The revision is read before any item is
loaded, so an item is never older than the revision it is kept under.
"""

import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

from linkwell.directory import store
from linkwell.directory.search_index import current_revision

# About 1 KB each: a few tens of megabytes at most per process.
MAX_ITEMS = 20_000


def encode(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


class ServiceListCache:
    def __init__(self, max_items: int = MAX_ITEMS):
        self.max_items = max_items
        # (revision, {service id: encoded item}), replaced as a whole so that threads serving
        # requests at once each see one consistent pair.
        self._kept: tuple[int | None, dict[str, str]] = (None, {})

    def items(self, session: Session, service_ids: Sequence[str]) -> dict[str, str]:
        """The encoded ``service_list`` item of each known id (unknown ids are left out)."""
        revision = current_revision(session)
        kept_revision, items = self._kept
        missing = [i for i in service_ids if i not in items]
        if kept_revision != revision or len(items) + len(missing) > self.max_items:
            items = {}
            self._kept = (revision, items)
            missing = list(service_ids)
        if missing:
            for item in store.service_list_json(session, missing):
                items[item["id"]] = encode(item)
        return {i: items[i] for i in service_ids if i in items}
