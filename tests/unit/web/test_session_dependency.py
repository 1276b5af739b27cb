"""A route takes the request's session one way: ``session: SessionDep`` from
``linkwell.web.deps``. Only that module names ``get_session``; a route that writes
``Depends(get_session)`` out, or an area that defines its own alias, is a second way."""

import re
from pathlib import Path

import linkwell

SRC = Path(linkwell.__file__).parent
DEPS = SRC / "web" / "deps.py"


def test_only_web_deps_names_get_session():
    others = [f"{path.relative_to(SRC)}:{number}"
              for path in sorted(SRC.rglob("*.py")) if path != DEPS
              for number, line in enumerate(path.read_text().splitlines(), 1)
              if re.search(r"\bget_session\b", line)]
    assert others == []
