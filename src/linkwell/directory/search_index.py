"""The full-text search index over the directory, kept in the database itself.

``service_search`` holds one row per service with the words a person might search for (the
service's and organisation's names, the description and the names of its taxonomy terms) and
the few fields every search filters or ranks on. Engine-specific indexes sit on top of it and
are created by migration ``0004_directory_search`` only, because SQLAlchemy cannot describe
them (Alembic's comparison skips names containing ``fts``, see ``linkwell.migrate``):

- SQLite: ``service_fts``, an FTS5 external-content table over ``service_search`` with the
  ``porter`` stemmer, kept in step by triggers, and ``service_fts_vocab`` listing its terms;
- PostgreSQL: ``service_search.fts_document``, a generated ``tsvector`` (``english`` config,
  weighted A-D) with a GIN index.

``search_term`` is the indexed vocabulary (stemmed) that typo correction compares words with.

Importers call :func:`reindex_services` in the same transaction as their writes, so the index
never disagrees with the directory after a commit. Each call also bumps ``directory_revision``,
which tells serving processes that what they keep of the directory (``kept``) is old.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from linkwell.db import Base
from linkwell.directory.models import (
    UUID_LENGTH,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from linkwell.directory.search_query import FIELD_WEIGHTS
from linkwell.directory.stemming import stems

BATCH = 5_000
ACTIVE = "active"  # the HSDS service status that searches list
MAX_TERM = 72


class ServiceSearch(Base):
    """What the search engine indexes for a service (derived: rebuilt by ``reindex_services``)."""

    __tablename__ = "service_search"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(Text)
    organization_name: Mapped[str | None] = mapped_column(Text)
    taxonomy_terms: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), index=True)
    minimum_age: Mapped[float | None] = mapped_column(Float)
    maximum_age: Mapped[float | None] = mapped_column(Float)
    assured_date: Mapped[date | None] = mapped_column(Date)
    # Porter stems of each field as "n:stem" (name), "t:" (taxonomy terms), "o:" (organisation)
    # and "d:" (description): for relevance, and matching within a small set near a postcode.
    stems: Mapped[str | None] = mapped_column(Text)


LAT_BANDS_PER_DEGREE = 100  # bands about 1.1 km tall


class ServiceSearchPoint(Base):
    """Where a service can be found, indexed for "within N metres of a postcode".

    An index on (latitude, longitude) can only range over latitude, so a 2 km box would read a
    strip across the whole region. Latitude bands make it a few short longitude ranges. The
    rows are stored in that order (a clustered key: ``WITHOUT ROWID`` on SQLite) and carry the
    service's stems and taxonomy terms, so a search near a postcode reads a few runs of
    neighbouring rows, keeps those with the words and the need, and looks up only their
    services, by integer key.
    """

    __tablename__ = "service_search_point"

    lat_band: Mapped[int] = mapped_column(Integer, primary_key=True)
    longitude: Mapped[float] = mapped_column(Float, primary_key=True)
    search_id: Mapped[int] = mapped_column(
        ForeignKey("service_search.id", ondelete="CASCADE"), primary_key=True, index=True)
    location_id: Mapped[str] = mapped_column(String(UUID_LENGTH), primary_key=True)
    latitude: Mapped[float] = mapped_column(Float)
    # The service's ``stems`` and a space, so ``:stem `` is found only as a whole stem.
    stems: Mapped[str | None] = mapped_column(Text)
    # The service's taxonomy term ids (``point_terms``), for a need chosen from the taxonomy.
    terms: Mapped[str | None] = mapped_column(Text)

    __table_args__ = {"sqlite_with_rowid": False}


def lat_band(latitude: float) -> int:
    return math.floor(latitude * LAT_BANDS_PER_DEGREE)


class SearchTerm(Base):
    """A stemmed word that occurs in the index: the vocabulary typos are corrected against."""

    __tablename__ = "search_term"

    term: Mapped[str] = mapped_column(String(MAX_TERM), primary_key=True)


class DirectoryRevision(Base):
    """One row counting the directory's changes: every ``reindex_services`` adds one."""

    __tablename__ = "directory_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)


_CURRENT_REVISION = select(DirectoryRevision.revision).where(DirectoryRevision.id == 1)
_NEXT_REVISION = (update(DirectoryRevision).where(DirectoryRevision.id == 1)
                  .values(revision=DirectoryRevision.revision + 1))


# Where a session keeps the revision it read, with the transaction it read it in.
_REVISION_READ = "linkwell.directory_revision"


def current_revision(session: Session) -> int | None:
    """The directory's revision, read once per transaction: a request's search and all it
    keeps (``kept``) see one revision, and each asks the database once, not once per part
    (on PostgreSQL every round trip is a noticeable share of a search)."""
    seen = session.info.get(_REVISION_READ)
    if seen is not None and seen[0] is session.get_transaction():
        return seen[1]
    revision = session.connection().scalar(_CURRENT_REVISION)
    session.info[_REVISION_READ] = (session.get_transaction(), revision)
    return revision


