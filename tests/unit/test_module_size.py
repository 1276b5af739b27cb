"""No module in ``src/`` grows past what a newcomer reads in one sitting (issue #15)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MOST_LINES = 600


def test_no_module_in_src_is_over_600_lines():
    long = {str(path.relative_to(ROOT)): lines
            for path in (ROOT / "src").rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES}
    assert long == {}
