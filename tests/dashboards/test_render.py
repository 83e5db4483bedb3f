"""Rendering the site from a small serving database (see conftest for the numbers)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import expansion.dashboards.site as site_module
from expansion.dashboards import RenderIssue, render_site


@pytest.fixture
def render_repo_pages(dashboards_dir, serving_db):
    """Render the pinned pages from the fixture database into ``out``."""

    def render(out: Path, limit: int = 300):
        pages, sources = dashboards_dir / "pages", dashboards_dir / "sources"
        return render_site(pages, sources, serving_db, out, templated_limit=limit)

    return render


def write_pages(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def chart_specs(html: str) -> list[dict]:
    specs = re.findall(r'<script type="application/json" class="plot-spec">(.*?)</script>', html)
    return [json.loads(s) for s in specs]


def test_overview_shows_the_hand_computed_figures(render_repo_pages, tmp_path):
    report = render_repo_pages(tmp_path)
    assert report.ok, report.errors
    html = (tmp_path / "index.html").read_text()

    assert '<p class="big-value-title">Active accounts</p><p class="big-value-number">4</p>' in html
    assert '<p class="big-value-number">$242,500</p>' in html
    (bars,) = chart_specs(html)[0]["data"]
    assert bars["type"] == "bar"
    assert bars["x"] == ["Enterprise", "Mid-Market", "SMB"]
    assert bars["y"] == [200000, 30000, 12500]
    arr_cells = re.findall(r'<td class="num">(\$[\d,]+)</td>', html)
    assert arr_cells == ["$120,000", "$80,000", "$30,000", "$12,500"]
    assert "Umbrella" not in html


def test_data_is_escaped(render_repo_pages, tmp_path):
    render_repo_pages(tmp_path)
    html = (tmp_path / "index.html").read_text()
    assert "Hooli &lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x" not in html


def test_account_pages_beyond_the_limit_load_on_demand(render_repo_pages, tmp_path):
    report = render_repo_pages(tmp_path, limit=2)
    # the two largest accounts get pages of their own, titled by name; the other
    # three share one page that loads each from its data file
    assert sorted(report.pages) == [
        "accounts/A-001/index.html",
        "accounts/A-002/index.html",
        "accounts/[account_id]/index.html",
        "index.html",
    ]
    assert sorted(report.on_demand) == [
        "accounts/[account_id]/data/A-003.js",
        "accounts/[account_id]/data/A-004.js",
        "accounts/[account_id]/data/A-005.js",
    ]
    globex = (tmp_path / "accounts/A-002/index.html").read_text()
    assert "<title>Globex · Expansion revenue</title>" in globex
    assert "<h1>Globex</h1>" in globex
    assert '<p class="big-value-number">$80,000</p>' in globex
    assert '<td class="date">2023-01-02</td>' in globex  # a date does not wrap at its hyphens
    initech = (tmp_path / "accounts/[account_id]/data/A-003.js").read_text()
    assert initech.startswith('window.showOnDemandPage({"title":"Initech","body":"')
    assert "$30,000" in initech


def test_links_go_to_a_page_of_its_own_or_on_demand(render_repo_pages, tmp_path):
    render_repo_pages(tmp_path, limit=2)
    html = (tmp_path / "index.html").read_text()
    # the link column names the row: it is the one pinned when a narrow screen scrolls
    assert '<td class="pinned"><a href="accounts/A-001/index.html">Acme Corp</a></td>' in html
    assert '<td class="pinned"><a href="accounts/A-002/index.html">Globex</a></td>' in html
    initech = '<a href="accounts/%5Baccount_id%5D/index.html#A-003">Initech</a>'
    assert f'<td class="pinned">{initech}</td>' in html
    assert '<th class="pinned">Account</th><th>Segment</th>' in html


def test_templated_queries_run_once_for_all_pages_with_the_same_rows(
    dashboards_dir, serving_db, tmp_path, monkeypatch
):
    """The LATERAL batch gives every page the rows, order and limit its own query gives,
    and a query that reads an earlier one (twice) the rows it reads on its own page."""
    pages = write_pages(
        tmp_path / "pages",
        {
            "accounts/[account_id].md": """\
                ---
                pages_query: select account_id from serving.account_profiles order by account_id
                ---
                ```sql peers
                select peers.account_name, peers.current_arr_usd
                from serving.account_profiles as peers
                inner join serving.account_profiles as me
                    on me.segment = peers.segment and me.account_id = '${params.account_id}'
                order by peers.current_arr_usd desc
                limit 2
                ```

                ```sql per_owner
                select csm_owner, count(*) as accounts
                from serving.account_profiles
                where region = (select region from serving.account_profiles
                                where account_id = '${params.account_id}')
                group by csm_owner
                order by accounts desc, csm_owner
                ```

                ```sql largest_peer
                select peers.account_name, peers.current_arr_usd
                from serving.account_profiles as peers
                inner join serving.account_profiles as me
                    on me.segment = peers.segment and me.account_id = '${params.account_id}'
                order by peers.current_arr_usd desc
                limit 1
                ```

                ```sql largest_peer_facts
                select 'Largest peer' as fact, account_name as fact_value from ${largest_peer}
                union all
                select 'Its ARR', cast(current_arr_usd as varchar) from ${largest_peer}
                order by fact desc
                ```

                <DataTable data={peers} rows=all/>
                <DataTable data={per_owner} rows=all/>
                <DataTable data={largest_peer_facts} rows=all/>
                """
        },
    )
    batched = render_site(pages, dashboards_dir / "sources", serving_db, tmp_path / "batched")
    monkeypatch.setattr(site_module, "BATCH_PAGES", 1)  # each page's queries on their own
    one_by_one = render_site(pages, dashboards_dir / "sources", serving_db, tmp_path / "single")
    assert batched.ok and one_by_one.ok
    acme = (tmp_path / "batched/accounts/A-001/index.html").read_text()
    # Enterprise peers of Acme, largest first, two of them
    peers = re.findall(r'<td class="pinned">(Acme Corp|Globex|Initech)</td>', acme)
    assert peers == ["Acme Corp", "Globex"]
    assert '<td class="pinned">Largest peer</td><td>Acme Corp</td>' in acme
    assert '<td class="pinned">Its ARR</td><td>120000' in acme
    for account in ("A-002", "A-003", "A-004", "A-005"):
        batch_page = (tmp_path / f"batched/accounts/{account}/index.html").read_text()
        single_page = (tmp_path / f"single/accounts/{account}/index.html").read_text()
        assert batch_page == single_page


def test_batches_grow_once_there_would_be_more_than_sixteen():
    assert site_module.batch_size(9_281) == 1000  # 10,000 accounts: 10 batches
    assert site_module.batch_size(16_000) == 1000
    assert site_module.batch_size(16_001) == 1001  # 16 batches
    assert site_module.batch_size(92_186) == 5_762  # 100,000 accounts: 16 batches
    assert site_module.batch_size(5, fewest=1) == 1


def test_pages_are_shared_among_workers_in_whole_batches():
    # 100,000 accounts' pages less the ones not shown: 93 batches of 1,000, 46 and 47
    assert site_module.page_shares(92_186, 1000, 2) == [range(0, 46_000), range(46_000, 92_186)]
    assert site_module.page_shares(999, 1000, 2) == [range(0, 999)]  # one batch: not split
    assert site_module.page_shares(5, 1, 3) == [range(0, 1), range(1, 3), range(3, 5)]
    assert site_module.page_shares(0, 1000, 2) == [range(0, 0)]


def test_workers_render_the_same_site_as_one_process(
    dashboards_dir, serving_db, tmp_path, monkeypatch
):
    """Five account pages in batches of one, shared by three processes: two pages of
    their own, three on demand with their shell (written by the last share), every file
    byte for byte what one process writes, and the same report."""
    monkeypatch.setattr(site_module, "BATCH_PAGES", 1)
    pages, sources = dashboards_dir / "pages", dashboards_dir / "sources"
    alone = render_site(pages, sources, serving_db, tmp_path / "alone", 2)
    shared = render_site(pages, sources, serving_db, tmp_path / "shared", 2, workers=3)

    assert shared == alone and alone.ok
    assert len(alone.on_demand) == 3
    files = sorted(p.relative_to(tmp_path / "alone") for p in (tmp_path / "alone").rglob("*"))
    assert files == sorted(
        p.relative_to(tmp_path / "shared") for p in (tmp_path / "shared").rglob("*")
    )
    for file in files:
        if (tmp_path / "alone" / file).is_file():
            alone_bytes = (tmp_path / "alone" / file).read_bytes()
            assert (tmp_path / "shared" / file).read_bytes() == alone_bytes, file


def test_a_worker_that_fails_fails_the_render(dashboards_dir, serving_db, tmp_path, monkeypatch):
    """A share's process that exits non-zero stops the render with its pages and output
    (a page or query error would be on the page; this is the machine failing)."""
    failing_python = tmp_path / "python"
    failing_python.write_text("#!/bin/sh\necho 'No space left on device'\nexit 3\n")
    failing_python.chmod(0o755)
    monkeypatch.setattr(site_module, "BATCH_PAGES", 1)
    monkeypatch.setattr(sys, "executable", str(failing_python))
    pages, sources = dashboards_dir / "pages", dashboards_dir / "sources"

    with pytest.raises(RuntimeError) as failure:
        render_site(pages, sources, serving_db, tmp_path / "site", 2, workers=2)
    assert str(failure.value) == (
        "rendering pages 2-4 of accounts/[account_id].md failed (exit 3):\n"
        "No space left on device\n"
    )


def test_a_dropdown_filters_the_rows_of_the_queries_that_read_it(
    dashboards_dir, serving_db, tmp_path
):
    pages = write_pages(
        tmp_path / "pages",
        {
            "index.md": """\
                ```sql segments
                select distinct segment from serving.account_profiles order by segment
                ```

                <Dropdown name=segment data={segments} value=segment title="Segment">
                    <DropdownOption value="%" valueLabel="All segments"/>
                </Dropdown>

                ```sql accounts
                select account_name, segment from serving.account_profiles
                where segment like '${inputs.segment.value}'
                order by account_name
                ```

                <DataTable data={accounts} search=true/>
                """
        },
    )
    report = render_site(pages, dashboards_dir / "sources", serving_db, tmp_path / "site")
    assert report.ok, report.errors
    html = (tmp_path / "site/index.html").read_text()
    assert '<option value="%" selected>All segments</option>' in html
    assert '<option value="SMB">SMB</option>' in html
    (payload,) = re.findall(r'class="table-data">(.*?)</script>', html)
    table = json.loads(payload)
    # every row is sent; the browser keeps those of the chosen segment
    assert len(table["rows"]) == 5
    assert table["filters"] == [
        {
            "input": "segment",
            "values": ["Enterprise", "Enterprise", "SMB", "Mid-Market", "SMB"],
        }
    ]


def test_site_has_one_local_plotly_shared_by_relative_path(render_repo_pages, tmp_path):
    render_repo_pages(tmp_path)
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("plotly*")] == [
        Path("assets/plotly.min.js")
    ]
    assert '<script src="assets/plotly.min.js"></script>' in (tmp_path / "index.html").read_text()
    for page in tmp_path.rglob("*.html"):
        assert "://" not in re.sub(
            r"<script type=\"application/json\".*?</script>", "", page.read_text()
        )


def test_failing_query_is_shown_and_reported(dashboards_dir, serving_db, tmp_path):
    pages = write_pages(
        tmp_path / "pages",
        {
            "index.md": """\
                # Broken

                ```sql missing
                select * from serving.no_such_mart
                ```

                <BigValue data={missing} value=x/>
                """
        },
    )
    report = render_site(pages, dashboards_dir / "sources", serving_db, tmp_path / "site")

    (issue,) = report.errors
    assert (issue.page, issue.query) == ("index.md", "missing")
    assert "no_such_mart" in issue.message
    html = (tmp_path / "site/index.html").read_text()
    assert "Query missing failed on page index.md" in html
    assert "Catalog Error" in html and "no_such_mart" in html
    assert "its query missing failed (see above)" in html


def test_component_problems_are_shown_and_reported(dashboards_dir, serving_db, tmp_path):
    pages = write_pages(
        tmp_path / "pages",
        {
            "index.md": """\
                ```sql accounts
                select segment from serving.account_profiles
                ```

                <BarChart data={accounts} x=segment y=arr_usd/>
                <DataTable data={nothing}/>
                <Funnel data={accounts}/>
                """
        },
    )
    report = render_site(pages, dashboards_dir / "sources", serving_db, tmp_path / "site")

    messages = [issue.message for issue in report.errors]
    assert "column 'arr_usd' is not in the result (segment)" in messages
    assert "<DataTable>: no query named nothing above it on this page" in messages
    assert messages[2].startswith("<Funnel> is not supported offline")
    assert (tmp_path / "site/index.html").read_text().count('class="error"') == 3


def test_params_are_bound_and_escaped(dashboards_dir, serving_db, tmp_path):
    pages = write_pages(
        tmp_path / "pages",
        {
            "people/[name].md": """\
                ---
                pages_query: select 'O''Brien *<&>*' as name
                ---
                # {params.name}

                ```sql echo
                select '${params.name}' as name, length('${params.name}') as name_length
                ```

                <BigValue data={echo} value=name_length/>
                """
        },
    )
    report = render_site(pages, dashboards_dir / "sources", serving_db, tmp_path / "site")

    assert report.ok, report.errors
    assert report.pages == ("people/O%27Brien%20%2A%3C%26%3E%2A/index.html",)
    html = (tmp_path / "site" / report.pages[0]).read_text()
    assert "<h1>O&#39;Brien *&lt;&amp;&gt;*</h1>" in html
    assert '<p class="big-value-number">13</p>' in html


def test_templated_page_needs_its_pages_query(dashboards_dir, serving_db, tmp_path):
    pages = write_pages(tmp_path / "pages", {"accounts/[account_id].md": "# {params.account_id}"})
    report = render_site(pages, dashboards_dir / "sources", serving_db, tmp_path / "site")
    assert report.pages == ()
    assert report.errors == (
        RenderIssue(
            "accounts/[account_id].md",
            "pages_query",
            "a templated page needs `pages_query` in its frontmatter",
        ),
    )


def test_broken_source_file_is_reported(dashboards_dir, serving_db, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(dashboards_dir / "sources", sources)
    (sources / "serving" / "ghost.sql").write_text("select * from marts.ghost")
    report = render_site(dashboards_dir / "pages", sources, serving_db, tmp_path / "site", 1)
    (issue,) = report.errors
    assert (issue.page, issue.query) == ("sources/serving/ghost.sql", "ghost")
    assert "marts.ghost" in issue.message
    assert str(issue).startswith("sources/serving/ghost.sql: query ghost: Catalog Error")


def test_rendering_while_another_process_reads_the_database(
    render_repo_pages, serving_db, tmp_path
):
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print(con.execute('select count(*) from marts.account_profiles').fetchone()[0], "
            "flush=True); sys.stdin.read()",
            str(serving_db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "5"
        report = render_repo_pages(tmp_path / "site")
        assert report.ok, report.errors
        assert reader.poll() is None, "the reader should still hold the database open"
    finally:
        reader.communicate("", timeout=30)


@pytest.mark.parametrize("name", ["index.html", "accounts/A-001/index.html"])
def test_every_page_has_the_navigation(render_repo_pages, tmp_path, name):
    render_repo_pages(tmp_path)
    html = (tmp_path / name).read_text()
    href = "index.html" if name == "index.html" else "../../index.html"
    assert f'<a href="{href}"' in html and ">Overview</a>" in html


def test_prose_rendered_once_for_a_template_keeps_each_pages_links_and_values():
    """The markdown of a prose block is rendered once and reused, its values held out:
    a page at another depth still links from where it is, and gets its own values."""
    text = "Back to [the book](/accounts) for **{params.account_id}**."
    top = site_module.render_prose(
        text, {"account_id": "A-1"}, {}, lambda href: "accounts/index.html"
    )
    deep = site_module.render_prose(
        text, {"account_id": "B<2"}, {}, lambda href: "../../accounts/index.html"
    )
    assert top == (
        '<p>Back to <a href="accounts/index.html">the book</a> for <strong>A-1</strong>.</p>'
    )
    assert deep == (
        '<p>Back to <a href="../../accounts/index.html">the book</a> for '
        "<strong>B&lt;2</strong>.</p>"
    )
