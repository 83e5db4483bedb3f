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
        active = con.execute(
            "select count(*) from marts.account_profiles where is_active"
        ).fetchone()[0]
    account_pages = [p for p in pages if p.startswith("accounts/")]
    assert len(account_pages) >= active, "every active account has a page"

    started = time.monotonic()
    audit = audit_site(site, pages, tmp_path)
    with capsys.disabled():
        print(
            f"\n{len(pages)} pages checked in Chromium in {time.monotonic() - started:.0f} s "
            f"({len(audit.drawn)} drawn with plotly.js, {len(audit.narrow)} at 800 px)"
        )
    assert audit.problems == {}
    # every kind of page, the account page included, opened at 800 px and drawn
    assert len(audit.narrow) == len(pages) - len(account_pages) + 1
    assert any(p.startswith("accounts/") for p in audit.drawn)


def test_the_finder_finds_filters_and_downloads(company, site, tmp_path):
    with duckdb.connect(str(company.data_dir / "serving.duckdb"), read_only=True) as con:
        # the least ready account: on the finder's last page until it is searched for
        name, segment = con.execute(
            "select account_name, segment from marts.expansion_scorecard "
            "order by readiness_rank desc limit 1"
        ).fetchone()
        part_of_name = name[1:-1].lower()  # neither its start nor its end
        # part of the first word, shared by many names: then narrowed by segment
        common_part = name.split()[0][1:6].lower()
        expected = [
            r[0]
            for r in con.execute(
                "select account_name from marts.expansion_scorecard "
                "where segment = ? and contains(lower(account_name), ?)",
                [segment, common_part],
            ).fetchall()
        ]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    finder = "document.querySelectorAll('.data-table')[0]"

    def search(text: str) -> None:
        devtools.evaluate(
            f"(() => {{ const s = {finder}.querySelector('input[type=search]');"
            f" s.value = {text!r}; s.dispatchEvent(new Event('input')); }})()"
        )

    def column(n: int) -> list[str]:
        return devtools.evaluate(
            f"[...{finder}.querySelectorAll('tbody tr td:nth-child({n})')]"
            ".map(td => td.textContent)"
        )

    with serve(site) as base, chromium(tmp_path / "profile") as devtools:
        devtools.call("Page.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
        open_page(devtools, base + "scorecard/index.html", "'{}'")
        assert name not in column(2), "the least ready account is not on the first page"
        search(part_of_name)
        found = column(2)
        assert name in found
        assert all(part_of_name in f.lower() for f in found)

        search(common_part)
        devtools.evaluate(
            "(() => { const s = document.querySelector('select[data-input=segment]');"
            f" s.value = {segment!r}; s.dispatchEvent(new Event('change')); }})()"
        )
        assert set(column(3)) == {segment}
        count = devtools.evaluate(f"{finder}.querySelector('.table-count').textContent")
        assert f"of {len(expected):,} matching rows" in count
        devtools.evaluate(f"{finder}.querySelector('.table-download').click()")
        deadline = time.monotonic() + 30
        while not list(downloads.glob("*.csv")) and time.monotonic() < deadline:
            time.sleep(0.2)
    (download,) = downloads.glob("*.csv")
    rows = list(csv.DictReader(download.open(encoding="utf-8")))
    assert sorted(r["Account"] for r in rows) == sorted(expected)
    assert {r["Segment"] for r in rows} == {segment}
