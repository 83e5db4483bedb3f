"""Where things live: the project's own folders and a data directory's layout.

A data directory holds everything one company's warehouse writes::

    DATA_DIR/
      raw/               the raw zone: validated landing files as Parquet, the rejects and
                         the load ledger (expansion.ingest.zone); read by every engine
      warehouse.duckdb   the working database (staging, intermediate, marts); one writer
      spark/             the Spark engine's warehouse folder and metastore (--engine spark)
      tmp/               where ingestion's DuckDB spills when a batch outgrows its memory
      serving.duckdb     validated marts, replaced atomically; what readers open
      site/              the rendered dashboards
      logs/              the last refresh's full log (dbt output included)
      dbt_target/        dbt's artifacts of the last build (run_results.json, dbt.log) and
                         its parse state, which the next night's build reuses (partial parsing)
      refresh.lock       held by the refresh that runs (expansion.refresh_lock)

The landing zone is configured separately (it usually belongs to whoever drops
the files). Both come from the command line or from the environment variables
``EXPANSION_DATA_DIR`` and ``EXPANSION_LANDING_DIR``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
"""The dbt installed beside this interpreter, whether or not its folder is on PATH."""
DASHBOARDS_DIR = PROJECT_ROOT / "dashboards"

DATA_DIR_ENV = "EXPANSION_DATA_DIR"
LANDING_DIR_ENV = "EXPANSION_LANDING_DIR"
AS_OF_DATE_ENV = "EXPANSION_AS_OF_DATE"
WAREHOUSE_PATH_ENV = "EXPANSION_WAREHOUSE_PATH"
"""Read by ``dbt_project/profiles.yml``; set from the data directory before dbt runs."""
RAW_ZONE_ENV = "EXPANSION_RAW_DIR"
"""Read by ``dbt_project/dbt_project.yml`` (the sources); set like the warehouse path."""
SPARK_WAREHOUSE_DIR_ENV = "EXPANSION_SPARK_WAREHOUSE_DIR"
SPARK_METASTORE_DIR_ENV = "EXPANSION_SPARK_METASTORE_DIR"
"""Read by the ``spark`` target of ``dbt_project/profiles.yml``."""

ENGINE_ENV = "EXPANSION_ENGINE"
"""The engine dbt builds the models on; also the name of the dbt target."""
ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def spark(self) -> Path:
        return self.root / "spark"

    @property
    def serving(self) -> Path:
        return self.root / "serving.duckdb"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt_target"


def data_dir_from_env() -> DataDir:
    return DataDir(Path(os.environ.get(DATA_DIR_ENV, PROJECT_ROOT / "data")).resolve())


def engine_from_env() -> str:
    engine = os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ValueError(f"{ENGINE_ENV}={engine!r} is not one of: {', '.join(ENGINES)}")
    return engine


def landing_dir_from_env() -> Path:
    default = Path(os.environ.get(DATA_DIR_ENV, PROJECT_ROOT / "data")) / "landing"
    return Path(os.environ.get(LANDING_DIR_ENV, default)).resolve()
