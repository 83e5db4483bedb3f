"""The demo company's rendered overview in Chromium shows the serving database's numbers."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_the_overview_shows_the_published_accounts_and_arr(company, browse):
    with duckdb.connect(str(company.data_dir / "serving.duckdb"), read_only=True) as con:
        active_accounts, segments = con.execute(
            "select count(*), count(distinct segment) from marts.dim_accounts where is_active"
        ).fetchone()

    visit = browse(company.data_dir / "site" / "index.html", "demo-overview")

    assert visit.errors == []
    assert visit.state["drawn"]
    assert visit.state["bars"] == segments
    assert visit.state["bigValues"][0] == f"{active_accounts:,}"
