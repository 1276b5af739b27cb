"""Checking that listed websites still answer (network I/O; no database).

A directory whose links lead nowhere loses people's trust, so ``linkwell directory
check-links`` asks each service's website, once per address however many services list it,
and the administrator's data-quality page shows the ones that failed. Sites differ in what
they allow: a ``HEAD`` request is tried first (cheap), then ``GET`` where a site refuses
``HEAD``. Redirects are followed. Only a missing page, a server error or no answer at all
counts as broken; a site that asks for a sign-in still exists.
"""

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import httpx

TIMEOUT_S = 10.0
CONCURRENCY = 16
HEAD_REFUSED = {403, 405, 501}


@dataclass(frozen=True)
class LinkResult:
    url: str
    status_code: int | None
    problem: str | None  # None: the site answered


def verdict(status_code: int | None, error: str | None = None) -> str | None:
    """What is wrong with an answer, in words for an administrator, or ``None``."""
    if status_code is None:
        return f"The site could not be reached ({error or 'no answer'})"
    if status_code in (404, 410):
        return f"The page is not there any more ({status_code})"
    if status_code >= 500:
        return f"The site answered with an error ({status_code})"
    return None


def _check(client: httpx.Client, url: str) -> LinkResult:
    try:
        response = client.head(url)
        if response.status_code in HEAD_REFUSED:
            response = client.get(url)
    except httpx.TimeoutException:
        return LinkResult(url, None, verdict(None, f"no answer in {TIMEOUT_S:.0f} s"))
    except httpx.HTTPError as exc:
        return LinkResult(url, None, verdict(None, type(exc).__name__))
    return LinkResult(url, response.status_code, verdict(response.status_code))


def check_links(urls: Iterable[str], *, user_agent: str,
                progress: Callable[[], None] | None = None) -> dict[str, LinkResult]:
    """Each distinct address's result.

    Threads rather than asyncio: the waiting is on the network, and a thread pool works
    whether or not the caller already runs an event loop (a web worker, a browser test).
    """
    distinct = sorted(set(urls))
    results: dict[str, LinkResult] = {}
    limits = httpx.Limits(max_connections=CONCURRENCY)
    with httpx.Client(follow_redirects=True, timeout=TIMEOUT_S, limits=limits,
                      headers={"User-Agent": user_agent}) as client, \
            ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        for finished in as_completed([pool.submit(_check, client, url) for url in distinct]):
            result = finished.result()
            results[result.url] = result
            if progress:
                progress()
    return results
