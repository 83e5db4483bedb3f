"""The same models on Spark and on DuckDB: one raw zone in, the same published rows out.

A small generated company (planted defects included, triggers firing) is ingested once.
Every model and seed is built on DuckDB and on Spark in local mode from that one zone
(one dbt invocation per engine: a Spark invocation pays ~15 s of JVM start). Every
staging model and every mart (schema ``marts``: what the nightly job publishes to
serving.duckdb) must have the same rows on both - EXCEPT ALL in both directions,
decimals and floats rounded to 6 places, same column names in the same order - and
Spark must read the rejects and the load ledger as DuckDB does. A model that stops being
portable fails here: it does not build on Spark, or it builds other rows.

Then the nightly job's steps after dbt - the quality and calibration checks, the alerts
outbox, publish - run on what each engine built (on Spark's through views over its
Parquet tables, :mod:`expansion.spark_marts`), and both serving.duckdb files must hold
the same relations with the same rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from expansion.generator import GeneratorConfig, generate
from expansion.ingest import RawZone, attach_raw_zone, ingest_landing_zone
from expansion.settings import DataDir
from expansion.spark_marts import expose_spark_tables
from orchestration.defs.alerts import alerts_outbox
from orchestration.defs.dbt import warehouse_dbt_models
from orchestration.defs.quality import WAREHOUSE_CHECKS, build_warehouse_checks, checks_on_assets
from orchestration.defs.serving import serving_database
from orchestration.resources import WarehouseResource

pytestmark = pytest.mark.spark

COMPANY = GeneratorConfig(accounts=20, days=30, seed=7, end_date=dt.date(2026, 11, 21))
COMPARED_LAYERS = ("staging", "marts")
BUILD = ["--exclude", "resource_type:unit_test", "resource_type:test"]
"""Models and seeds; the data tests run on DuckDB in tests/dbt, and cost Spark ~0.3 s each."""
SPARK_THREADS = ["--threads", "2"]
"""Two models at a time on Spark: its cost here is planning each model's query (one driver
thread per query; the rows are few), so a second thread uses the second core."""
NOT_COMPARED_IN_SERVING = frozenset(
    {"run_id", "checked_at", "published_at", "queued_at", "last_attempt_at", "sent_at"}
)
"""What differs between any two nights: the run's id and the wall clock."""


@pytest.fixture(scope="module")
def built_on_both(engines, tmp_path_factory) -> tuple[DataDir, dict[str, list[str]], Path]:
    """The company's raw zone, built on both engines: (data dir, compared models by layer,
    the folder of Spark's Parquet exports)."""
    root = tmp_path_factory.mktemp("engine_parity")
    landing = root / "landing"
    generate(dataclasses.replace(COMPANY, out=landing, truth_out=None))
    data = DataDir(root / "data")
    ingest_landing_zone(RawZone(data.raw), landing)
    layers = engines.models_by_layer(data, root / "parse")
    compared = {layer: layers[layer] for layer in COMPARED_LAYERS}
    engines.dbt_build(data, "duckdb", BUILD, root / "duckdb")
    export = {
        f"{layer}.{model}": f"{layer}.{model}"
        for layer, models in compared.items()
        for model in models
    }
    for name in ("_rejects", "_load_ledger"):
        export[f"raw.{name}"] = f"parquet.`{data.raw / name}`"
    engines.dbt_build(data, "spark", [*BUILD, *SPARK_THREADS], root / "spark", export=export)
    return data, compared, root / "spark" / "export"


def parquet_export(folder: Path) -> str:
    return f"read_parquet('{folder}/*.parquet')"


def _differences(engines, data: DataDir, models: list[str], layer: str, exported: Path) -> dict:
    """Rows that differ per relation; asserts each staging model has rows to compare."""
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        differences = {}
        for model in models:
            relation = f"{layer}.{model}"
            only_duckdb, only_spark = engines.rows_differ(
                con, relation, parquet_export(exported / relation)
            )
            if only_duckdb or only_spark:
                differences[relation] = (only_duckdb, only_spark)
    return differences


def _row_counts(data: DataDir, relations: list[str]) -> dict[str, int]:
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        return {r: con.execute(f"select count(*) from {r}").fetchone()[0] for r in relations}


def test_every_staging_model_has_the_same_rows_on_spark_as_on_duckdb(built_on_both, engines):
    data, compared, exported = built_on_both
    models = compared["staging"]
    assert len(models) >= 15, models  # one per contract source
    counts = _row_counts(data, [f"staging.{model}" for model in models])
    empty = [relation for relation, rows in counts.items() if rows == 0]
    assert empty == [], "empty staging models: the comparison would prove nothing"
    assert _differences(engines, data, models, "staging", exported) == {}


