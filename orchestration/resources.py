"""Resources shared by the nightly job's assets."""

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from expansion.ingest import RawZone, attach_raw_zone
from expansion.refresh_lock import hold_refresh_lock, wait_seconds_from_env
from expansion.settings import (
    AS_OF_DATE_ENV,
    DEFAULT_ENGINE,
    DataDir,
    data_dir_from_env,
    engine_from_env,
    landing_dir_from_env,
)

DUCKDB_MEMORY_LIMIT_ENV = "EXPANSION_DUCKDB_MEMORY_LIMIT"


class WarehouseResource(dg.ConfigurableResource):
    """The company's data directory, its landing zone and the night's as-of date.

    A run that uses it holds the data directory's refresh lock from the moment the
    resource is initialised until the run ends (see :mod:`expansion.refresh_lock`):
    a scheduled run, a sensor's run or a materialisation from the UI waits for a
    refresh already running, up to ``refresh_wait_seconds``, and then fails saying
    which process holds the lock.
    """

    data_dir: str
    landing_dir: str
    as_of_date: str | None = None
    """``YYYY-MM-DD``; when unset, models use the latest day present in the data."""
    memory_limit: str = "6GB"
    refresh_wait_seconds: float = 0.0
    engine: str = DEFAULT_ENGINE
    """The engine dbt builds the models on: ``duckdb`` or ``spark``."""

    @classmethod
    def from_environment(cls) -> "WarehouseResource":
        return cls(
            data_dir=str(data_dir_from_env().root),
            landing_dir=str(landing_dir_from_env()),
            as_of_date=os.environ.get(AS_OF_DATE_ENV) or None,
            memory_limit=os.environ.get(DUCKDB_MEMORY_LIMIT_ENV, "6GB"),
            refresh_wait_seconds=wait_seconds_from_env(),
            engine=engine_from_env(),
        )

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        with hold_refresh_lock(self.data.root, self.refresh_wait_seconds):
            yield self

    @property
    def data(self) -> DataDir:
        return DataDir(Path(self.data_dir))

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    @property
    def raw_zone(self) -> RawZone:
        return RawZone(self.data.raw)

    @property
    def as_of(self) -> dt.date | None:
        return dt.date.fromisoformat(self.as_of_date) if self.as_of_date else None

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the working warehouse; the nightly job's steps take turns."""
        self.data.root.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(
            str(self.data.warehouse), read_only=read_only, config=self._duckdb_config()
        )
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def ingestion_engine(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An in-memory DuckDB that validates landing files; it spills to ``DATA_DIR/tmp``."""
        spill = self.data.root / "tmp"
        spill.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(config={**self._duckdb_config(), "temp_directory": str(spill)})
        con.execute("set enable_progress_bar = false")
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def raw_reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An in-memory DuckDB with views ``raw.<source>`` and ``raw._load_ledger`` over
        the raw zone, and ``raw._rejects`` read into memory (for the raw checks)."""
        with self.ingestion_engine() as con:
            attach_raw_zone(con, self.raw_zone)
            # Each source's load-outcome check reads the rejects: their files (one per
            # landing file that had a rejected row) are read once, not once per check.
            con.execute("create table raw.rejects_in_memory as from raw._rejects")
            con.execute("create or replace view raw._rejects as from raw.rejects_in_memory")
            yield con

    def _duckdb_config(self) -> dict[str, str | int]:
        return {"memory_limit": self.memory_limit, "threads": os.cpu_count() or 2}
