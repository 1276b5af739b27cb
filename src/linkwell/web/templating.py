"""One Jinja2 environment for every area's pages.

Each area keeps its templates in ``linkwell/<area>/templates/<area>/`` so names never clash;
shared furniture (``base.html``, macros) lives in ``linkwell/web/templates``.
"""

from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from linkwell.charts import figure
from linkwell.links import link

LONDON = ZoneInfo("Europe/London")
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _template_dirs() -> list[Path]:
    dirs = [PACKAGE_DIR / "web" / "templates"]
    dirs += sorted(p for p in PACKAGE_DIR.glob("*/templates") if p.parent.name != "web")
    return dirs


templates = Jinja2Templates(directory=str(PACKAGE_DIR / "web" / "templates"))
templates.env.loader = ChoiceLoader([FileSystemLoader(str(d)) for d in _template_dirs()])
# ``{% if url | link %}``: only an allowed scheme (links.LINK_SCHEMES) is ever an href.
templates.env.filters["link"] = link


def uk_time(at, fmt: str = "%d %b %Y %H:%M") -> str:
    """A stored UTC time as UK wall-clock time, the way it was entered."""
    return at.astimezone(LONDON).strftime(fmt) if at is not None else ""


templates.env.filters["uk"] = uk_time
templates.env.globals["attribution"] = (
    "Contains National Statistics data © Crown copyright and database right; "
    "Contains OS data © Crown copyright and database right. Open Government Licence v3.0."
)
# ``{{ chart | chart_figure }}``: a chart whose figures the page shows in a table of its own;
# ``{{ chart }}`` draws the chart and its own captioned data table.
templates.env.filters["chart_figure"] = partial(figure, with_table=False)
