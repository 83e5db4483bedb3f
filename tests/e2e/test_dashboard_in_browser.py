"""Every page of the demo company's site in Chromium, every account page included, as a
RevOps lead would open them; then the account finder used the way they would use it."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import duckdb
import pytest

from expansion.dashboards.audit import audit_site
from expansion.dashboards.browser import chromium, open_page, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def site(company) -> Path:
    return company.data_dir / "site"


def test_every_page_renders_whole(company, site, tmp_path, capsys):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    with duckdb.connect(str(company.data_dir / "serving.duckdb"), read_only=True) as con:
        active = con.execute("select count(*) from marts.dim_accounts where is_active").fetchone()[
            0
        ]
    account_pages = [p for p in pages if p.startswith("accounts/")]
    assert len(account_pages) >= active, "every active account has a page"

    started = time.monotonic()
    problems = audit_site(site, pages, tmp_path)
    with capsys.disabled():
        print(f"\n{len(pages)} pages checked in Chromium in {time.monotonic() - started:.0f} s")
    assert problems == {}


def test_the_finder_finds_filters_and_downloads(company, site, tmp_path):
    with duckdb.connect(str(company.data_dir / "serving.duckdb"), read_only=True) as con:
        name, segment = con.execute(
            "select account_name, segment from marts.expansion_scorecard "
            "order by readiness_rank desc limit 1"
        ).fetchone()
        part = name.split()[0][1:6].lower()  # part of the first word, not its start
        expected = {
            r[0]
            for r in con.execute(
                "select account_name from marts.expansion_scorecard "
                "where segment = ? and contains(lower(account_name), ?)",
                [segment, part],
            ).fetchall()
        }
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with serve(site) as base, chromium(tmp_path / "profile") as devtools:
        devtools.call("Page.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
        open_page(devtools, base + "scorecard/index.html", "'{}'")
        finder = "document.querySelectorAll('.data-table')[0]"
        devtools.evaluate(
            f"(() => {{ const s = {finder}.querySelector('input[type=search]');"
            f" s.value = {part!r}; s.dispatchEvent(new Event('input')); }})()"
        )
        found = devtools.evaluate(
            f"[...{finder}.querySelectorAll('tbody tr td:nth-child(2)')].map(td => td.textContent)"
        )
        assert name in found
        devtools.evaluate(
            "(() => { const s = document.querySelector('select[data-input=segment]');"
            f" s.value = {segment!r}; s.dispatchEvent(new Event('change')); }})()"
        )
        segments = devtools.evaluate(
            f"[...{finder}.querySelectorAll('tbody tr td:nth-child(3)')].map(td => td.textContent)"
        )
        assert set(segments) == {segment}
        devtools.evaluate(f"{finder}.querySelector('.table-download').click()")
        deadline = time.monotonic() + 30
        while not list(downloads.glob("*.csv")) and time.monotonic() < deadline:
            time.sleep(0.2)
    (download,) = downloads.glob("*.csv")
    rows = list(csv.DictReader(download.open(encoding="utf-8")))
    assert {r["Account"] for r in rows} == expected
    assert {r["Segment"] for r in rows} == {segment}
