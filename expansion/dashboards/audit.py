"""What the browser tests check on every page of a rendered site, as one probe.

The probe runs in the page once it has loaded and returns the page's problems:
an error box, markup that was not rendered, a page that scrolls sideways, a chart
with nothing to draw (or, with plotly.js loaded, nothing drawn), a table wider
than its column, an unformatted value (NaN, None, null, undefined, a raw
snake_case code, more than 4 decimals) in a table, a card, a chart's legend,
category ticks or labels, and every link, so that the caller can check the files
behind them.

``audit_site`` works in three passes (docs/dashboards.md, "The browser audit: three
passes"):

1. every page at 1,400 px with plotly.js served empty, each written in place into
   its tab's open document after the first (``browser.WRITE_IN_PLACE``): all of the
   above except what only plotly draws, checked from each chart's own JSON; the
   probe also returns each chart's *layout signature* and the page's kind (its
   page file);
2. with plotly.js, at 1,400 px, the fewest pages that draw every distinct chart
   signature at least once (every page of its own kind, one account page for all
   account charts that only differ in their data);
3. with plotly.js, at 800 px, one page of each kind.

Charts of pages rendered from one template share their layout, reference marks,
tick formats and series kinds: what differs is the data, which pass 1 checks on
every page. Drawing one chart per signature proves the rest without loading
4.7 MB of plotly.js into each of a thousand account pages.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROBE = (Path(__file__).parent / "audit_probe.js").read_text(encoding="utf-8")
"""Evaluated in a loaded page: its problems, links, chart signatures and kind, as JSON."""

PLOTLY = "assets/plotly.min.js"
WIDE, NARROW = 1400, 800


@dataclass
class Audit:
    """Problems per page (pages without problems left out), and what each pass opened."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    drawn: list[str] = field(default_factory=list)
    """Opened again with plotly.js at 1,400 px: one page per distinct chart signature."""
    narrow: list[str] = field(default_factory=list)
    """Opened again with plotly.js at 800 px: one page of each kind."""

    def add(self, page: str, problems: list[str], width: int) -> None:
        """Record the problems one pass found on ``page``; at 800 px only those not found
        at 1,400 px, prefixed ``at 800 px:``."""
        known = self.problems.setdefault(page, [])
        for problem in problems:
            text = problem if width == WIDE else f"at {width} px: {problem}"
            if problem not in known and text not in known:
                known.append(text)
        if not known:
            del self.problems[page]


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
    """The probe's problems, JS errors (their first line), foreign requests and broken
    links, with addresses in the site written from its root (``/nowhere/index.html``)."""
    state = visit.state
    problems = list(state["problems"])
    problems += [f"JS error: {e.splitlines()[0]}" for e in visit.errors]
    problems += [
        f"request to another host: {r}" for r in foreign_requests(visit.requests, base_url)
    ]
    problems += [f"broken link: {link}" for link in broken_links(site, base_url, state["links"])]
    return [problem.replace(base_url, "/") for problem in problems]


def pages_drawing_every_chart(layouts: dict[str, list[str]]) -> list[str]:
    """The first page (in the given order) of each chart signature no earlier page drew."""
    seen: set[str] = set()
    chosen = []
    for page, signatures in layouts.items():
        if not seen.issuperset(signatures):
            chosen.append(page)
            seen.update(signatures)
    return chosen


def one_page_of_each_kind(kinds: dict[str, str]) -> list[str]:
    """The first page (in the given order) rendered from each page file."""
    first: dict[str, str] = {}
    for page, kind in kinds.items():
        first.setdefault(kind, page)
    return list(first.values())


def audit_site(site: Path, pages: list[str], profile: Path, workers: int = 2) -> Audit:
    """Audit ``pages`` (paths under ``site``) in ``workers`` headless browsers, one tab
    each, in the three passes of the module docstring."""
    audit = Audit()
    layouts: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for page, visit_problems, state in _open_all(
        site, pages, profile / "structure", workers, WIDE, with_plotly=False
    ):
        audit.add(page, visit_problems, WIDE)
        layouts[page], kinds[page] = state["layouts"], state["kind"]
    audit.drawn = pages_drawing_every_chart(layouts)
    audit.narrow = one_page_of_each_kind(kinds)
    for chosen, width in ((audit.drawn, WIDE), (audit.narrow, NARROW)):
        for page, visit_problems, _ in _open_all(
            site, chosen, profile / f"drawn-{width}", workers, width, with_plotly=True
        ):
            audit.add(page, visit_problems, width)
    return audit


def _open_all(
    site: Path, pages: list[str], profile: Path, workers: int, width: int, with_plotly: bool
) -> list[tuple[str, list[str], dict]]:
    from expansion.dashboards.browser import chromium, open_page, serve

    def check(share: list[str], index: int) -> list[tuple[str, list[str], dict]]:
        if not share:
            return []
        found = []
        with chromium(profile / f"browser-{index}", width=width) as devtools:
            for n, page in enumerate(share):
                in_place = not with_plotly and n > 0
                visit = open_page(devtools, base + page, PROBE, in_place=in_place)
                found.append((page, page_problems(site, base, visit), visit.state))
        return found

    served_empty = () if with_plotly else (PLOTLY,)
    with serve(site, served_empty=served_empty) as base, ThreadPoolExecutor(workers) as pool:
        shares = [pages[i::workers] for i in range(workers)]
        results = list(pool.map(check, shares, range(workers)))
    by_page = {page: (page, problems, state) for r in results for page, problems, state in r}
    return [by_page[page] for page in pages]
