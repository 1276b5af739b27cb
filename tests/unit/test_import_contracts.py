"""The import-linter contracts in pyproject.toml fail the build when broken (issue #15).

Each case copies ``src/linkwell`` to a temporary directory, breaks one contract there and runs
``lint-imports`` on the copy with the project's own configuration.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tmp_path: Path, module: str | None, line: str | None) -> subprocess.CompletedProcess:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "linkwell", src / "linkwell",
                    ignore=shutil.ignore_patterns("__pycache__", "templates", "static",
                                                  "styles", "data", "definitions"))
    if module:
        path = src / Path(*module.split(".")).with_suffix(".py")
        path.write_text(path.read_text() + f"\n{line}\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_contracts_hold_on_the_source_as_it_is(tmp_path):
    result = _lint(tmp_path, None, None)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("linkwell.referrals.domain", "import sqlalchemy  # noqa", "Pure domain modules"),
    ("linkwell.outcomes.scoring", "from linkwell.outcomes import models  # noqa",
     "Pure domain modules"),
    ("linkwell.referrals.pages", "from sqlalchemy import select  # noqa", "Web modules"),
    ("linkwell.geo.distance", "from linkwell.referrals import domain  # noqa",
     "audit, geo and codes are the foundation"),
    ("linkwell.auth.policy", "from linkwell.referrals import models  # noqa",
     "Areas depend only downwards"),
    ("linkwell.advice.spotting", "from linkwell.advice import training  # noqa",
     "Advice triage scores with NumPy alone"),
])
def test_breaking_a_contract_fails_the_build(tmp_path, module, line, contract):
    result = _lint(tmp_path, module, line)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(contract in row for row in broken) or contract in result.stdout, result.stdout
