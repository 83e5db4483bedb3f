"""Publishing replaces serving.duckdb atomically, in a format DuckDB 1.4 can read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from expansion.publish import (
    Publication,
    RecentWindow,
    publish_serving_database,
    recent_windows,
    replace_directory,
)

PUBLICATION = Publication(as_of_date=None, run_id="test-run")


def make_warehouse(path: Path, arr_values: list[int]) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.account_arr (account_id varchar, arr_usd integer)")
    con.executemany(
        "insert into marts.account_arr values (?, ?)",
        [(f"acc_{i}", value) for i, value in enumerate(arr_values)],
    )
    con.execute("create schema staging")
    con.execute("create table staging.not_published as select 1 as x")
    con.close()
    return path


def total_arr(serving: Path) -> int:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute("select sum(arr_usd) from marts.account_arr").fetchone()[0]


def test_publish_copies_only_the_marts_schema_and_records_the_run(tmp_path):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb", [100, 250])
    result = publish_serving_database(warehouse, tmp_path / "serving.duckdb", PUBLICATION)

    assert result.tables == ("account_arr",)
    assert result.rows == 2
    with duckdb.connect(str(result.path), read_only=True) as con:
        rows = con.execute("select schema_name from information_schema.schemata").fetchall()
        schemas = {s for (s,) in rows}
        run_id = con.execute("select run_id from marts.serving_publication").fetchone()[0]
    assert "staging" not in schemas
    assert run_id == "test-run"
    assert total_arr(result.path) == 350


def test_a_failed_publish_leaves_the_previous_version_in_place(tmp_path):
    serving = tmp_path / "serving.duckdb"
    publish_serving_database(make_warehouse(tmp_path / "w1.duckdb", [100]), serving, PUBLICATION)
    before = serving.read_bytes()

    empty = tmp_path / "w2.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="nothing to publish"):
        publish_serving_database(empty, serving, PUBLICATION)

    assert serving.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "publishing" in p.name] == []


def test_a_reader_holding_the_old_file_open_keeps_reading_it(tmp_path):
    serving = tmp_path / "serving.duckdb"
    publish_serving_database(make_warehouse(tmp_path / "w1.duckdb", [100]), serving, PUBLICATION)
    reader = duckdb.connect(str(serving), read_only=True)

    publish_serving_database(
        make_warehouse(tmp_path / "w2.duckdb", [500, 500]), serving, PUBLICATION
    )

    assert reader.execute("select sum(arr_usd) from marts.account_arr").fetchone()[0] == 100
    reader.close()
    assert total_arr(serving) == 1000


def test_a_leftover_temp_file_from_a_killed_run_is_discarded(tmp_path):
    serving = tmp_path / "serving.duckdb"
    (tmp_path / "serving.duckdb.publishing").write_bytes(b"half-written")
    publish_serving_database(make_warehouse(tmp_path / "w.duckdb", [7]), serving, PUBLICATION)
    assert total_arr(serving) == 7


@pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv to fetch a DuckDB 1.4 reader")
def test_duckdb_1_4_opens_the_serving_database(tmp_path):
    serving = tmp_path / "serving.duckdb"
    publish_serving_database(make_warehouse(tmp_path / "w.duckdb", [40, 2]), serving, PUBLICATION)
    reader = (
        "import duckdb, sys; "
        "con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(duckdb.__version__, con.execute('select sum(arr_usd) from marts.account_arr')"
        ".fetchone()[0])"
    )
    output = subprocess.run(
        [
            "uv",
            "run",
            "--no-project",
            "--isolated",
            "--with",
            "duckdb==1.4.1",
            "python",
            "-c",
            reader,
            str(serving),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert output == ["1.4.1", "42"]


def test_replace_directory_swaps_in_the_new_site(tmp_path):
    site, new = tmp_path / "site", tmp_path / "site.rendering"
    site.mkdir()
    (site / "index.html").write_text("old")
    new.mkdir()
    (new / "index.html").write_text("new")

    replace_directory(new, site)

    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_extra_tables_outside_the_marts_schema_are_published_under_their_serving_name(tmp_path):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb", [100])
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema alerts")
        con.execute("create table alerts.outbox as select 'k1' as dedupe_key, 'sent' as status")

    result = publish_serving_database(
        warehouse,
        tmp_path / "serving.duckdb",
        PUBLICATION,
        extra_tables={"alerts_outbox": "alerts.outbox"},
    )

    assert result.tables == ("account_arr", "alerts_outbox")
    with duckdb.connect(str(result.path), read_only=True) as con:
        assert con.execute("select status from marts.alerts_outbox").fetchall() == [("sent",)]


def test_a_daily_history_is_published_for_its_recent_days_only(tmp_path):
    warehouse = make_warehouse(tmp_path / "warehouse.duckdb", [100])
    with duckdb.connect(str(warehouse)) as con:
        # Days 2026-01-01 .. 2026-01-10; the last 3 days are 01-08, 01-09 and 01-10.
        con.execute(
            """
            create table marts.health_daily as
            select 'acc_0' as account_id, cast(d as date) as score_date
            from range(date '2026-01-01', date '2026-01-11', interval 1 day) as t(d)
            """
        )

    result = publish_serving_database(
        warehouse,
        tmp_path / "serving.duckdb",
        PUBLICATION,
        windows={"health_daily": RecentWindow(date_column="score_date", days=3)},
    )

    with duckdb.connect(str(result.path), read_only=True) as con:
        days = con.execute("select min(score_date), count(*) from marts.health_daily").fetchone()
        accounts = con.execute("select count(*) from marts.account_arr").fetchone()[0]
    assert (str(days[0]), days[1]) == ("2026-01-08", 3)
    assert accounts == 1  # a table without a window is published whole
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.health_daily").fetchone()[0] == 10


def test_recent_windows_come_from_the_models_serving_meta():
    manifest = {
        "nodes": {
            "model.expansion.health": {
                "resource_type": "model",
                "name": "health",
                "config": {"meta": {"serving": {"recent_days": 180, "date_column": "score_date"}}},
            },
            "model.expansion.scorecard": {
                "resource_type": "model",
                "name": "scorecard",
                "config": {"meta": {}},
            },
            "seed.expansion.bands": {"resource_type": "seed", "name": "bands", "config": {}},
        }
    }

    assert recent_windows(manifest) == {"health": RecentWindow("score_date", 180)}