def test_every_published_mart_has_the_same_rows_on_spark_as_on_duckdb(built_on_both, engines):
    data, compared, exported = built_on_both
    marts = compared["marts"]
    counts = _row_counts(data, [f"marts.{mart}" for mart in marts])
    assert len(marts) >= 30, marts  # every model under models/marts: 37 today
    # the company is small but not trivial: readiness is scored, whitespace found, NRR
    # computed, triggers fire (greedy cooldown) and reach the scorecard and the pipeline
    busy_marts = (
        "account_profiles",
        "account_readiness_scores",
        "whitespace_scores",
        "segment_nrr",
        "trigger_firings",
        "trigger_threshold_sweep",
        "expansion_scorecard",
        "csql_funnel",
    )
    for busy in busy_marts:
        assert counts[f"marts.{busy}"] > 0, f"marts.{busy} is empty: the comparison proves little"
    assert _differences(engines, data, marts, "marts", exported) == {}


def test_spark_reads_the_rejects_and_the_load_ledger_as_duckdb_does(built_on_both, engines):
    data, _, exported = built_on_both
    with duckdb.connect() as con:
        attach_raw_zone(con, RawZone(data.raw))
        for relation in ("raw._rejects", "raw._load_ledger"):
            (rows,) = con.execute(f"select count(*) from {relation}").fetchone()
            assert rows > 0, f"{relation} is empty: the comparison would prove nothing"
            assert engines.rows_differ(con, relation, parquet_export(exported / relation)) == (
                [],
                [],
            )


def run_steps_after_dbt(data: DataDir) -> dg.ExecuteInProcessResult:
    """The nightly job's checks, alerts and publish (its own assets and checks) on the marts
    in ``data``'s warehouse file; a stand-in for the dbt step reports them built."""

    @dg.multi_asset(specs=[dg.AssetSpec(key) for key in warehouse_dbt_models.keys])
    def built_by_dbt():
        for key in warehouse_dbt_models.keys:
            yield dg.MaterializeResult(asset_key=key)

    checks = checks_on_assets(WAREHOUSE_CHECKS, warehouse_dbt_models.keys)
    return dg.materialize(
        [built_by_dbt, build_warehouse_checks(checks), alerts_outbox, serving_database],
        resources={
            "warehouse": WarehouseResource(
                data_dir=str(data.root), landing_dir=str(data.root / "landing")
            )
        },
        raise_on_error=False,
    )


@pytest.fixture(scope="module")
def published_on_both(built_on_both) -> tuple[Path, Path]:
    """serving.duckdb published after the DuckDB build, and after the Spark build from a
    warehouse file of its own whose marts and seeds are views over Spark's tables."""
    data = built_on_both[0]
    spark_night = DataDir(data.root.parent / "spark_night")
    spark_night.root.mkdir()
    with duckdb.connect(str(spark_night.warehouse)) as con:
        expose_spark_tables(con, data.spark / "warehouse")
    for night in (data, spark_night):
        result = run_steps_after_dbt(night)
        failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
        errors = [e.message for e in result.all_events if e.is_step_failure]
        assert result.success, (night, failed, errors)
    return data.serving, spark_night.serving


def test_a_spark_night_publishes_the_same_serving_database_as_a_duckdb_night(
    published_on_both, engines
):
    duckdb_serving, spark_serving = published_on_both
    with duckdb.connect() as con:
        con.execute("attach ? as on_duckdb (read_only)", [str(duckdb_serving)])
        con.execute("attach ? as on_spark (read_only)", [str(spark_serving)])
        published = {
            catalog: [
                name
                for (name,) in con.execute(
                    "select table_name from information_schema.tables"
                    " where table_catalog = ? and table_schema = 'marts' order by 1",
                    [catalog],
                ).fetchall()
            ]
            for catalog in ("on_duckdb", "on_spark")
        }
        assert published["on_spark"] == published["on_duckdb"]
        assert len(published["on_spark"]) >= 45, published  # marts, seeds, outbox, history...
        (results,) = con.execute("select count(*) from on_spark.marts.check_results").fetchone()
        assert results > 0, "no check ran on Spark's marts"
        differences = {}
        for name in published["on_duckdb"]:
            only_duckdb, only_spark = engines.rows_differ(
                con, f"on_duckdb.marts.{name}", f"on_spark.marts.{name}", NOT_COMPARED_IN_SERVING
            )
            if only_duckdb or only_spark:
                differences[name] = (only_duckdb, only_spark)
    assert differences == {}
