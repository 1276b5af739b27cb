"""Where active services are, held in memory by each serving process, for "near a postcode".

On SQLite, reading the points in a box from ``service_search_point`` and checking their stems
was the largest cost of an ``/oruk/services?search=...&postcode=...`` request (about 40% of
its CPU time). The points only change when the directory is re-indexed, so each process
keeps them (see ``kept``), sorted by latitude, in NumPy arrays, and reads them again only
after a re-index. With them it keeps what a results page shows of each service (its name,
organisation, the start of its description and its places' names): on PostgreSQL reading
those for each page was a round trip that cost more than the search itself. About 0.4 KB per
service.

The checks are the ones the SQL makes: inside the box (inclusive), every (or any) ``:stem ``
within the point's stems, and one of the `` id `` needs within its terms.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.directory.models import Location, Service
from linkwell.directory.presentation import summary
from linkwell.directory.revision_cache import kept
from linkwell.directory.search_index import ACTIVE, ServiceSearch, ServiceSearchPoint
from linkwell.geo.distance import BoundingBox

# (service_search.id, service_id, name, assured_date, stems): a service as search reads it
ServiceRow = tuple[int, str, str, date | None, str | None]
# (service_id, latitude, longitude, location_id): one place the service can be found
Point = tuple[str, float, float, str]
# (name, organization_name, summary of the description, nearest location's name): what a
# results page shows of a service
Details = tuple[str, str | None, str | None, str | None]


# Which services carry a stem (or a need) is worked out once per word per revision and kept,
# up to this many words: each is one flag per service (50 KB for 50,000 services).
MAX_KEPT_WORDS = 512


@dataclass(eq=False)
class PointIndex:
    latitude: np.ndarray  # ascending
    longitude: np.ndarray
    service: np.ndarray  # each point's position in ``services``
    location_ids: list[str]
    services: list[ServiceRow]
    stems: list[str]  # per service, as points carry them: ``:stem `` is found only whole
    terms: list[str]  # per service, `` id `` per taxonomy term
    shown: dict[str, tuple[str, str | None, str | None]]  # service id -> (name, organisation,
    # summary): the service's own name (the index's ``name`` also holds its alternate name)
    place_names: dict[str, str | None]  # location id -> name
    _having: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def within(self, box: BoundingBox, stems: Sequence[str], *, any_term: bool,
               needs: Sequence[str]) -> tuple[list[ServiceRow], list[Point]]:
        """Services with a point in ``box`` that have the words and a need, and those points."""
        start = np.searchsorted(self.latitude, box.min_lat, side="left")
        stop = np.searchsorted(self.latitude, box.max_lat, side="right")
        longitude = self.longitude[start:stop]
        inside = start + np.flatnonzero((longitude >= box.min_lon) & (longitude <= box.max_lon))
        service = self.service[inside]
        if stems:
            combine = np.logical_or if any_term else np.logical_and
            have = self._with("stems", [f":{s} " for s in stems], combine)
            keep = have[service]
            inside, service = inside[keep], service[keep]
        if needs:
            keep = self._with("terms", [f" {term} " for term in needs], np.logical_or)[service]
            inside, service = inside[keep], service[keep]
        rows = {position: self.services[position] for position in service.tolist()}
        points = [(rows[position][1], lat, lon, self.location_ids[i])
                  for i, position, lat, lon in zip(
                      inside.tolist(), service.tolist(), self.latitude[inside].tolist(),
                      self.longitude[inside].tolist(), strict=True)]
        return list(rows.values()), points

    def details(self, nearest: dict[str, str | None]) -> dict[str, Details]:
        """What a results page shows of each service held here (``nearest``: service id ->
        its nearest location's id, or None); services not held are left out."""
        return {service_id: (*self.shown[service_id], self.place_names.get(place))
                for service_id, place in nearest.items() if service_id in self.shown}

    def _with(self, kind: str, marks: list[str], combine) -> np.ndarray:
        """Per service, whether its ``stems`` or ``terms`` hold the marks (combined by
        ``combine``)."""
        flags = [self._having_mark(kind, mark) for mark in marks]
        result = flags[0]
        for more in flags[1:]:
            result = combine(result, more)
        return result

    def _having_mark(self, kind: str, mark: str) -> np.ndarray:
        found = self._having.get((kind, mark))
        if found is None:
            texts = getattr(self, kind)
            found = np.fromiter((mark in text for text in texts), bool, len(texts))
            if len(self._having) >= MAX_KEPT_WORDS:
                self._having = {}
            self._having[(kind, mark)] = found
        return found


_LOAD = (select(ServiceSearchPoint.latitude, ServiceSearchPoint.longitude,
                ServiceSearchPoint.location_id, ServiceSearchPoint.stems,
                ServiceSearchPoint.terms, ServiceSearch.id, ServiceSearch.service_id,
                ServiceSearch.name, ServiceSearch.assured_date, ServiceSearch.stems,
                ServiceSearch.organization_name, ServiceSearch.description)
         .join(ServiceSearch, ServiceSearch.id == ServiceSearchPoint.search_id)
         .where(ServiceSearch.status == ACTIVE))
# Names are read whole from their tables: joined per point, SQLite looked each one up by its
# text key and the load took twice as long.
_SERVICE_NAMES = select(Service.id, Service.name)
_PLACE_NAMES = select(Location.id, Location.name)


def _load(session: Session) -> PointIndex:
    """Every active service's points, sorted by latitude here rather than in SQL: with each
    row's stems and terms, PostgreSQL's sort spilled to disk and took most of the load."""
    latitude, longitude, service, location_ids = [], [], [], []
    services: list[ServiceRow] = []
    stems: list[str] = []
    terms: list[str] = []
    shown: dict[str, tuple[str, str | None, str | None]] = {}
    organisations: dict[str, str] = {}  # one string per organisation name, however many use it
    position_of: dict[int, int] = {}
    connection = session.connection()
    own_names = dict(connection.execute(_SERVICE_NAMES).all())
    for (lat, lon, location_id, point_stems, point_terms, search_id, service_id, name,
         assured, service_stems, organization_name, description) in connection.execute(_LOAD):
        position = position_of.get(search_id)
        if position is None:
            position = position_of[search_id] = len(services)
            services.append((search_id, service_id, name, assured, service_stems))
            stems.append(point_stems or "")
            terms.append(point_terms or "")
            if organization_name is not None:
                organization_name = organisations.setdefault(organization_name,
                                                             organization_name)
            shown[service_id] = (own_names[service_id], organization_name,
                                 summary(description))
        latitude.append(lat)
        longitude.append(lon)
        service.append(position)
        location_ids.append(location_id)
    used = set(location_ids)
    place_names = {location_id: name for location_id, name in connection.execute(_PLACE_NAMES)
                   if location_id in used}
    latitudes = np.array(latitude, dtype=float)
    order = np.argsort(latitudes, kind="stable")
    return PointIndex(latitudes[order], np.array(longitude, dtype=float)[order],
                      np.array(service, dtype=np.int64)[order],
                      [location_ids[i] for i in order.tolist()], services, stems, terms,
                      shown, place_names)


_loading = threading.Lock()


def held_point_index(session: Session) -> PointIndex | None:
    """The point index if this process already holds it for the current revision."""
    return kept(session).get("points")


def point_index(session: Session) -> PointIndex:
    """This process's index of the session's database, loaded again after a re-index."""
    directory = kept(session)
    index = directory.get("points")
    if index is None:
        with _loading:  # one thread loads; the others wait for it rather than load too
            index = directory.get("points")
            if index is None:
                index = directory["points"] = _load(session)
    return index
