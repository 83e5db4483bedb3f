"""The foundation on Spark: one raw zone, read by both engines, gives the same staging rows.

A small generated company (planted defects included) is ingested once into a raw zone.
The staging models, their data tests and the seeds those tests read are built on DuckDB
and on Spark in local mode from that one zone; every staging model's rows must be the
same on both (EXCEPT ALL in both directions, decimals rounded to 6 places), and Spark
reads the rejects and the load ledger as DuckDB does. The intermediate models and the
marts follow when they are portable (issue 16, part B).
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


@pytest.fixture(scope="module")
def built_on_both(engines, tmp_path_factory) -> tuple[DataDir, list[str], Path]:
    """The company's raw zone, built on both engines: (data dir, staging models, the folder
    of Spark's Parquet exports)."""
    root = tmp_path_factory.mktemp("staging_parity")
    landing = root / "landing"
    generate(dataclasses.replace(COMPANY, out=landing, truth_out=None))
    data = DataDir(root / "data")
    ingest_landing_zone(RawZone(data.raw), landing)
    models, seeds = engines.staging_selection(data, root / "parse")
    select = [*models, *seeds]
    engines.dbt_build(data, "duckdb", select, root / "duckdb")
    export = {f"staging.{model}": f"staging.{model}" for model in models}
    for name in ("_rejects", "_load_ledger"):
        export[f"raw.{name}"] = f"parquet.`{data.raw / name}`"
    engines.dbt_build(data, "spark", select, root / "spark", export=export)
    return data, models, root / "spark" / "export"


def test_every_staging_model_has_the_same_rows_on_spark_as_on_duckdb(built_on_both, engines):
    data, models, exported = built_on_both
    assert len(models) >= 15, models  # one per contract source
    # read-write: dbt-duckdb still holds the file open in-process, and DuckDB refuses a
    # second handle on it with another (read-only) configuration
    with duckdb.connect(str(data.warehouse)) as con:
        differences = {}
        for model in models:
            relation = f"staging.{model}"
            (rows,) = con.execute(f"select count(*) from {relation}").fetchone()
            assert rows > 0, f"{relation} is empty: the comparison would prove nothing"
            only_duckdb, only_spark = engines.rows_differ(con, relation, exported / relation)
            if only_duckdb or only_spark:
                differences[relation] = (only_duckdb, only_spark)
    assert differences == {}


def test_spark_reads_the_rejects_and_the_load_ledger_as_duckdb_does(built_on_both, engines):
    data, _, exported = built_on_both
    with duckdb.connect() as con:
        attach_raw_zone(con, RawZone(data.raw))
        for relation in ("raw._rejects", "raw._load_ledger"):
            (rows,) = con.execute(f"select count(*) from {relation}").fetchone()
            assert rows > 0, f"{relation} is empty: the comparison would prove nothing"
            assert engines.rows_differ(con, relation, exported / relation) == ([], [])
