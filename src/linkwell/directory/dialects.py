"""What differs between SQLite and PostgreSQL in directory search, indexing and import.

``search``, ``search_index`` and ``transfer`` say *what* they need (services with these words,
points in this box, a word in the index, the index's vocabulary, an upsert); each engine says
*how* here, once, in one implementation of :class:`SearchDialect` chosen from the session's
engine by :func:`dialect_of`. The speed-ups live here too, so the domain path stays plain:

- SQLite: FTS5 (``service_fts``, porter stemmer) for words; near a postcode, the stems each
  point carries and, when nothing but words and needs is asked, this process's in-memory
  ``point_index``; FTS5's own vocabulary; ``ANALYZE`` after a large re-index; a larger page
  cache for a bulk import.
- PostgreSQL: the weighted ``tsvector`` (``english``) with ``websearch_to_tsquery``, also per
  point near a postcode; the vocabulary from each batch's lexemes.

See ADR 0006 (search in the database).
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from linkwell.directory.point_index import Point, ServiceRow, point_index
from linkwell.directory.search_index import (
    ACTIVE,
    BATCH,
    SearchTerm,
    ServiceSearch,
    ServiceSearchPoint,
    lat_band,
    vocabulary_words,
)
from linkwell.directory.search_query import fts5_match, websearch_text
from linkwell.directory.standard import TABLES
from linkwell.geo.distance import BoundingBox

PG_CONFIG = literal_column("'english'::regconfig")
PG_DOCUMENT = literal_column("service_search.fts_document")
SQLITE_CACHE_KIB = 131072

# (service_search.id, service_id, name, assured_date, stems): what search reads of a service.
SERVICE_ROW = (ServiceSearch.id, ServiceSearch.service_id, ServiceSearch.name,
               ServiceSearch.assured_date, ServiceSearch.stems)


class SearchDialect(ABC):
    """One engine's way of doing what directory search, indexing and import need."""

    name: str
    _dialect_module: object  # sqlalchemy.dialects.<engine>, for its INSERT ... ON CONFLICT

    # --- search -------------------------------------------------------------------------

    @abstractmethod
    def words_condition(self, terms: Sequence[str], *, any_term: bool):
        """A condition on ``service_search`` rows: they have every word (or any)."""

    @abstractmethod
    def has_word(self, session: Session, term: str) -> bool:
        """Whether the index holds the word at all (or the engine ignores it as a stop word)."""

    def services_with_words(self, session: Session, terms: Sequence[str], filters: list, *,
                            any_term: bool) -> list[ServiceRow]:
        """Every service passing ``filters`` and having the words (all, or any)."""
        words = [self.words_condition(terms, any_term=any_term)] if terms else []
        statement = select(*SERVICE_ROW).where(*words, *filters)
        return [tuple(row) for row in session.connection().execute(statement)]

    def points_in_box(self, session: Session, box: BoundingBox, *, terms: Sequence[str],
                      stems: Sequence[str], needs: Sequence[str], filters: list,
                      any_term: bool) -> tuple[list[ServiceRow], list[Point]]:
        """Active services with a point in ``box`` that pass ``filters``, have the words and
        one of the ``needs`` (taxonomy term ids); and those points. From this process's
        ``point_index`` when nothing but words and needs is asked (reading the points from
        the database was most of a request's CPU time on SQLite, and on PostgreSQL asking
        the text index once per point in the box held p95 at 11 ms); otherwise from the
        database."""
        if filters:
            return self.points_from_database(session, box, terms=terms, stems=stems,
                                             needs=needs, filters=filters, any_term=any_term)
        return point_index(session).within(box, stems, any_term=any_term, needs=needs)

    def points_from_database(self, session: Session, box: BoundingBox, *,
                             terms: Sequence[str], stems: Sequence[str], needs: Sequence[str],
                             filters: list, any_term: bool
                             ) -> tuple[list[ServiceRow], list[Point]]:
        """``points_in_box`` answered by the database: the box is a few latitude bands, each
        a short run of the points' clustered key."""
        statement = _within_statement(self, len(stems), any_term, len(needs))
        if filters:
            statement = statement.where(*filters)
        params = {"bands": list(range(lat_band(box.min_lat), lat_band(box.max_lat) + 1)),
                  "min_lon": box.min_lon, "max_lon": box.max_lon,
                  "min_lat": box.min_lat, "max_lat": box.max_lat,
                  **{f"need{i}": f" {term} " for i, term in enumerate(needs)},
                  **self.point_word_params(terms, stems, any_term=any_term)}
        rows: dict[str, ServiceRow] = {}
        points = []
        for search_id, service_id, name, assured, service_stems, lat, lon, location_id in (
                session.connection().execute(statement, params)):
            rows[service_id] = (search_id, service_id, name, assured, service_stems)
            points.append((service_id, lat, lon, location_id))
        return list(rows.values()), points

    @abstractmethod
    def contains(self, haystack, needle):
        """SQL: the position of ``needle`` in ``haystack`` (0 when absent)."""

    @abstractmethod
    def point_words_condition(self, words: int, *, any_term: bool):
        """A condition on ``service_search_point`` rows joined to their services: they have
        the words (bound as ``point_word_params`` names them)."""

    @abstractmethod
    def point_word_params(self, terms: Sequence[str], stems: Sequence[str], *,
                          any_term: bool) -> dict:
        """The parameters ``point_words_condition`` binds."""

    # --- index and import ---------------------------------------------------------------

    @abstractmethod
    def add_vocabulary(self, session: Session, service_ids: list[str]) -> None:
        """After a batch of ``service_search`` rows is written: record their words."""

    @abstractmethod
    def finish_reindex(self, session: Session, *, large: bool) -> None:
        """After every batch of a re-index (``large``: all services, or more than a batch)."""

    def insert(self, table):
        """An INSERT that supports ``on_conflict_do_update``/``on_conflict_do_nothing``."""
        return self._dialect_module.insert(table)

    def prepare_bulk_write(self, session: Session) -> None:  # noqa: B027 - optional hook
        """Tune the session's connection for a large import (nothing to do by default)."""


