"""Warehouses built from a generated company, for the tests that build the dbt project
more than once and compare the results: point in time, no look-ahead, incremental
versus full.

A warehouse here is a DuckDB file and its raw zone, the folder beside it with the same
name and the suffix ``.raw`` (:func:`raw_zone_of`). The ``warehouses`` fixture hands out
a ``Warehouses`` helper:

- ``ingest(directory, config)``: generate a company and ingest its landing zone into
  the raw zone of ``directory/delivered.duckdb`` (no dbt model built yet);
- ``copy(warehouse, target)`` and ``mutate_after(warehouse, day)``: a copy of a
  warehouse with every raw row dated after ``day`` deleted or changed
  (``MUTATIONS_AFTER_D``);
- ``original_and_mutated(directory, config, day, select)``: both of the above, each
  built as of ``day`` (the point-in-time and no-look-ahead tests);
- ``execute(warehouse, statements, parameters)``: other edits of the raw data (SQL on
  tables ``raw.<source>``, written back to the raw zone);
- ``query_raw(warehouse, sql, parameters)``: read the raw zone;
- ``restore_raw(warehouse, source)``: the raw zone of ``warehouse`` replaced by that
  of ``source`` (the dbt schemas are kept), for the night-by-night builds;
- ``build(warehouse, work, as_of, select)``: ``dbt build`` in-process with its own
  target and log folders and ``--vars {as_of_date: ...}``, models and seeds only
  (optionally of a copy of the project, with ``--full-refresh``);
- ``parse(warehouse, work, as_of)``: the manifest of the ``dbt parse`` that a
  ``build`` with the same arguments then reuses (as the nightly job parses first);
- ``rows(warehouse, relation, date_column, day)``: the relation's rows (dated on or
  before ``day`` when a date column is given) as a multiset;
- ``create_raw(warehouse, rows)``: a hand-made warehouse - its raw zone laid out as
  ingestion lays it out, holding ``rows`` (``{source: [row dicts]}``) as one landing
  file per source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dbt.cli.main import dbtRunner

from expansion.contract import SOURCES, SOURCES_BY_NAME
from expansion.generator import GeneratorConfig, generate
from expansion.ingest import RawZone, attach_raw_zone, ingest_landing_zone
from expansion.ingest.zone import EMPTY_FILE, arrow_schema, source_columns, sql_literal

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
PROJECT_FOLDERS = ("models", "seeds", "macros", "dbt_project", "tests/dbt")
"""What a copy of the dbt project needs (copy_project)."""
LOADED_AT = dt.datetime(2026, 7, 1, 2, 0, 0)

MUTATIONS_AFTER_D = [
    "update raw.usage_daily set active_users = active_users + 50, events = events * 3 + 7,"
    " api_calls = api_calls * 3 where usage_date > ?",
    "delete from raw.feature_usage_daily where usage_date > ?",
    "update raw.nps_responses set score = 0 where cast(responded_at as date) > ?",
    "delete from raw.crm_activities where cast(occurred_at as date) > ?",
    "delete from raw.support_tickets where cast(created_at as date) > ?",
    "update raw.support_tickets set resolved_at = null, csat = 1"
    " where cast(resolved_at as date) > ?",
    "delete from raw.users where cast(created_at as date) > ?",
    "delete from raw.contacts where valid_from > ?",
    "update raw.contacts set valid_to = null where valid_to > ?",
    "delete from raw.subscriptions where start_date > ?",
    "update raw.firmographics set employee_count = employee_count * 5, open_roles = 99"
    " where as_of_date > ?",
    "delete from raw.opportunities where cast(created_at as date) > ?",
    "update raw.opportunities set outcome = 'open', closed_at = null"
    " where cast(closed_at as date) > ?",
    "update raw.fx_rates set usd_per_unit = usd_per_unit * 2 where rate_date > ?",
]
"""Every raw row dated after day D deleted or changed; the later-dated columns of rows
dated on or before D (a ticket resolved after D, a contact that left after D, an
opportunity closed after D) rewritten. A line's contracted end_date is a contract fact
known from its start_date and is left alone."""


def raw_zone_of(warehouse: Path) -> RawZone:
    """The raw zone of a warehouse: the folder beside its DuckDB file, ``<name>.raw``."""
    return RawZone(warehouse.with_suffix(".raw"))


class Warehouses:
    def create_raw(self, warehouse: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
        """Lay out the warehouse's raw zone as ingestion does and write ``rows``, one landing
        file per source (``<source>/<source>.csv``)."""
        zone = raw_zone_of(warehouse)
        zone.ensure()
        for name, table_rows in rows.items():
            src = SOURCES_BY_NAME[name]
            relative_path = f"{name}/{name}.csv"
            records = [
                {
                    **{c: row.get(c) for c in src.column_names},
                    "_source_file": relative_path,
                    "_source_row_number": i,
                    "_loaded_at": LOADED_AT,
                }
                for i, row in enumerate(table_rows, start=1)
            ]
            schema = arrow_schema(source_columns(src))
            pq.write_table(
                pa.Table.from_pylist(records, schema=schema), zone.data_file(name, relative_path)
            )
        return warehouse

    def ingest(self, directory: Path, config: GeneratorConfig) -> Path:
        """Generate ``config``'s company into ``directory/landing`` and ingest it."""
        landing = directory / "landing"
        generate(dataclasses.replace(config, out=landing, truth_out=None))
        warehouse = directory / "delivered.duckdb"
        ingest_landing_zone(raw_zone_of(warehouse), landing)
        return warehouse

    def copy(self, warehouse: Path, target: Path) -> Path:
        if warehouse.exists():
            shutil.copyfile(warehouse, target)
        shutil.copytree(raw_zone_of(warehouse).root, raw_zone_of(target).root)
        return target

    def mutate_after(self, warehouse: Path, day: dt.date) -> None:
        self.execute(warehouse, MUTATIONS_AFTER_D, [day])

    def execute(self, warehouse: Path, statements: Sequence[str], parameters: list) -> int:
        """Run each statement with the same parameters on tables ``raw.<source>`` holding
        the raw zone's rows, then write every source back as one Parquet file; the rows
        the statements changed, in total."""
        zone = raw_zone_of(warehouse)
        con = duckdb.connect()
        try:
            con.execute("create schema raw")
            for source in SOURCES:
                files = sql_literal(str(zone.source_dir(source.name) / "*.parquet"))
                con.execute(f"create table raw.{source.name} as from read_parquet({files})")
            changed = sum(con.execute(s, parameters).fetchall()[0][0] for s in statements)
            for source in SOURCES:
                folder = zone.source_dir(source.name)
                for path in folder.glob("*.parquet"):
                    if path.name != EMPTY_FILE:
                        path.unlink()
                rows = con.sql(f"from raw.{source.name}").to_arrow_table()
                schema = arrow_schema(source_columns(source))
                pq.write_table(rows.cast(schema), folder / "edited.parquet")
        finally:
            con.close()
        return changed

    def query_raw(self, warehouse: Path, sql: str, parameters: list | None = None) -> list:
        con = duckdb.connect()
        try:
            attach_raw_zone(con, raw_zone_of(warehouse))
            return con.execute(sql, parameters or []).fetchall()
        finally:
            con.close()

    def restore_raw(self, warehouse: Path, source: Path) -> None:
        shutil.rmtree(raw_zone_of(warehouse).root)
        shutil.copytree(raw_zone_of(source).root, raw_zone_of(warehouse).root)

    def _dbt(self, warehouse: Path, work: Path, as_of: dt.date, project_dir: Path, args: list[str]):
        """One in-process dbt invocation on ``warehouse`` as of ``as_of``. Its parse stays in
        ``work/target``: a later invocation there with the same warehouse and as-of date
        re-parses only what changed (a fresh ``work`` parses everything)."""
        with pytest.MonkeyPatch.context() as env:
            env.setenv("EXPANSION_WAREHOUSE_PATH", str(warehouse))
            env.setenv("EXPANSION_RAW_DIR", str(raw_zone_of(warehouse).root))
            env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
            result = dbtRunner().invoke(
                [
                    *args,
                    "--project-dir", str(project_dir),
                    "--profiles-dir", str(project_dir),
                    "--target-path", str(work / "target"),
                    "--log-path", str(work / "logs"),
                    "--vars", f"{{as_of_date: '{as_of.isoformat()}'}}",
                    "--quiet",
                ]
            )  # fmt: skip
        assert result.exception is None, result.exception
        return result

    def parse(
        self, warehouse: Path, work: Path, as_of: dt.date, project_dir: Path = DBT_PROJECT_DIR
    ) -> dict:
        """``dbt parse`` as ``build`` with the same arguments would parse; the manifest."""
        result = self._dbt(warehouse, work, as_of, project_dir, ["parse"])
        assert result.success
        return json.loads((work / "target" / "manifest.json").read_text())

    def build(
        self,
        warehouse: Path,
        work: Path,
        as_of: dt.date,
        select: Sequence[str] = (),
        project_dir: Path = DBT_PROJECT_DIR,
        full_refresh: bool = False,
    ) -> None:
        """``dbt build`` (models and seeds, no tests) of ``select`` (default: everything)."""
        selection = ["--select", *select] if select else []
        if full_refresh:
            selection.append("--full-refresh")
        result = self._dbt(
            warehouse,
            work,
            as_of,
            project_dir,
            ["build", *selection, "--exclude", "resource_type:test", "resource_type:unit_test"],
        )
        assert result.success, [(r.node.unique_id, r.message) for r in result.result if r.message]

    def original_and_mutated(
        self, directory: Path, config: GeneratorConfig, day: dt.date, select: Sequence[str] = ()
    ) -> tuple[Path, Path]:
        """The company ingested twice - as delivered, and with every raw row dated after
        ``day`` mutated - and both built as of ``day``."""
        raw = self.ingest(directory, config)
        original = self.copy(raw, directory / "original.duckdb")
        mutated = self.copy(raw, directory / "mutated.duckdb")
        self.mutate_after(mutated, day)
        self.build(original, directory / "original", day, select)
        self.build(mutated, directory / "mutated", day, select)
        return original, mutated

    def rows(
        self,
        warehouse: Path,
        relation: str,
        date_column: str | None = None,
        day: dt.date | None = None,
    ) -> Counter[tuple]:
        # read-write: dbt-duckdb still holds the file open in-process, and DuckDB
        # refuses a second handle on it with a different (read-only) configuration
        con = duckdb.connect(str(warehouse))
        try:
            if date_column is None:
                found = con.execute(f"select * from {relation}").fetchall()
            else:
                found = con.execute(
                    f"select * from {relation} where {date_column} <= ?", [day]
                ).fetchall()
        finally:
            con.close()
        return Counter(found)


def copy_project(root: Path) -> Path:
    """A copy of the dbt project under ``root`` (for a test that edits a model or a seed);
    returns its dbt_project folder."""
    for relative in PROJECT_FOLDERS:
        shutil.copytree(
            REPO_ROOT / relative,
            root / relative,
            ignore=shutil.ignore_patterns("target", "logs", "__pycache__", "*.duckdb"),
        )
    return root / "dbt_project"


@pytest.fixture(scope="session")
def warehouses() -> Warehouses:
    return Warehouses()
