"""The load ledger: which version of each landing file is in the raw zone.

One row per (path, content hash), kept per source in ``raw/_load_ledger/<source>.parquet``
(see :mod:`expansion.ingest.zone`). While a source is ingested it is a temporary table
of the ingestion's DuckDB connection (:func:`open_ledger`); :func:`commit_ledger` writes
it back, which is the commit point of every change. The newest version of a path
(highest ``version``) is its *current* entry and is never ``superseded``:

* ``loaded``: its rows are in ``raw/<source>/`` and its rejects in ``raw/_rejects/``;
* ``refused``: the file could not be loaded (``message`` says why). A refused
  replacement leaves the previous loaded version's rows in place;
* ``superseded``: an older version, replaced by a newer one that loaded (or,
  for an older refusal, by a newer refusal);
* ``withdrawn``: a refusal whose entry has since left the landing zone.

An entry that has no content to hash - a dangling symbolic link, a directory
named like a data file, an unreadable file, a missing required source folder
(recorded as ``<source>/``) - is recorded ``refused`` with the content hash
:data:`NO_CONTENT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from expansion.ingest.files import LandingFile
from expansion.ingest.zone import LEDGER_COLUMNS, LoadedVersion, RawZone, sql_literal

NO_CONTENT = "unreadable"
"""The content hash recorded for a refused entry that could not be read at all."""

LEDGER = "_load_ledger"
"""The temporary table holding one source's ledger during its ingestion."""


def open_ledger(con: duckdb.DuckDBPyConnection, zone: RawZone, source_name: str) -> None:
    """Read the source's ledger from the zone into the temporary table :data:`LEDGER`."""
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in LEDGER_COLUMNS)
    con.execute(
        f"create or replace temp table {LEDGER} "
        f"({columns}, primary key (source_file, content_hash))"
    )
    con.execute(
        f"insert into {LEDGER} select * from "
        f"read_parquet({sql_literal(str(zone.ledger_file(source_name)))})"
    )


def commit_ledger(con: duckdb.DuckDBPyConnection, zone: RawZone, source_name: str) -> None:
    """Write the temporary ledger back to the zone, in one rename."""
    ledger = con.sql(f"select * from {LEDGER} order by source_file, version").to_arrow_table()
    zone.commit_ledger(source_name, ledger)


def loaded_versions(con: duckdb.DuckDBPyConnection) -> dict[str, LoadedVersion]:
    """The loaded version of every path: what the zone's files must hold."""
    rows = con.execute(
        f"select source_file, content_hash, rows_rejected from {LEDGER} where status = 'loaded'"
    ).fetchall()
    return {path: LoadedVersion(digest, bool(rejected)) for path, digest, rejected in rows}


@dataclass(frozen=True)
class LedgerEntry:
    source_file: str
    content_hash: str
    version: int
    status: str
    size_bytes: int
    mtime_ns: int
    message: str | None


@dataclass(frozen=True)
class FileOutcome:
    """What one load did with one file, as recorded in the ledger."""

    file: LandingFile
    content_hash: str
    version: int
    rows_in_file: int
    rows_loaded: int
    rows_rejected: int


def current_entries(con: duckdb.DuckDBPyConnection, source_name: str) -> dict[str, LedgerEntry]:
    """The newest ledger entry of every path of a source, by path."""
    rows = con.execute(
        f"""
        select source_file, content_hash, version, status, size_bytes, mtime_ns, message
        from {LEDGER}
        where source = ?
        qualify version = max(version) over (partition by source_file)
        """,
        [source_name],
    ).fetchall()
    return {row[0]: LedgerEntry(*row) for row in rows}


def loaded_rows(con: duckdb.DuckDBPyConnection, source_name: str) -> dict[str, tuple[int, int]]:
    """The loaded version of every path of a source: path -> (version, rows in that file)."""
    rows = con.execute(
        f"""
        select source_file, version, rows_in_file
        from {LEDGER}
        where source = ? and status = 'loaded'
        """,
        [source_name],
    ).fetchall()
    return {path: (version, rows_in_file) for path, version, rows_in_file in rows}


