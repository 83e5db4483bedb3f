"""The fixture site in a real browser: every page whole, and a page that loads on demand."""

from __future__ import annotations

import json

import pytest

from expansion.dashboards import render_site
from expansion.dashboards.audit import audit_site
from expansion.dashboards.browser import chromium, chromium_path, open_page, serve

pytestmark = pytest.mark.browser

STATE = """JSON.stringify({
    title: document.title,
    h1: document.querySelector("h1") && document.querySelector("h1").textContent,
    bigValues: [...document.querySelectorAll(".big-value-number")].map(e => e.textContent),
    bars: document.querySelectorAll(".chart .barlayer .point").length,
    tableRows: [...document.querySelectorAll(".data-table tbody tr")].map(r => r.textContent),
})"""


@pytest.fixture
def site(dashboards_dir, serving_db, tmp_path):
    if chromium_path() is None:
        pytest.skip("chromium is not installed (run scripts/install_system_packages.sh)")
    out = tmp_path / "site"
    report = render_site(dashboards_dir / "pages", dashboards_dir / "sources", serving_db, out, 2)
    assert report.ok, report.errors
    return out


def test_every_page_is_whole(site, tmp_path):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert audit_site(site, pages, tmp_path / "profiles").problems == {}


def test_overview_draws_its_chart(site, tmp_path):
    with serve(site) as base, chromium(tmp_path / "profile") as devtools:
        visit = open_page(devtools, base + "index.html", STATE)
    assert visit.errors == []
    assert visit.state["title"] == "Overview · Expansion revenue"
    assert visit.state["bars"] == 3
    assert visit.state["bigValues"] == ["4", "$242,500"]
    assert len(visit.state["tableRows"]) == 4


def test_an_account_beyond_the_limit_loads_on_demand(site, tmp_path):
    with serve(site) as base, chromium(tmp_path / "profile") as devtools:
        visit = open_page(devtools, base + "index.html", "'{}'")
        # follow the overview's link to Initech, the third account by ARR
        devtools.events.clear()
        devtools.evaluate(
            "[...document.querySelectorAll('a')].find(a => a.textContent === 'Initech').click()"
        )
        devtools.wait_for_event("Page.loadEventFired")
        devtools.evaluate("new Promise(r => setTimeout(r, 300))")
        state = json.loads(devtools.evaluate(STATE))
        missing = open_page(
            devtools,
            base + "accounts/%5Baccount_id%5D/index.html#A-999",
            "JSON.stringify(document.querySelector('main').textContent)",
        )
    assert visit.errors == []
    assert state["title"] == "Initech · Expansion revenue"
    assert state["h1"] == "Initech"
    assert state["bigValues"] == ["$30,000"]
    assert "Mid-Market" in state["tableRows"][0]
    assert 'No page for "A-999".' in missing.state