class SqliteDialect(SearchDialect):
    name = "sqlite"
    _dialect_module = sqlite

    def words_condition(self, terms: Sequence[str], *, any_term: bool):
        fts = (text("SELECT rowid FROM service_fts WHERE service_fts MATCH :match")
               .bindparams(match=fts5_match(terms, any_term=any_term))
               .columns(rowid=Integer))
        return ServiceSearch.id.in_(fts)

    def has_word(self, session: Session, term: str) -> bool:
        return session.scalar(
            text("SELECT 1 FROM service_fts WHERE service_fts MATCH :m LIMIT 1"),
            {"m": fts5_match([term])}) is not None

    def contains(self, haystack, needle):
        return func.instr(haystack, needle)

    def point_words_condition(self, words: int, *, any_term: bool):
        """The words matched against the stems each point carries, so only services that
        have them are looked up (FTS5 would list every service in the region that says
        "advice")."""
        found = [self.contains(ServiceSearchPoint.stems, bindparam(f"stem{i}", type_=String)) > 0
                 for i in range(words)]
        return or_(*found) if any_term else and_(*found)

    def point_word_params(self, terms: Sequence[str], stems: Sequence[str], *,
                          any_term: bool) -> dict:
        return {f"stem{i}": f":{wanted} " for i, wanted in enumerate(stems)}

    def add_vocabulary(self, session: Session, service_ids: list[str]) -> None:
        """Nothing per batch: FTS5 keeps its own vocabulary, copied once at the end."""

    def finish_reindex(self, session: Session, *, large: bool) -> None:
        rows = vocabulary_words(session.scalars(text("SELECT term FROM service_fts_vocab")))
        for i in range(0, len(rows), BATCH):
            session.execute(sqlite.insert(SearchTerm).on_conflict_do_nothing(),
                            rows[i : i + BATCH])
        if large:
            # Table statistics let SQLite's planner see that a postcode's few hundred services
            # are a better start than "every active service" (PostgreSQL autovacuum does this).
            session.execute(text("ANALYZE"))

    def prepare_bulk_write(self, session: Session) -> None:
        """Ids are random UUIDs, so inserts land all over each index: a larger page cache for
        this connection keeps a big import from thrashing (bounded: 128 MiB)."""
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