def _next_revision(session: Session) -> None:
    """Count one more change; the row is made again if someone emptied the table."""
    session.info.pop(_REVISION_READ, None)
    if session.execute(_NEXT_REVISION).rowcount == 0:
        session.execute(insert(DirectoryRevision).values(id=1, revision=1))


def reindex_services(session: Session, service_ids: Iterable[str] | None = None) -> int:
    """Rebuild the search rows of the given services (all when ``None``); returns rows written.

    Runs in the caller's transaction. A service that no longer exists simply loses its row.
    The vocabulary (``search_term``) is the engine's to read (``dialects``).
    """
    from linkwell.directory.dialects import dialect_of  # it reads this module's tables

    dialect = dialect_of(session)
    _next_revision(session)
    ids = None if service_ids is None else list(dict.fromkeys(service_ids))
    written = 0
    if ids is None:
        session.execute(delete(ServiceSearchPoint))
        session.execute(delete(ServiceSearch))
        session.execute(delete(SearchTerm))
        batches = _all_ids_in_batches(session)
    else:
        batches = (ids[i : i + BATCH] for i in range(0, len(ids), BATCH))
    for batch in batches:
        if ids is not None:
            session.execute(delete(ServiceSearchPoint).where(ServiceSearchPoint.search_id.in_(
                select(ServiceSearch.id).where(ServiceSearch.service_id.in_(batch)))))
            session.execute(delete(ServiceSearch).where(ServiceSearch.service_id.in_(batch)))
        rows, term_ids = _rows(session, batch)
        if rows:
            session.execute(insert(ServiceSearch), rows)
            written += len(rows)
            points = _points(session, {
                row["service_id"]: {"stems": row["stems"] + " ",
                                    "terms": point_terms(term_ids.get(row["service_id"], ()))}
                for row in rows})
            if points:
                session.execute(insert(ServiceSearchPoint), points)
        dialect.add_vocabulary(session, batch)
    dialect.finish_reindex(session, large=ids is None or len(ids) > BATCH)
    return written


def _all_ids_in_batches(session: Session):
    all_ids = session.scalars(select(Service.id).order_by(Service.id)).all()
    for i in range(0, len(all_ids), BATCH):
        yield all_ids[i : i + BATCH]


def point_terms(term_ids: Iterable[str]) -> str | None:
    """A point's ``terms``: the ids each between spaces, so `` id `` is found only whole."""
    return f" {' '.join(sorted(term_ids))} " if term_ids else None


def _rows(session: Session, service_ids: list[str]) -> tuple[list[dict], dict[str, set[str]]]:
    """``service_search`` rows, and the taxonomy term ids of each service."""
    terms: dict[str, list[str]] = defaultdict(list)
    term_ids: dict[str, set[str]] = defaultdict(set)
    for link_id, term_id, name in session.execute(
        select(Attribute.link_id, TaxonomyTerm.id, TaxonomyTerm.name)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(Attribute.link_entity == "service", Attribute.link_id.in_(service_ids))
        .order_by(Attribute.link_id, TaxonomyTerm.name)
    ):
        term_ids[link_id].add(term_id)
        if name not in terms[link_id]:
            terms[link_id].append(name)
    rows = []
    for service, organization_name in session.execute(
        select(Service, Organization.name)
        .join(Organization, Organization.id == Service.organization_id)
        .where(Service.id.in_(service_ids))
    ):
        fields = {
            "name": " ".join(filter(None, [service.name, service.alternate_name])),
            "taxonomy_terms": " ".join(terms.get(service.id, ())) or None,
            "organization_name": organization_name,
            "description": service.description,
        }
        rows.append({
            "service_id": service.id,
            **fields,
            "stems": " ".join(f"{field[0]}:{s}" for field in FIELD_WEIGHTS
                              for s in sorted(stems(fields[field]))),
            "status": service.status,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.assured_date,
        })
    return rows, term_ids


def _points(session: Session, keys: dict[str, dict]) -> list[dict]:
    """The located service_at_locations of services just written to ``service_search``,
    each with the service's ``stems`` and ``terms`` (``keys``)."""
    search_ids = dict(session.execute(
        select(ServiceSearch.service_id, ServiceSearch.id)
        .where(ServiceSearch.service_id.in_(list(keys)))).all())
    rows = session.execute(
        select(ServiceAtLocation.service_id, Location.id, Location.latitude, Location.longitude)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(list(keys)),
               Location.latitude.is_not(None), Location.longitude.is_not(None))
        .distinct()
    )
    return [{"search_id": search_ids[service_id], "location_id": location_id,
             "lat_band": lat_band(lat), "latitude": lat, "longitude": lon, **keys[service_id]}
            for service_id, location_id, lat, lon in rows]


def vocabulary_words(words: Iterable[str]) -> list[dict]:
    """``search_term`` rows for the index's words that typo correction may suggest."""
    return [{"term": w} for w in words if w.isalpha() and 3 <= len(w) <= MAX_TERM]
