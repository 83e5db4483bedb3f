"""The warehouse file's marts and seeds as views over Spark's Parquet tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from expansion.publish import Publication, publish_serving_database
from expansion.spark_marts import (
    drop_spark_views,
    expose_spark_tables,
    parquet_view_sql,
    spark_table_folders,
)


def spark_warehouse(root: Path) -> Path:
    """Spark's layout: <schema>.db/<table>/ with part files, a partitioned table's files
    in <column>=<value>/ folders, and a _SUCCESS marker beside them."""
    warehouse = root / "warehouse"
    with duckdb.connect() as con:
        accounts = warehouse / "marts.db" / "account_profiles"
        accounts.mkdir(parents=True)
        con.execute(
            f"copy (select 'acc_' || i as account_id, i * 100 as arr_usd from range(3) t(i)) "
            f"to '{accounts}/part-00000.snappy.parquet'"
        )
        (accounts / "_SUCCESS").touch()
        health = warehouse / "marts.db" / "account_health_daily"
        health.mkdir(parents=True)
        con.execute(
            "copy (select 'acc_1' as account_id, 70 as health_score, "
            "date '2026-11-20' + i::int as score_date from range(2) t(i)) "
            f"to '{health}' (format parquet, partition_by (score_date))"
        )
        bands = warehouse / "seeds.db" / "health_score_bands"
        bands.mkdir(parents=True)
        con.execute(f"copy (select 'green' as band) to '{bands}/part-00000.parquet'")
    (warehouse / "marts.db" / "dropped_table").mkdir()  # a folder without files: no table
    return warehouse


def test_spark_table_folders_are_the_table_folders_with_parquet_files(tmp_path):
    warehouse = spark_warehouse(tmp_path)
    assert list(spark_table_folders(warehouse, "marts")) == [
        "account_health_daily",
        "account_profiles",
    ]
    assert spark_table_folders(warehouse, "intermediate") == {}


def test_a_view_reads_the_partition_folders_as_its_last_column(tmp_path):
    warehouse = spark_warehouse(tmp_path)
    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute(
            parquet_view_sql(
                "marts", "account_health_daily", warehouse / "marts.db" / "account_health_daily"
            )
        )
        described = con.execute("describe marts.account_health_daily").fetchall()
        rows = con.execute("select * from marts.account_health_daily order by 3").fetchall()
    assert [(name, kind) for name, kind, *_ in described] == [
        ("account_id", "VARCHAR"),
        ("health_score", "INTEGER"),
        ("score_date", "DATE"),
    ]
    assert rows == [("acc_1", 70, dt.date(2026, 11, 20)), ("acc_1", 70, dt.date(2026, 11, 21))]


def test_exposed_tables_replace_the_schemas_and_keep_the_job_state(tmp_path):
    warehouse = spark_warehouse(tmp_path / "spark")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.account_profiles as select 'stale' as account_id")
        con.execute("create table marts.only_on_duckdb as select 1 as x")
        con.execute("create schema alerts")
        con.execute("create table alerts.outbox as select 'kept' as dedupe_key")
        exposed = expose_spark_tables(con, warehouse)
        assert exposed == {"marts": 2, "seeds": 1}
        assert con.execute("select sum(arr_usd) from marts.account_profiles").fetchone() == (300,)
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables order by all"
        ).fetchall()
    assert tables == [
        ("alerts", "outbox"),
        ("marts", "account_health_daily"),
        ("marts", "account_profiles"),
        ("seeds", "health_score_bands"),
    ]


def test_exposing_a_missing_schema_fails_and_changes_nothing(tmp_path):
    warehouse = spark_warehouse(tmp_path / "spark")
    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute("create table marts.account_profiles as select 'duckdb' as account_id")
        with pytest.raises(FileNotFoundError, match="schema 'intermediate'"):
            expose_spark_tables(con, warehouse, ("marts", "intermediate"))
        assert con.execute("select account_id from marts.account_profiles").fetchall() == [
            ("duckdb",)
        ]


def test_publish_copies_the_views_rows_and_drop_spark_views_drops_only_them(tmp_path):
    warehouse = spark_warehouse(tmp_path / "spark")
    warehouse_file = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse_file)) as con:
        expose_spark_tables(con, warehouse)
        con.execute("create view marts.built_by_dbt as select 1 as x")
    result = publish_serving_database(
        warehouse_file, tmp_path / "serving.duckdb", Publication(None, "run")
    )
    assert result.tables == ("account_health_daily", "account_profiles", "built_by_dbt")
    with duckdb.connect(str(tmp_path / "serving.duckdb"), read_only=True) as serving:
        assert serving.execute("select sum(arr_usd) from marts.account_profiles").fetchone() == (
            300,
        )
    with duckdb.connect(str(warehouse_file)) as con:
        assert drop_spark_views(con) == 3
        remaining = con.execute("select view_name from duckdb_views() where not internal")
        assert remaining.fetchall() == [("built_by_dbt",)]
