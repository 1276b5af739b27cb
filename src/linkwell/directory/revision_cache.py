"""What a serving process keeps of the directory between requests, until it changes.

Parts of the directory are costly to read for every request yet change only when it is
re-indexed (every import goes through ``reindex_services``, which bumps
``directory_revision``). Each process keeps them per database in one dictionary tagged with
the revision it was filled at, and starts a new one when a request reads a newer revision.
The revision is read before anything is loaded, so nothing kept is older than its tag.
Users: ``point_index`` (the points near a postcode), ``listing_cache`` (encoded
``service_list`` items), the typo vocabulary and each chosen need's narrower terms
(``search``).
"""

import weakref

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from linkwell.directory.search_index import current_revision

_kept: "weakref.WeakKeyDictionary[Engine, tuple[int | None, dict]]" = weakref.WeakKeyDictionary()


def kept(session: Session) -> dict:
    """This process's store for the session's database at its current revision."""
    engine = session.get_bind()
    revision = current_revision(session)
    found = _kept.get(engine)
    if found is None or found[0] != revision:
        found = _kept[engine] = (revision, {})
    return found[1]
