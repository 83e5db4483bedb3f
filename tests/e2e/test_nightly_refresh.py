"""The nightly job end to end, through the real `expansion demo` and `expansion refresh`
commands; alerts go to a local webhook that records every post."""

from __future__ import annotations

import os
import signal

import duckdb
import pytest

from expansion.generator import GeneratorConfig

pytestmark = pytest.mark.e2e


def query(database, sql: str):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def outbox(database) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select dedupe_key, status, attempts from alerts.outbox order by dedupe_key"
        ).fetchall()


def test_first_refresh_publishes_marts_and_renders_the_overview(company):
    warehouse = company.data_dir / "warehouse.duckdb"
    serving = company.data_dir / "serving.duckdb"
    accounts_loaded = query(warehouse, "select count(*) from raw.accounts")
    rows_rejected = query(
        warehouse,
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


def test_an_error_level_check_keeps_the_last_published_version(
    company_copy, refresh, session_webhook
):
    serving = company_copy.data_dir / "serving.duckdb"
    before = serving.read_bytes()
    posts_before = len(session_webhook.received)
    # A billing export in which every line ends the day it starts breaks an error-level check.
    subscriptions = company_copy.landing / "subscriptions" / "subscriptions.csv"
    header, *rows = subscriptions.read_text().splitlines()
    columns = header.split(",")
    start, end = columns.index("start_date"), columns.index("end_date")
    broken = []
    for row in rows:
        values = row.split(",")
        values[end] = values[start]
        broken.append(",".join(values))
    subscriptions.write_text("\n".join([header, *broken]) + "\n")

    result = refresh(company_copy)

    assert result.returncode == 1
    assert "raw_subscriptions_integrity" in result.stdout
    assert "NOT PUBLISHED (kept the last published version)" in result.stdout
    assert serving.read_bytes() == before
    assert len(session_webhook.received) == posts_before, "no alert goes out on a failed night"


def test_a_refresh_killed_half_way_leaves_serving_intact_and_a_rerun_completes(
    company_copy, refresh, start_refresh
):
    serving = company_copy.data_dir / "serving.duckdb"
    before = serving.read_bytes()
    # Forget what was loaded, so that ingestion and dbt really run again.
    (company_copy.data_dir / "warehouse.duckdb").unlink()

    process = start_refresh(company_copy)
    for line in process.stdout:
        if "stg_" in line:  # ingestion done, dbt has built its first staging models
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL
    assert serving.read_bytes() == before
    rerun = refresh(company_copy)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr


def test_rerunning_the_night_loads_and_sends_nothing_twice_and_does_not_block_a_reader(
    company_copy, refresh, session_webhook
):
    warehouse = company_copy.data_dir / "warehouse.duckdb"
    serving = company_copy.data_dir / "serving.duckdb"
    usage_rows_before = query(warehouse, "select count(*) from raw.usage_daily")
    outbox_before = outbox(warehouse)
    posts_before = len(session_webhook.received)
    reader = duckdb.connect(str(serving), read_only=True)
    published_before = reader.execute(
        "select published_at from marts.serving_publication"
    ).fetchone()[0]

    again = refresh(company_copy, timeout=600)

    assert again.returncode == 0, again.stdout + again.stderr
    assert "rows loaded: 0 " in again.stdout
    assert query(warehouse, "select count(*) from raw.usage_daily") == usage_rows_before
    assert outbox(warehouse) == outbox_before
    assert len(session_webhook.received) == posts_before
    # The reader still sees the complete version it opened...
    assert reader.execute("select count(*) from marts.dim_accounts").fetchone()[0] > 0
    reader.close()
    # ...and a new reader sees the new publication.
    assert query(serving, "select published_at from marts.serving_publication") > published_before
