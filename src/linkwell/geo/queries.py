"""Reading the geography reference tables: postcode lookup, LSOAs and borough shapes.

Postcode lookups sit on the referral and directory search paths, so results are kept in a small
in-process LRU cache per engine; ``load_reference_data`` clears it after a re-load. Unknown
postcodes are not cached, so a postcode added by a re-load is found at once.
"""

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.orm import Session

from linkwell.charts.maps import BoroughShape
from linkwell.db import get_or_not_found
from linkwell.errors import NotFound
from linkwell.geo.models import Borough, Lsoa, Postcode
from linkwell.geo.postcodes import normalise_postcode, outcode_of, sector_of, unit_distance

CACHE_SIZE = 65_536


@dataclass(frozen=True, slots=True)
class PostcodeLocation:
    """Where a postcode is: its point, LSOA (2011), district and that LSOA's IMD 2019 decile."""

    postcode: str
    lat: float
    lon: float
    lsoa11cd: str | None
    lad_code: str | None
    lad_name: str | None
    imd_decile: int | None


class _LruCache:
    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, PostcodeLocation] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> PostcodeLocation | None:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: str, value: PostcodeLocation) -> None:
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)


_caches: "weakref.WeakKeyDictionary[Engine, _LruCache]" = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache_for(session: Session) -> _LruCache:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = _LruCache(CACHE_SIZE)
        return cache


def clear_postcode_cache() -> None:
    """Forget cached lookups (after the reference tables were replaced)."""
    with _caches_lock:
        _caches.clear()


# Built once with a bound parameter and run on the Core connection: the ORM's per-call
# statement building costs more than the indexed lookup itself (see bench/geo_postcode_lookup).
_postcode, _lsoa, _borough = Postcode.__table__, Lsoa.__table__, Borough.__table__
_LOOKUP = (
    select(_postcode.c.postcode, _postcode.c.lat, _postcode.c.lon, _postcode.c.lsoa11cd,
           _postcode.c.lad_code, func.coalesce(_borough.c.name, _lsoa.c.lad_name),
           _lsoa.c.imd_decile)
    .select_from(
        _postcode.outerjoin(_lsoa, _lsoa.c.lsoa11cd == _postcode.c.lsoa11cd)
        .outerjoin(_borough, _borough.c.lad_code == _postcode.c.lad_code))
    .where(_postcode.c.postcode == bindparam("postcode"))
)


def lookup_postcode(session: Session, text: str) -> PostcodeLocation:
    """Find a postcode typed in any case or spacing.

    Raises InvalidInput (422) when ``text`` is not a well-formed postcode and NotFound (404)
    when it is well-formed but not in the reference data (terminated, or outside the area).
    """
    postcode = normalise_postcode(text)
    cache = _cache_for(session)
    found = cache.get(postcode)
    if found is not None:
        return found
    row = session.connection().execute(_LOOKUP, {"postcode": postcode}).first()
    if row is None:
        raise NotFound("That postcode is not in the reference data. Check it, or enter "
                       "another postcode nearby.")
    found = PostcodeLocation(*row)
    cache.put(postcode, found)
    return found


def lookup_place(session: Session, text: str) -> PostcodeLocation:
    """A full postcode (see ``lookup_postcode``), or an outward code alone ("SE13"): the
    centre of its postcodes, named by the outward code, with no LSOA or district of its own.

    Raises NotFound for an outward code with no postcodes in the reference data.
    """
    outcode = outcode_of(text)
    if outcode is None:
        return lookup_postcode(session, text)
    cache = _cache_for(session)
    found = cache.get(outcode)
    if found is not None:
        return found
    lat, lon, count = session.execute(
        select(func.avg(Postcode.lat), func.avg(Postcode.lon), func.count())
        .where(Postcode.postcode.like(f"{outcode} %"))).one()
    if not count:
        raise NotFound(f"{outcode} is not a postcode district in the reference data. Check it, "
                       "or enter a full postcode.")
    found = PostcodeLocation(outcode, float(lat), float(lon), None, None, None, None)
    cache.put(outcode, found)
    return found


def postcodes_near(session: Session, text: str, *, limit: int = 3) -> list[str]:
    """Known postcodes in the same sector as a well-formed postcode that is not known
    ("SE13 5ZZ" -> "SE13 5YX", ...), closest unit first; empty when the sector has none."""
    postcode = normalise_postcode(text)
    sector = sector_of(postcode)
    found = session.scalars(select(Postcode.postcode).where(
        Postcode.postcode.like(f"{sector}__"), Postcode.postcode != postcode))
    return sorted(found, key=lambda known: (unit_distance(known, postcode), known))[:limit]


def get_lsoa(session: Session, lsoa11cd: str) -> Lsoa:
    """An LSOA by code, with its borough, IMD 2019 rank/decile and population."""
    return get_or_not_found(session, Lsoa, lsoa11cd, "That LSOA is not in the reference data.")


def borough_shapes(session: Session) -> list[BoroughShape]:
    """Every borough with a boundary, ready for ``linkwell.charts``' maps."""
    rows = session.execute(
        select(Borough.lad_code, Borough.name, Borough.boundary)
        .where(Borough.boundary.is_not(None)).order_by(Borough.lad_code)
    )
    return [BoroughShape(code, name, boundary) for code, name, boundary in rows]


def reference_counts(session: Session) -> dict[str, int]:
    """How many LSOAs, postcodes and boroughs are loaded (zero before ``geo load``)."""
    return {
        "lsoas": session.scalar(select(func.count()).select_from(Lsoa)) or 0,
        "postcodes": session.scalar(select(func.count()).select_from(Postcode)) or 0,
        "boroughs": session.scalar(select(func.count()).select_from(Borough)) or 0,
    }
