"""The printed report of a demo-sized evaluation (5,000 simulated people across every London
LSOA and borough, as `make demo`) is at most 8 pages, and no page ends with a heading cut off
from its content: checked on the rendered pages (pypdf's layout text, page by page)."""

import gzip
import re
import shutil
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from conftest import SHARED_LONDON
from linkwell.evaluation import runs
from linkwell.evaluation.db_inputs import boroughs_from_db
from linkwell.evaluation.demo import create_simulated_cohort
from linkwell.evaluation.report import render_html
from linkwell.geo.loading import load_reference_data
from linkwell.web.pdf import write_pdf

pytestmark = [pytest.mark.slow, pytest.mark.browser]
MOST_PAGES = 8


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth, self.texts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "caption", "summary"):
            self.depth += 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "caption", "summary"):
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _london_without_most_postcodes(folder):
    """Every London LSOA and borough, as the demo loads them; the report reads no postcode, so
    a few hundred of them stand in for the 330,000 (loading them all takes a minute)."""
    folder.mkdir()
    for name in ("lsoa2011.csv", "boroughs.geojson"):
        (folder / name).symlink_to(SHARED_LONDON / name)
    with gzip.open(SHARED_LONDON / "postcodes.csv.gz", "rt") as full, \
            gzip.open(folder / "postcodes.csv.gz", "wt") as few:
        few.writelines(line for _, line in zip(range(500), full, strict=False))
    return folder


@pytest.fixture(scope="module")
def printed(tmp_path_factory, sqlite_template):
    from linkwell.db import make_engine, make_sessionmaker

    if not (SHARED_LONDON / "lsoa2011.csv").exists():
        pytest.skip("../shared/data/london is not beside the project")
    folder = tmp_path_factory.mktemp("report")
    shutil.copy(sqlite_template, folder / "db.sqlite")
    engine = make_engine(f"sqlite:///{folder / 'db.sqlite'}")
    load_reference_data(engine, _london_without_most_postcodes(folder / "geo"))
    out = {}
    with make_sessionmaker(engine)() as session:
        with session.begin():
            create_simulated_cohort(session, people=5_000, with_outcomes=True, seed=3)
        with session.begin():
            run = runs.run_now(session)
        for audience in ("commissioner", "evaluator"):
            html = render_html(runs.result_for(session, run.id, audience),
                               boroughs=boroughs_from_db(session))
            (folder / f"{audience}.html").write_text(html, encoding="utf-8")
            write_pdf(folder / f"{audience}.html", folder / f"{audience}.pdf")
            pages = PdfReader(folder / f"{audience}.pdf").pages
            out[audience] = (html, [page.extract_text(extraction_mode="layout")
                                    for page in pages])
    engine.dispose()
    return out


@pytest.mark.parametrize("audience", ["commissioner", "evaluator"])
def test_the_demo_report_prints_on_at_most_8_pages(printed, audience):
    _, pages = printed[audience]
    assert 1 < len(pages) <= MOST_PAGES


@pytest.mark.parametrize("audience", ["commissioner", "evaluator"])
def test_no_page_ends_with_a_heading(printed, audience):
    html, pages = printed[audience]
    parser = _Headings()
    parser.feed(html)
    headings = {_squash(t) for t in parser.texts if _squash(t)}
    for number, page in enumerate(pages[:-1], start=1):
        lines = [_squash(line) for line in page.splitlines() if line.strip()]
        assert lines, f"page {number} is empty"
        last = lines[-1]
        cut = [h for h in headings if h == last or (len(last) > 12 and h.startswith(last))]
        assert not cut, f"page {number} ends with the heading {cut[0]!r}"
