"""The browser audit: which pages each pass opens, and that it finds what a reader would
see wrong on a page, whether the page is navigated to or written in place."""

from __future__ import annotations

import textwrap

import pytest

from expansion.dashboards import render_site
from expansion.dashboards.audit import (
    PLOTLY,
    PROBE,
    audit_site,
    one_page_of_each_kind,
    page_problems,
    pages_drawing_every_chart,
)
from expansion.dashboards.browser import chromium, chromium_path, open_page, serve


def test_pages_drawing_every_chart_draws_each_signature_once():
    layouts = {
        "index.html": ["overview-bars"],
        "accounts/a/index.html": ["arr", "health"],
        "accounts/b/index.html": ["arr", "health"],
        "accounts/c/index.html": ["arr-two-points", "health"],
        "accounts/d/index.html": ["arr"],
        "checks/index.html": [],
    }
    assert pages_drawing_every_chart(layouts) == [
        "index.html",
        "accounts/a/index.html",
        "accounts/c/index.html",
    ]


def test_one_page_of_each_kind_is_the_first_rendered_from_each_page_file():
    kinds = {
        "index.html": "pages/index.md",
        "accounts/a/index.html": "pages/accounts/[account_id].md",
        "accounts/b/index.html": "pages/accounts/[account_id].md",
        "checks/index.html": "pages/checks.md",
    }
    assert one_page_of_each_kind(kinds) == [
        "index.html",
        "accounts/a/index.html",
        "checks/index.html",
    ]


WIDE_ROW = ", ".join(f"1234567890 as amount_{n:02}" for n in range(30))
BROKEN_PAGE = f"""\
---
title: Broken
---

# Broken

A token no line can break: `{"x" * 400}`. A link to [nowhere](/nowhere).

```sql missing
select * from serving.no_such_table
```

<DataTable data={{missing}}/>

```sql wide
select 'not_activated' as status, {WIDE_ROW}
```

<DataTable data={{wide}}/>

```sql nothing
select 'a' as step, cast(null as double) as value
```

<BarChart data={{nothing}} x=step y=value title="Nothing to draw"/>

```sql codes
select * from (values ('q1', 'mid_market', 1), ('q1', 'small_business', 2))
    as t(quarter, segment, accounts)
```

<BarChart data={{codes}} x=quarter y=accounts series=segment yFmt=num0 title="Raw codes"/>

```sql flat
select * from (values (date '2026-10-31', 1500000), (date '2026-11-30', 1500002))
    as t(month_end, arr_usd)
```

<LineChart data={{flat}} x=month_end y=arr_usd yFmt=usd1m title="Flat millions"/>
"""
# what a rendered page cannot hold from markdown, written into its HTML as a page might
# carry it: an image from another host and a script that fails
INJECTED = '<img src="http://127.0.0.2:8/logo.png" alt=""><script>notDefinedAnywhere();</script>'


@pytest.fixture
def broken_site(dashboards_dir, serving_db, tmp_path):
    if chromium_path() is None:
        pytest.skip("chromium is not installed (run scripts/install_system_packages.sh)")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "index.md").write_text((dashboards_dir / "pages" / "index.md").read_text())
    (pages / "broken.md").write_text(textwrap.dedent(BROKEN_PAGE))
    site = tmp_path / "site"
    render_site(pages, dashboards_dir / "sources", serving_db, site)
    broken = site / "broken" / "index.html"
    broken.write_text(broken.read_text().replace("</main>", INJECTED + "</main>"))
    return site


STRUCTURE = [
    "error box: ",
    "the page scrolls sideways by ",
    "empty chart: Nothing to draw",
    'a raw code in chart "Raw codes" legend: "mid_market"',
    'a raw code in chart "Raw codes" legend: "small_business"',
    "table 1 is ",  # 30 amounts at 1,400 px
    'a raw code in table 1: "not_activated"',
    "JS error: ReferenceError: notDefinedAnywhere is not defined",
    "JS error: Failed to load resource: net::ERR_CONNECTION_REFUSED",
    "request to another host: http://127.0.0.2:8/logo.png",
    "broken link: /nowhere/index.html",
]
"""What the first pass finds on the broken page without plotly.js."""


def found(problems: list[str], starts: list[str]) -> list[str]:
    return [start for start in starts if any(p.startswith(start) for p in problems)]


def test_a_page_written_in_place_shows_what_a_navigation_to_it_shows(broken_site, tmp_path):
    with serve(broken_site, served_empty=(PLOTLY,)) as base, chromium(tmp_path / "p") as devtools:
        open_page(devtools, base + "index.html", PROBE)
        in_place = open_page(devtools, base + "broken/index.html", PROBE, in_place=True)
        navigated = open_page(devtools, base + "broken/index.html", PROBE)
    assert in_place.url == navigated.url
    problems = page_problems(broken_site, base, in_place)
    assert found(problems, STRUCTURE) == STRUCTURE
    assert sorted(problems) == sorted(page_problems(broken_site, base, navigated))


def test_the_audit_draws_and_narrows_one_page_of_each_kind(broken_site, tmp_path):
    audit = audit_site(broken_site, ["index.html", "broken/index.html"], tmp_path, 1)

    assert audit.problems.keys() == {"broken/index.html"}
    problems = audit.problems["broken/index.html"]
    assert found(problems, STRUCTURE) == STRUCTURE
    # only plotly draws ticks: the pass with plotly.js found these
    repeated = 'repeated tick labels in chart "Flat millions": $1.5M, $1.5M'
    assert any(p.startswith(repeated) for p in problems)
    # at 800 px the wide table scrolls sideways with its first column pinned: accepted
    assert not any(p.startswith("at 800 px: table") for p in problems)
    assert any(p.startswith("at 800 px: the page scrolls sideways") for p in problems)
    assert audit.drawn == ["index.html", "broken/index.html"]
    assert audit.narrow == ["index.html", "broken/index.html"]
