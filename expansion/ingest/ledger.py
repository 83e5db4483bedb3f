"""``raw._load_ledger``: which version of each landing file is in the warehouse.

One row per (path, content hash). The newest version of a path (highest
``version``) is its *current* entry and is never ``superseded``:

* ``loaded``: its rows are in ``raw.<source>`` and its rejects in ``raw._rejects``;
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

from dataclasses import dataclass
from datetime import datetime

import duckdb

from expansion.ingest.files import LandingFile

NO_CONTENT = "unreadable"
"""The content hash recorded for a refused entry that could not be read at all."""


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
        """
        select source_file, content_hash, version, status, size_bytes, mtime_ns, message
        from raw._load_ledger
        where source = ?
        qualify version = max(version) over (partition by source_file)
        """,
        [source_name],
    ).fetchall()
    return {row[0]: LedgerEntry(*row) for row in rows}


def loaded_rows(con: duckdb.DuckDBPyConnection, source_name: str) -> dict[str, tuple[int, int]]:
    """The loaded version of every path of a source: path -> (version, rows in that file)."""
    rows = con.execute(
        """
        select source_file, version, rows_in_file
        from raw._load_ledger
        where source = ? and status = 'loaded'
        """,
        [source_name],
    ).fetchall()
    return {path: (version, rows_in_file) for path, version, rows_in_file in rows}


def withdraw_refusals(
    con: duckdb.DuckDBPyConnection, source_name: str, present: set[str], at: datetime
) -> None:
    """Mark ``withdrawn`` the refusals of entries that are no longer in the landing zone."""
    con.execute(
        """
        update raw._load_ledger set status = 'withdrawn', superseded_at = ?
        where source = ? and status = 'refused' and not list_contains(?, source_file)
        """,
        [at, source_name, sorted(present)],
    )


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
        """
        update raw._load_ledger set size_bytes = ?, mtime_ns = ?
        where source_file = ? and content_hash = ?
        """,
        [file.size_bytes, file.mtime_ns, file.relative_path, content_hash],
    )


def record_loaded(
    con: duckdb.DuckDBPyConnection, source_name: str, outcome: FileOutcome, at: datetime
) -> None:
    """Mark every other version of the path superseded and this one loaded."""
    file = outcome.file
    con.execute(
        """
        update raw._load_ledger set status = 'superseded', superseded_at = ?
        where source_file = ? and content_hash <> ? and status <> 'superseded'
        """,
        [at, file.relative_path, outcome.content_hash],
    )
    con.execute(
        """
        insert or replace into raw._load_ledger (
            source, source_file, content_hash, version, status, size_bytes, mtime_ns,
            rows_in_file, rows_loaded, rows_rejected, message, ingested_at, superseded_at
        )
        values (?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?, null, ?, null)
        """,
        [
            source_name,
            file.relative_path,
            outcome.content_hash,
            outcome.version,
            file.size_bytes,
            file.mtime_ns,
            outcome.rows_in_file,
            outcome.rows_loaded,
            outcome.rows_rejected,
            at,
        ],
    )


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
        """
        update raw._load_ledger set status = 'superseded', superseded_at = ?
        where source_file = ? and content_hash <> ? and status = 'refused'
        """,
        [at, file.relative_path, content_hash],
    )
    con.execute(
        """
        insert or replace into raw._load_ledger (
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
