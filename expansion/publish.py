"""Publish validated marts to the serving database, atomically.

Readers (dashboards, BI tools, notebooks) open ``serving.duckdb`` read-only and
must never block, or be blocked by, the nightly writer. So the writer never
touches the published file: it builds a complete new database beside it and
renames it over the old one. On POSIX a rename is atomic, and a reader that
still holds the old file open keeps reading the old, complete version.

The file is written in DuckDB's v1.4.0 storage format so that readers
embedding DuckDB 1.4 (Evidence's connector, many BI drivers) can open it.

Daily history marts can be long (account x day: 40 M rows at 100,000 accounts
and 400 days); a model opts into publishing only its recent days with
``meta: {serving: {recent_days: N, date_column: C}}`` in its dbt yml, and
the warehouse keeps the full history.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from expansion.clock import utc_now
from expansion.durable import fsync

SERVING_SCHEMA = "marts"
SERVING_STORAGE_VERSION = "v1.4.0"
PUBLICATION_TABLE = "serving_publication"
_TEMP_SUFFIX = ".publishing"


@dataclass(frozen=True)
class Publication:
    """Recorded in the serving database, so readers know what they are reading."""

    as_of_date: dt.date | None
    run_id: str


@dataclass(frozen=True)
class RecentWindow:
    """Publish only the rows of the last ``days`` days, counted back from the latest one."""

    date_column: str
    days: int


def recent_windows(manifest: Mapping[str, Any]) -> dict[str, RecentWindow]:
    """The ``meta.serving`` windows the dbt models declare, by model name (from a manifest)."""
    windows = {}
    for node in manifest.get("nodes", {}).values():
        serving = node.get("config", {}).get("meta", {}).get("serving", {})
        if node.get("resource_type") == "model" and "recent_days" in serving:
            windows[node["name"]] = RecentWindow(
                date_column=serving["date_column"], days=int(serving["recent_days"])
            )
    return windows


@dataclass(frozen=True)
class PublishResult:
    path: Path
    tables: tuple[str, ...]
    rows: int


def publish_serving_database(
    warehouse: Path,
    serving: Path,
    publication: Publication,
    schema: str = SERVING_SCHEMA,
    extra_tables: Mapping[str, str] | None = None,
    windows: Mapping[str, RecentWindow] | None = None,
) -> PublishResult:
    """Copy every table and view of ``schema`` in ``warehouse`` into a new ``serving`` file.

    ``extra_tables`` maps further serving table names to warehouse relations kept
    outside the dbt schema (e.g. ``{"alerts_outbox": "alerts.outbox"}``).
    ``windows`` limits named tables to their most recent days (see ``recent_windows``).

    The previous ``serving`` file stays in place, untouched and readable, until the
    new one is complete; then one rename replaces it. A failure at any point leaves
    the previous version published.
    """
    temp = serving.with_name(serving.name + _TEMP_SUFFIX)
    _remove_database(temp)  # left behind by a run that was killed mid-publish
    serving.parent.mkdir(parents=True, exist_ok=True)

    con = duckdb.connect()
    try:
        con.execute("attach ? as warehouse (read_only)", [str(warehouse)])
        con.execute(
            f"attach ? as serving (storage_version '{SERVING_STORAGE_VERSION}')", [str(temp)]
        )
        tables = _relations_in_schema(con, "warehouse", schema)
        if not tables:
            raise RuntimeError(f"nothing to publish: schema {schema!r} in {warehouse} is empty")
        sources = {table: f"{quoted(schema)}.{quoted(table)}" for table in tables}
        for name, relation in (extra_tables or {}).items():
            sources[name] = ".".join(quoted(part) for part in relation.split("."))
        con.execute(f"create schema serving.{quoted(schema)}")
        rows = 0
        for name, relation in sources.items():
            target = f"serving.{quoted(schema)}.{quoted(name)}"
            query = _select_published_rows(f"warehouse.{relation}", (windows or {}).get(name))
            con.execute(f"create table {target} as {query}")
            rows += con.execute(f"select count(*) from {target}").fetchone()[0]
        _record_publication(con, schema, publication)
        con.execute("detach serving")
    except BaseException:
        con.close()
        _remove_database(temp)
        raise
    con.close()

    fsync(temp)
    os.replace(temp, serving)
    fsync(serving.parent)
    return PublishResult(serving, tuple(sources), rows)


def replace_directory(new: Path, target: Path) -> None:
    """Swap a fully written directory in for ``target`` (two renames; the old one is removed).

    A reader sees the old or the new directory; for the instant between the two
    renames the path is absent, never half-written.
    """
    retired = target.with_name(target.name + ".retired")
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        target.rename(retired)
    new.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def _relations_in_schema(
    con: duckdb.DuckDBPyConnection, catalog: str, schema: str
) -> tuple[str, ...]:
    names = con.execute(
        """
        select table_name
        from information_schema.tables
        where table_catalog = ? and table_schema = ?
        order by table_name
        """,
        [catalog, schema],
    ).fetchall()
    return tuple(name for (name,) in names)


def _select_published_rows(relation: str, window: RecentWindow | None) -> str:
    if window is None:
        return f"select * from {relation}"
    column = quoted(window.date_column)
    return (
        f"select * from {relation} "
        f"where {column} > (select max({column}) from {relation}) - {int(window.days)}"
    )


def quoted(identifier: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def _record_publication(
    con: duckdb.DuckDBPyConnection, schema: str, publication: Publication
) -> None:
    con.execute(
        f"""
        create table serving.{quoted(schema)}.{PUBLICATION_TABLE} (
            published_at timestamp,
            as_of_date date,
            run_id varchar
        )
        """
    )
    con.execute(
        f"insert into serving.{quoted(schema)}.{PUBLICATION_TABLE} values (?, ?, ?)",
        [utc_now(), publication.as_of_date, publication.run_id],
    )


def _remove_database(path: Path) -> None:
    """A DuckDB file and its write-ahead log (a failed write - a full disk - leaves one)."""
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
