"""Warehouses built from a generated company, for the tests that build the dbt project
more than once and compare the results: point in time, no look-ahead, incremental
versus full.

The ``warehouses`` fixture hands out a ``Warehouses`` helper:

- ``ingest(directory, config)``: generate a company and ingest its landing zone into
  ``directory/delivered.duckdb`` (raw schema only);
- ``copy(warehouse, target)`` and ``mutate_after(warehouse, day)``: a copy of a
  warehouse with every raw row dated after ``day`` deleted or changed
  (``MUTATIONS_AFTER_D``);
- ``original_and_mutated(directory, config, day, select)``: both of the above, each
  built as of ``day`` (the point-in-time and no-look-ahead tests);
- ``execute(warehouse, statements, parameters)``: other edits of the raw data;
- ``restore_raw(warehouse, source)``: the raw tables of ``warehouse`` replaced by those
  of ``source`` (the dbt schemas are kept), for the night-by-night builds;
- ``build(warehouse, work, as_of, select)``: ``dbt build`` in-process with its own
  target and log folders and ``--vars {as_of_date: ...}``, models and seeds only
  (optionally of a copy of the project, with ``--full-refresh``);
- ``rows(warehouse, relation, date_column, day)``: the relation's rows (dated on or
  before ``day`` when a date column is given) as a multiset;
- ``create_raw(warehouse, rows)``: a hand-made warehouse - the raw schema exactly as
  ingestion creates it, filled with ``rows`` (``{source: [row dicts]}``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from expansion.contract import SOURCES, SOURCES_BY_NAME
from expansion.generator import GeneratorConfig, generate
from expansion.ingest import ensure_raw_schema, ingest_landing_zone

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


class Warehouses:
    def create_raw(self, warehouse: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
        """Create the raw schema as ingestion does and load ``rows`` into it."""
        con = duckdb.connect(str(warehouse))
        try:
            con.execute("create schema if not exists raw")
            for src in SOURCES:
                con.execute(src.raw_table_ddl())
            for name, table_rows in rows.items():
                src = SOURCES_BY_NAME[name]
                columns = [*src.column_names, "_source_file", "_source_row_number", "_loaded_at"]
                placeholders = ", ".join("?" for _ in columns)
                columns_sql = ", ".join(columns)
                lineage = (f"{name}/{name}.csv", LOADED_AT)
                con.executemany(
                    f"insert into {src.raw_table} ({columns_sql}) values ({placeholders})",
                    [
                        [*(row.get(c) for c in src.column_names), lineage[0], i, lineage[1]]
                        for i, row in enumerate(table_rows, start=1)
                    ],
                )
        finally:
            con.close()
        return warehouse

    def ingest(self, directory: Path, config: GeneratorConfig) -> Path:
        """Generate ``config``'s company into ``directory/landing`` and ingest it."""
        landing = directory / "landing"
        generate(dataclasses.replace(config, out=landing, truth_out=None))
        warehouse = directory / "delivered.duckdb"
        con = duckdb.connect(str(warehouse))
        try:
            ensure_raw_schema(con)
            ingest_landing_zone(con, landing)
        finally:
            con.close()
        return warehouse

    def copy(self, warehouse: Path, target: Path) -> Path:
        shutil.copyfile(warehouse, target)
        return target

    def mutate_after(self, warehouse: Path, day: dt.date) -> None:
        self.execute(warehouse, MUTATIONS_AFTER_D, [day])

    def execute(self, warehouse: Path, statements: Sequence[str], parameters: list) -> int:
        """Run each statement with the same parameters; the rows they changed, in total."""
        changed = 0
        con = duckdb.connect(str(warehouse))
        try:
            for statement in statements:
                changed += con.execute(statement, parameters).fetchall()[0][0]
        finally:
            con.close()
        return changed

    def restore_raw(self, warehouse: Path, source: Path) -> None:
        con = duckdb.connect(str(warehouse))
        try:
            con.execute("attach ? as source_warehouse (read_only)", [str(source)])
            tables = con.execute(
                "select table_name from duckdb_tables()"
                " where database_name = 'source_warehouse' and schema_name = 'raw'"
            ).fetchall()
            for (table,) in tables:
                con.execute(f'delete from raw."{table}"')
                con.execute(
                    f'insert into raw."{table}" select * from source_warehouse.raw."{table}"'
                )
            con.execute("detach source_warehouse")
        finally:
            con.close()

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
        with pytest.MonkeyPatch.context() as env:
            env.setenv("EXPANSION_WAREHOUSE_PATH", str(warehouse))
            env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
            result = dbtRunner().invoke(
                [
                    "build",
                    "--project-dir", str(project_dir),
                    "--profiles-dir", str(project_dir),
                    "--target-path", str(work / "target"),
                    "--log-path", str(work / "logs"),
                    "--vars", f"{{as_of_date: '{as_of.isoformat()}'}}",
                    *selection,
                    "--exclude", "resource_type:test", "resource_type:unit_test",
                    "--no-partial-parse",
                    "--quiet",
                ]
            )  # fmt: skip
        assert result.exception is None, result.exception
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