def withdraw_refusals(
    con: duckdb.DuckDBPyConnection, source_name: str, present: set[str], at: datetime
) -> int:
    """Mark ``withdrawn`` the refusals of entries that are no longer in the landing zone;
    returns how many."""
    return con.execute(
        f"""
        update {LEDGER} set status = 'withdrawn', superseded_at = ?
        where source = ? and status = 'refused' and not list_contains(?, source_file)
        """,
        [at, source_name, sorted(present)],
    ).fetchone()[0]


def is_unchanged_on_disk(file: LandingFile, entry: LedgerEntry | None) -> bool:
    """Same size and modification time as the ledger recorded: trusted without re-hashing."""
    return entry is not None and (file.size_bytes, file.mtime_ns) == (
        entry.size_bytes,
        entry.mtime_ns,
    )


def next_version(entry: LedgerEntry | None) -> int:
    return 1 if entry is None else entry.version + 1


def record_touched(con: duckdb.DuckDBPyConnection, file: LandingFile, content_hash: str) -> None:
    """Same content, new size/mtime on disk: remember them so the next run skips hashing."""
    con.execute(
        f"""
        update {LEDGER} set size_bytes = ?, mtime_ns = ?
        where source_file = ? and content_hash = ?
        """,
        [file.size_bytes, file.mtime_ns, file.relative_path, content_hash],
    )


def record_loaded(
    con: duckdb.DuckDBPyConnection,
    source_name: str,
    outcomes: Sequence[FileOutcome],
    at: datetime,
) -> None:
    """Record each outcome's version as loaded and every other version of its path
    superseded (one statement each for the whole batch)."""
    loaded = pa.table(
        {
            "source_file": [o.file.relative_path for o in outcomes],
            "content_hash": [o.content_hash for o in outcomes],
            "version": pa.array([o.version for o in outcomes], pa.int32()),
            "size_bytes": pa.array([o.file.size_bytes for o in outcomes], pa.int64()),
            "mtime_ns": pa.array([o.file.mtime_ns for o in outcomes], pa.int64()),
            "rows_in_file": pa.array([o.rows_in_file for o in outcomes], pa.int64()),
            "rows_loaded": pa.array([o.rows_loaded for o in outcomes], pa.int64()),
            "rows_rejected": pa.array([o.rows_rejected for o in outcomes], pa.int64()),
        }
    )
    con.register("_loaded_versions", loaded)
    try:
        con.execute(
            f"""
            update {LEDGER} set status = 'superseded', superseded_at = ?
            from _loaded_versions as new
            where {LEDGER}.source_file = new.source_file
                and {LEDGER}.content_hash <> new.content_hash
                and {LEDGER}.status <> 'superseded'
            """,
            [at],
        )
        con.execute(
            f"""
            insert or replace into {LEDGER} (
                source, source_file, content_hash, version, status, size_bytes, mtime_ns,
                rows_in_file, rows_loaded, rows_rejected, message, ingested_at, superseded_at
            )
            select
                ?, source_file, content_hash, version, 'loaded', size_bytes, mtime_ns,
                rows_in_file, rows_loaded, rows_rejected, null, ?, null
            from _loaded_versions
            """,
            [source_name, at],
        )
    finally:
        con.unregister("_loaded_versions")


def record_refused(
    con: duckdb.DuckDBPyConnection,
    source_name: str,
    file: LandingFile,
    content_hash: str,
    version: int,
    message: str,
    at: datetime,
) -> None:
    """Record a refusal; an earlier refusal of the path is superseded, a loaded version stays."""
    con.execute(
        f"""
        update {LEDGER} set status = 'superseded', superseded_at = ?
        where source_file = ? and content_hash <> ? and status = 'refused'
        """,
        [at, file.relative_path, content_hash],
    )
    con.execute(
        f"""
        insert or replace into {LEDGER} (
            source, source_file, content_hash, version, status, size_bytes, mtime_ns,
            rows_in_file, rows_loaded, rows_rejected, message, ingested_at, superseded_at
        )
        values (?, ?, ?, ?, 'refused', ?, ?, null, null, null, ?, ?, null)
        """,
        [
            source_name,
            file.relative_path,
            content_hash,
            version,
            file.size_bytes,
            file.mtime_ns,
            message,
            at,
        ],
    )
