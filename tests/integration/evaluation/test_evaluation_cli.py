"""``linkwell evaluate`` end to end on files: simulate, evaluate, JSON/HTML/PDF."""

import json
import shutil

import pandas as pd
import pytest

from conftest import invoke_cli
from linkwell.errors import InvalidInput


@pytest.fixture
def evaluate(monkeypatch):
    """``linkwell evaluate ARGS``: no database, only files."""
    return lambda *args: invoke_cli(monkeypatch, "evaluate", *args)


@pytest.fixture
def files(tmp_path, shared_london, evaluate):
    lsoa = tmp_path / "lsoa2011.csv"
    shutil.copy(shared_london / "lsoa2011.csv", lsoa)
    result = evaluate("simulate", "--people", "800", "--comparison", "200",
                      "--out", str(tmp_path / "in"), "--lsoa", str(lsoa))
    assert result.exit_code == 0, result.output
    return tmp_path


def _args(tmp, *extra):
    d = tmp / "in"
    return ["--people", str(d / "people.csv"),
            "--measurements", str(d / "measurements.csv"), "--lsoa", str(tmp / "lsoa2011.csv"),
            *extra]


@pytest.mark.slow
@pytest.mark.shared_data
def test_evaluate_cli_writes_json_and_html(evaluate, files, shared_london):
    d = files / "in"
    result = evaluate(*_args(
        files, "--comparison", str(d / "comparison.csv"), "--funding", str(d / "funding.csv"),
        "--services", str(d / "services.csv"), "--capacity", str(d / "capacity.csv"),
        "--boroughs", str(shared_london / "boroughs.geojson"), "--audience", "public",
        "--json", str(files / "out.json"), "--html", str(files / "report.html"), "--no-psm"))

    assert result.exit_code == 0, result.output
    out = json.loads((files / "out.json").read_text())
    assert out["audience"] == "public"
    assert {"reach", "outcomes", "attrition", "comparison", "cost"} <= set(out)
    assert out["outcomes"]["wemwbs"]["n_paired"] % 5 == 0
    html = (files / "report.html").read_text()
    assert "Referrals per 1,000 residents by borough" in html  # the choropleth


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.browser
def test_evaluate_cli_writes_pdf(evaluate, files):
    result = evaluate(*_args(files, "--json", str(files / "out.json"), "--pdf",
                             str(files / "report.pdf"), "--no-psm"))

    assert result.exit_code == 0, result.output
    assert (files / "report.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.shared_data
def test_evaluate_cli_bad_file_names_file_row_column(evaluate, files):
    people = files / "in" / "people.csv"
    frame = pd.read_csv(people, dtype=str, keep_default_na=False)
    frame.loc[4, "age"] = "old"
    frame.to_csv(people, index=False)
    result = evaluate(*_args(files, "--json", str(files / "out.json")))

    assert result.exit_code != 0
    assert isinstance(result.exception, InvalidInput)
    assert "people.csv row 6, column 'age'" in result.exception.detail
    assert not (files / "out.json").exists()  # nothing half-written
