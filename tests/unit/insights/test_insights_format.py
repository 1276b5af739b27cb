"""How the dashboard writes a figure: the evaluation report's way, rates as percentages."""

import pytest

from linkwell.evaluation.report import fmt
from linkwell.insights.web import _fmt


@pytest.mark.parametrize(("value", "key", "shown"), [
    (None, "", "–"), (None, "dna_rate", "–"), (True, "", "yes"), (False, "", "no"),
    (1234, "", "1,234"), (1234, "dna_rate", "1,234"), (1234.56, "", "1,234.6"),
    (0.256, "dna_rate", "26%"), (0.5, "share", "50%"), (0.25, "share_of_referred", "25%"),
    (0.256, "median_days", "0.3"), ("<10", "dna_rate", "<10"), ("c", "", "c"),
    ("Lewisham", "", "Lewisham"),
])
def test_a_figure_is_written_as_before(value, key, shown):
    assert _fmt(value, key) == shown


@pytest.mark.parametrize(("value", "shown"), [
    ("<10", "<10"), ("c", "c"), (None, "–"), (True, "yes"), (3, "3"), (2.25, "2.2"),
    ("text", "text")])
def test_the_report_writes_suppressed_figures_as_they_are(value, shown):
    assert fmt(value) == shown
