"""Public pages: "Find support near you" (``/find``) and a service's page (``/services/{id}``).

Both read the same search as the Open Referral UK API. The search form is a plain GET form
that works without JavaScript; with htmx, submitting it swaps in only the results
(``/find/results``), and a form with errors swaps in the whole form with its error summary.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from linkwell.db import utcnow
from linkwell.directory import store
from linkwell.directory.query import (
    DAY_NAMES,
    DAYS,
    METRES_PER_MILE,
    SearchQuery,
    describe_distance,
    is_stale,
)
from linkwell.directory.search import SearchResult, needs, search_services
from linkwell.errors import InvalidInput, NotFound
from linkwell.geo.queries import borough_shapes
from linkwell.geo.svgmap import MapPoint, render_map
from linkwell.web.deps import get_session
from linkwell.web.templating import templates

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session)]

DISTANCES_MILES = (1, 2, 5, 10)
DEFAULT_MILES = 2
PER_PAGE = 20
FORM_FIELDS = ("postcode", "taxonomy_term_id", "search", "age", "day", "distance")
POSTCODE_UNKNOWN = "We could not find that postcode. Check it and try again"


@dataclass
class FindForm:
    """What was typed into the search form, kept as text to show back to the person."""

    postcode: str = ""
    taxonomy_term_id: str = ""
    search: str = ""
    age: str = ""
    day: str = ""
    distance: str = str(DEFAULT_MILES)
    page: int = 1

    @classmethod
    def from_request(cls, request: Request) -> "FindForm":
        params = request.query_params
        values = {name: params.get(name, "").strip()[:200] for name in FORM_FIELDS}
        if values["distance"] not in {str(m) for m in DISTANCES_MILES}:
            values["distance"] = str(DEFAULT_MILES)
        if values["day"] not in DAYS:
            values["day"] = ""
        page = params.get("page", "1")
        return cls(**values, page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1)

    @property
    def submitted(self) -> bool:
        return any(getattr(self, name) for name in FORM_FIELDS if name != "distance")

    def query_string(self, page: int) -> str:
        values = {name: getattr(self, name) for name in FORM_FIELDS if getattr(self, name)}
        return urlencode({**values, "page": page})


def _query(form: FindForm, errors: dict[str, str]) -> SearchQuery | None:
    age = None
    if form.age:
        if not form.age.isdigit() or int(form.age) > 130:
            errors["age"] = "Enter age as a whole number of years, like 45"
        else:
            age = int(form.age)
    if errors:
        return None
    return SearchQuery(
        text=form.search or None, taxonomy_term_id=form.taxonomy_term_id or None,
        minimum_age=age, maximum_age=age, postcode=form.postcode or None,
        proximity_m=int(form.distance) * METRES_PER_MILE if form.postcode else None,
        day=form.day or None, page=form.page, per_page=PER_PAGE,
    )


def _search(request: Request, session: Session, form: FindForm
            ) -> tuple[SearchResult | None, dict[str, str]]:
    errors: dict[str, str] = {}
    query = _query(form, errors)
    if query is None or not form.submitted:
        return None, errors
    try:
        return search_services(session, query, stale_after_days=_stale_days(request)), errors
    except NotFound:
        errors["postcode"] = POSTCODE_UNKNOWN
    except InvalidInput as exc:
        fields = {str(e.get("field") or (e.get("loc") or ["", ""])[-1]) for e in exc.errors}
        if "postcode" in fields:
            errors["postcode"] = exc.detail
        elif "taxonomy_term_id" in fields:
            errors["need"] = "Choose a kind of support from the list"
        else:
            errors["search"] = exc.detail
    return None, errors


def _stale_days(request: Request) -> int:
    return request.app.state.settings.stale_after_days


def _map(session: Session, result: SearchResult | None, hits: list[dict]) -> str | None:
    points = [MapPoint(h["latitude"], h["longitude"], h["name"]) for h in hits
              if h["latitude"] is not None]
    if result is None or not points:
        return None
    if result.origin is not None:
        points.append(MapPoint(result.origin.lat, result.origin.lon,
                               f"Your postcode, {result.origin.postcode}"))
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    margin = 0.02
    shapes = [s for s in borough_shapes(session)
              if _overlaps(s.geometry, min(lats) - margin, max(lats) + margin,
                           min(lons) - margin, max(lons) + margin)]
    if not shapes:
        return None
    return render_map(shapes, title="Map of the services found", points=points, width=560)


def _overlaps(geometry: dict, south: float, north: float, west: float, east: float) -> bool:
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [
        ring for polygon in geometry["coordinates"] for ring in polygon]
    lons = [pt[0] for ring in rings for pt in ring]
    lats = [pt[1] for ring in rings for pt in ring]
    return min(lats) <= north and max(lats) >= south and min(lons) <= east and max(lons) >= west


def _context(request: Request, session: Session) -> dict:
    form = FindForm.from_request(request)
    result, errors = _search(request, session, form)
    hits = []
    if result is not None:
        hits = [{
            "service_id": h.service_id, "name": h.name,
            "organization_name": h.organization_name, "description": h.description,
            "distance": describe_distance(h.distance_m), "location_name": h.location_name,
            "assured_date": h.assured_date, "stale": h.stale,
            "latitude": h.latitude, "longitude": h.longitude,
        } for h in result.hits]
    results = None if result is None else {
        "total_items": result.total_items, "total_pages": result.total_pages,
        "page_number": result.page_number, "hits": hits,
    }
    return {
        "form": form, "errors": errors, "results": results,
        "needs": needs(session), "days": list(zip(DAYS, DAY_NAMES, strict=True)),
        "distances": DISTANCES_MILES, "stale_after_days": _stale_days(request),
        "map_svg": _map(session, result, hits), "page_query": form.query_string,
    }


@router.get("/find", response_class=HTMLResponse)
def find(request: Request, session: SessionDep):
    context = _context(request, session)
    status = 422 if context["errors"] else 200
    return templates.TemplateResponse(request, "directory/find.html", context,
                                      status_code=status)


@router.get("/find/results", response_class=HTMLResponse)
def find_results(request: Request, session: SessionDep):
    """The results region for htmx; with errors, the whole form so its summary shows."""
    context = {**_context(request, session), "fragment": True}
    page_url = "/find?" + context["form"].query_string(context["form"].page)
    if context["errors"]:
        return templates.TemplateResponse(
            request, "directory/_find.html", context,
            headers={"HX-Retarget": "#find-content", "HX-Reswap": "outerHTML",
                     "HX-Push-Url": page_url})
    return templates.TemplateResponse(request, "directory/_results.html", context,
                                      headers={"HX-Push-Url": page_url})


@router.get("/services/{service_id}", response_class=HTMLResponse)
def service_page(service_id: str, request: Request, session: SessionDep):
    found = store.services_json(session, [service_id])
    if not found:
        raise NotFound("There is no service with that address in the directory.")
    service = found[0]
    assured = _date(service.get("assured_date"))
    stale = is_stale(assured, today=utcnow().date(), stale_after_days=_stale_days(request))
    return templates.TemplateResponse(request, "directory/service.html", {
        "service": service, "assured_date": assured, "stale": stale,
        "day_names": dict(zip(DAYS, DAY_NAMES, strict=True)),
        "stale_after_days": _stale_days(request),
    })


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
