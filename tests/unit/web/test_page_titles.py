"""The "Error: " that starts a page's title when its form has errors is added in one place,
``base.html``; a page that adds it again reads "Error: Error: ..." to a screen reader."""

import re
from pathlib import Path

import linkwell

SRC = Path(linkwell.__file__).parent


def test_base_html_alone_prefixes_error_to_the_title_of_a_page_with_errors():
    base = (SRC / "web" / "templates" / "base.html").read_text()
    assert "<title>{% if errors %}Error: {% endif %}" in base
    doubled = [str(path.relative_to(SRC)) for path in SRC.rglob("templates/**/*.html")
               if re.search(r"{%\s*block title\s*%}{%\s*if errors\s*%}Error:",
                            path.read_text())]
    assert doubled == []
