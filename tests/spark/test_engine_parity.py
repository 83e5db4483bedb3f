"""The same models on Spark and on DuckDB: one raw zone in, the same published rows out.

A small generated company (planted defects included, triggers firing) is ingested once.
Every model and seed is built on DuckDB and on Spark in local mode from that one zone
(one dbt invocation per engine: a Spark invocation pays ~15 s of JVM start). Every
staging model and every mart (schema ``marts``: what the nightly job publishes to
serving.duckdb) must have the same rows on both - EXCEPT ALL in both directions,
decimals and floats rounded to 6 places, same column names in the same order - and
Spark must read the rejects and the load ledger as DuckDB does. A model that stops being
portable fails here: it does not build on Spark, or it builds other rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from expansion.generator import GeneratorConfig, generate
from expansion.ingest import RawZone, attach_raw_zone, ingest_landing_zone
from expansion.settings import DataDir

pytestmark = pytest.mark.spark

COMPANY = GeneratorConfig(accounts=20, days=30, seed=7, end_date=dt.date(2026, 11, 21))
COMPARED_LAYERS = ("staging", "marts")
BUILD = ["--exclude", "resource_type:unit_test", "resource_type:test"]
"""Models and seeds; the data tests run on DuckDB in tests/dbt, and cost Spark ~0.3 s each."""
SPARK_THREADS = ["--threads", "2"]
"""Two models at a time on Spark: its cost here is planning each model's query (one driver
thread per query; the rows are few), so a second thread uses the second core."""


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


def _differences(engines, data: DataDir, models: list[str], layer: str, exported: Path) -> dict:
    """Rows that differ per relation; asserts each staging model has rows to compare."""
    # read-write: dbt-duckdb still holds the file open in-process, and DuckDB refuses a
    # second handle on it with another (read-only) configuration
    with duckdb.connect(str(data.warehouse)) as con:
        differences = {}
        for model in models:
            relation = f"{layer}.{model}"
            only_duckdb, only_spark = engines.rows_differ(con, relation, exported / relation)
            if only_duckdb or only_spark:
                differences[relation] = (only_duckdb, only_spark)
    return differences


def _row_counts(data: DataDir, relations: list[str]) -> dict[str, int]:
    with duckdb.connect(str(data.warehouse)) as con:
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
            assert engines.rows_differ(con, relation, exported / relation) == ([], [])
