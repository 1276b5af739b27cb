"""Service list items as encoded JSON, kept by each serving process until the directory changes.

Reading a page of services, building their HSDS ``service_list`` items and encoding them cost
as much as the search that chose them, yet the items only change when the directory is
re-indexed; so they are kept (see ``kept``) and read again only after a re-index.
"""

import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

from linkwell.directory import queries
from linkwell.directory.revision_cache import kept

# About 1 KB each: a few tens of megabytes at most per process.
MAX_ITEMS = 20_000


def encode(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def service_list_items(session: Session, service_ids: Sequence[str], *,
                       max_items: int = MAX_ITEMS) -> dict[str, str]:
    """The encoded ``service_list`` item of each known id (unknown ids are left out)."""
    directory = kept(session)
    items = directory.setdefault("service_list", {})
    missing = [i for i in service_ids if i not in items]
    if len(items) + len(missing) > max_items:
        # A new dictionary rather than clear(): other threads may be reading the old one.
        items = directory["service_list"] = {}
        missing = list(service_ids)
    if missing:
        for item in queries.service_list_json(session, missing):
            items[item["id"]] = encode(item)
    return {i: items[i] for i in service_ids if i in items}
