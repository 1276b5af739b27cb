"""Which addresses Linkwell will store and show as a link (pure; no I/O).

Addresses come from directory feeds, the API and forms, and end up in ``href`` attributes on
public pages, so one rule decides them all: a web page, an e-mail address or a telephone
number. ``javascript:``, ``data:`` and the rest are refused where they come in (the HSDS row
check every import and form goes through) and never rendered as a link (the ``link``
template filter), so a row written before the rule cannot become a script either.
"""

from urllib.parse import urlsplit

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SCHEMES_HINT = "a web address starting with https:// or http://, or a mailto: or tel: link"


def is_allowed_link(value: str | None) -> bool:
    if not value:
        return False
    try:
        scheme = urlsplit(value.strip()).scheme
    except ValueError:
        return False
    return scheme.lower() in LINK_SCHEMES


def link(value: str | None) -> str | None:
    """``value`` when it may be an ``href``, else None (so a template shows plain text)."""
    return value if is_allowed_link(value) else None
