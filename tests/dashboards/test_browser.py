"""The overview page in a real browser: it loads, its chart is drawn, no console errors."""

from __future__ import annotations

import pytest

from expansion.dashboards import render_site

pytestmark = pytest.mark.browser


def test_overview_draws_its_chart_in_chromium(dashboards_dir, serving_db, tmp_path, browse):
    site = tmp_path / "site"
    report = render_site(dashboards_dir / "pages", dashboards_dir / "sources", serving_db, site)
    assert report.ok, report.errors

    visit = browse(site / "index.html", "overview")

    assert visit.state == {
        "title": "Overview · Expansion revenue",
        "plots": 1,
        "drawn": True,
        "bars": 3,
        "bigValues": ["4", "$242,500"],
        "tableRows": 4,
    }
    assert visit.errors == []
    assert visit.screenshot.read_bytes().startswith(b"\x89PNG")
