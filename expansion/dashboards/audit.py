"""What the browser tests check on every page of a rendered site, as one probe.

The probe runs in the page once it has loaded and returns the page's problems:
an error box, markup that was not rendered, a chart with nothing drawn, a table
wider than its column, an unformatted value (NaN, None, null, undefined, a raw
snake_case code, more than 4 decimals) in a table, a card, a chart's ticks or
legend, and every link, so that the caller can check the files behind them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

PROBE = (Path(__file__).parent / "audit_probe.js").read_text(encoding="utf-8")
"""Evaluated in a loaded page: its problems and links, as JSON."""


def broken_links(site: Path, base_url: str, links: list[str]) -> list[str]:
    """Links into the site whose file (or on-demand data file) does not exist."""
    broken = []
    for link in links:
        if not link.startswith(base_url):
            continue
        parts = urlsplit(link)
        target = site / unquote(parts.path[len(urlsplit(base_url).path) :])
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(link)
        elif parts.fragment:
            data = target.parent / "data" / f"{unquote(parts.fragment)}.js"
            if not data.is_file():
                broken.append(link)
    return broken


def foreign_requests(requests: list[str], base_url: str) -> list[str]:
    """Requests that leave the local site (data: and blob: URLs stay in the page)."""
    return [r for r in requests if not (r.startswith((base_url, "data:", "blob:")))]


def page_problems(site: Path, base_url: str, visit) -> list[str]:
    state = visit.state
    problems = list(state["problems"])
    problems += [f"JS error: {e}" for e in visit.errors]
    problems += [
        f"request to another host: {r}" for r in foreign_requests(visit.requests, base_url)
    ]
    problems += [f"broken link: {link}" for link in broken_links(site, base_url, state["links"])]
    return problems


def audit_site(
    site: Path, pages: list[str], profile: Path, workers: int = 2
) -> dict[str, list[str]]:
    """Open ``pages`` (paths under ``site``) in ``workers`` headless browsers, one tab each,
    and return the problems found per page (pages without problems are left out)."""
    from concurrent.futures import ThreadPoolExecutor

    from expansion.dashboards.browser import chromium, open_page, serve

    def check(share: list[str], index: int) -> dict[str, list[str]]:
        found = {}
        with chromium(profile / f"browser-{index}") as devtools:
            for page in share:
                visit = open_page(devtools, base + page, PROBE)
                if problems := page_problems(site, base, visit):
                    found[page] = problems
        return found

    with serve(site) as base, ThreadPoolExecutor(workers) as pool:
        shares = [pages[i::workers] for i in range(workers)]
        results = list(pool.map(check, shares, range(workers)))
    return {page: problems for result in results for page, problems in result.items()}
