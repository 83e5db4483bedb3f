"""The nightly job end to end, through the real `expansion demo` command; alerts go to a
local webhook that records every post. What happens when a night goes wrong - a failed
check, a killed run, a re-run, a reader during the run, two refreshes at once, a failing
webhook - is tested on a smaller company in tests/faults/."""

from __future__ import annotations

import duckdb
import pytest

from expansion.generator import GeneratorConfig
from expansion.ingest import RawZone, attach_raw_zone

pytestmark = pytest.mark.e2e


def query(database, sql: str):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def query_raw(data_dir, sql: str):
    """``sql`` over the data directory's raw zone, which DuckDB reads as ``raw.<source>``."""
    with duckdb.connect() as con:
        attach_raw_zone(con, RawZone(data_dir / "raw"))
        return con.execute(sql).fetchone()[0]


def outbox(database) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select dedupe_key, status, attempts from alerts.outbox order by dedupe_key"
        ).fetchall()


def test_first_refresh_publishes_marts_and_renders_the_overview(company):
    serving = company.data_dir / "serving.duckdb"
    accounts_loaded = query_raw(company.data_dir, "select count(*) from raw.accounts")
    rows_rejected = query_raw(
        company.data_dir,
        "select count(distinct (source, source_file, source_row_number)) from raw._rejects",
    )

    assert 0 < accounts_loaded <= GeneratorConfig().accounts
    assert query(serving, "select count(*) from marts.dim_accounts") == accounts_loaded
    assert rows_rejected > 0, "the generator plants defects; ingestion must reject them"
    assert f"rows rejected: {rows_rejected:,}" in company.first_refresh.stdout
    assert "serving database:" in company.first_refresh.stdout
    index = company.data_dir / "site" / "index.html"
    assert "Overview" in index.read_text()


def test_the_first_night_posts_each_alert_once_to_the_webhook(company):
    alerts = outbox(company.data_dir / "warehouse.duckdb")
    posted = company.first_night_posts

    assert alerts, "the demo company raises alerts on its last night"
    assert {(status, attempts) for _, status, attempts in alerts} == {("sent", 1)}
    assert len(posted) == len(alerts)
    assert len(set(posted)) == len(posted)
