"""The real London reference data from ../shared (skipped when it is not beside the project)."""

from xml.etree import ElementTree

import pytest

from linkwell.charts import choropleth
from linkwell.geo import borough_shapes, lookup_postcode, reference_counts
from linkwell.geo.loading import load_reference_data

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]


def test_load_shared_london_counts_and_a_known_postcode(engine, session_factory, shared_london):
    summary = load_reference_data(engine, shared_london)
    assert (summary.lsoas, summary.postcodes, summary.boroughs) == (4_835, 330_694, 33)
    again = load_reference_data(engine, shared_london)  # re-load replaces, never duplicates
    assert (again.lsoas, again.postcodes, again.boroughs) == (4_835, 330_694, 33)
    with session_factory() as session:
        assert reference_counts(session) == {"lsoas": 4_835, "postcodes": 330_694,
                                             "boroughs": 33}
        found = lookup_postcode(session, "se135aa")
        assert (found.postcode, found.lsoa11cd, found.lad_code, found.lad_name,
                found.imd_decile) == ("SE13 5AA", "E01003288", "E09000023", "Lewisham", 3)
        shapes = borough_shapes(session)
    assert len(shapes) == 33
    chart = choropleth(shapes, {}, chart_id="london", title="London boroughs", threshold=0,
                       below="below", above="above", value_heading="value")
    root = ElementTree.fromstring(str(chart.svg))
    assert len(root.findall("{http://www.w3.org/2000/svg}g/{http://www.w3.org/2000/svg}path")) == 33