class PostgresDialect(SearchDialect):
    name = "postgresql"
    _dialect_module = postgresql

    def words_condition(self, terms: Sequence[str], *, any_term: bool):
        return PG_DOCUMENT.op("@@")(func.websearch_to_tsquery(
            PG_CONFIG, websearch_text(terms, any_term=any_term)))

    def has_word(self, session: Session, term: str) -> bool:
        """Looked up in the vocabulary (``search_term``, by primary key), not by asking the
        text index: a word that is not there matches nothing, and with the GIN index's
        pending list unmerged after a bulk re-index the planner scanned all 50,000 rows
        for it (40-120 ms, one search in ten of the benchmark's p95)."""
        return bool(session.scalar(
            text("SELECT numnode(q) = 0 OR EXISTS (SELECT 1 FROM search_term WHERE term = ANY("
                 "tsvector_to_array(to_tsvector('english'::regconfig, :t)))) "
                 "FROM plainto_tsquery('english'::regconfig, :t) AS q"),
            {"t": term}))

    def contains(self, haystack, needle):
        return func.strpos(haystack, needle)

    def point_words_condition(self, words: int, *, any_term: bool):
        """The service's text index, asked per point in the box."""
        return PG_DOCUMENT.op("@@")(
            func.websearch_to_tsquery(PG_CONFIG, bindparam("words", type_=String)))

    def point_word_params(self, terms: Sequence[str], stems: Sequence[str], *,
                          any_term: bool) -> dict:
        return {"words": websearch_text(terms, any_term=any_term)} if terms else {}

    def add_vocabulary(self, session: Session, service_ids: list[str]) -> None:
        """The stemmed terms of these services, read from their ``tsvector``s."""
        lexemes = (
            select(func.unnest(func.tsvector_to_array(literal_column("fts_document"))))
            .where(ServiceSearch.service_id.in_(service_ids))
            .distinct()
        )
        rows = vocabulary_words(session.scalars(lexemes))
        if rows:
            session.execute(postgresql.insert(SearchTerm).on_conflict_do_nothing(), rows)

    def finish_reindex(self, session: Session, *, large: bool) -> None:
        """The vocabulary was added per batch. After a large re-index (a large import or sync
        came before it), fresh statistics for the directory's tables: without them the
        planner takes a batch's ``IN (...)`` of a few hundred ids for most of a table and
        scans all of it, which made the next sync of 50,000 services several times slower
        (autovacuum may be off, and runs a minute or more behind at best)."""
        if large:
            tables = [*TABLES, *(model.__tablename__ for model in (
                ServiceSearch, ServiceSearchPoint, SearchTerm))]
            session.execute(text(f"ANALYZE {', '.join(tables)}"))


_DIALECTS: dict[str, SearchDialect] = {d.name: d for d in (SqliteDialect(), PostgresDialect())}


def dialect_of(session: Session) -> SearchDialect:
    """The implementation for the session's engine."""
    return _DIALECTS[session.get_bind().dialect.name]


@lru_cache(maxsize=128)
def _within_statement(dialect: SearchDialect, words: int, any_term: bool, needs: int) -> Select:
    """Points in the box (``bands``, ``min_lon`` ... ``max_lat``) with the words and a need
    (``need0``...), joined to their active services. Built once per shape: constructing the
    statement cost as much as running it."""
    point = ServiceSearchPoint
    conditions = [point.lat_band.in_(bindparam("bands", expanding=True)),
                  point.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
                  point.latitude.between(bindparam("min_lat"), bindparam("max_lat"))]
    if words:
        conditions.append(dialect.point_words_condition(words, any_term=any_term))
    if needs:
        conditions.append(or_(*(
            dialect.contains(point.terms, bindparam(f"need{i}", type_=String)) > 0
            for i in range(needs))))
    conditions.append(ServiceSearch.status == ACTIVE)
    return (select(*SERVICE_ROW, point.latitude, point.longitude, point.location_id)
            .select_from(point).join(ServiceSearch, ServiceSearch.id == point.search_id)
            .where(*conditions))
