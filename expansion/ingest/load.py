"""Ingest a landing zone into the ``raw`` schema: triage files, read, load in batches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from expansion.contract import SOURCES, Source
from expansion.ingest.batch import load_batch
from expansion.ingest.files import (
    FileRefused,
    LandingFile,
    content_hash,
    list_landing_files,
    read_landing_file,
)
from expansion.ingest.ledger import (
    FileOutcome,
    LedgerEntry,
    current_entries,
    is_unchanged_on_disk,
    next_version,
    record_loaded,
    record_refused,
    record_touched,
)
from expansion.ingest.schema import ensure_raw_schema

DEFAULT_BATCH_ROWS = 1_000_000
"""Whole files are gathered into a batch until it holds at least this many rows."""


@dataclass(frozen=True)
class SourceLoadResult:
    """What one ingestion run did with one source's landing folder."""

    source: str
    files_loaded: int
    """New files and new versions of known files, loaded in this run."""
    files_skipped: int
    """Files whose current version is already loaded."""
    files_refused: int
    """Files refused in this run or still refused since an earlier run (unchanged)."""
    rows_loaded: int
    rows_rejected: int
    """Distinct rows sent to ``raw._rejects`` in this run."""
    rejects_by_rule: dict[str, int]
    """Reject rows in this run, by rule (a row breaking two rules counts under both)."""
    refusals: tuple[str, ...]
    """One message per refused file, and one for a missing required source folder."""


def ingest_source(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    source: Source,
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> SourceLoadResult:
    """Load the new and changed files of ``<landing_dir>/<source>/`` into ``raw.<source>``.

    Each ``*.csv`` / ``*.parquet`` file is triaged against ``raw._load_ledger``:

    * same path, size and mtime as its current ledger entry: skipped unread;
    * otherwise hashed (SHA-256): same content as the current entry: skipped
      (the new size/mtime are recorded);
    * new path: loaded as version 1;
    * known path, new content: a corrected file. Loading it deletes the rows
      and rejects of the path's earlier versions and marks those versions
      ``superseded`` in the same transaction. If the new version is refused,
      the earlier loaded version stays in place;
    * unreadable or lacking a required column: refused whole and recorded in
      the ledger with the message; a later corrected version loads. An
      unchanged refused file is reported again on every run.

    Rows breaking a rule go to ``raw._rejects`` (one row per broken rule; see
    :mod:`expansion.ingest.rules`), never into ``raw.<source>``. Files are
    loaded in path order, in batches of whole files of about ``batch_rows``
    rows, one transaction per batch. Deleting a landing file does not unload
    its rows. Account-referencing sources need ``raw.accounts`` loaded first.
    """
    ensure_raw_schema(con)
    folder = landing_dir / source.name
    if not folder.is_dir():
        missing = (
            ()
            if source.optional
            else (f"{source.name}: required source folder {folder} is missing",)
        )
        return _Tally(source.name, refusals=list(missing)).result()
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    ledger = current_entries(con, source.name)
    tally = _Tally(source.name)
    pending: list[_ReadFile] = []
    for file in list_landing_files(landing_dir, source):
        entry = ledger.get(file.relative_path)
        digest = _new_content_hash(con, file, entry)
        if digest is None:
            tally.unchanged(entry)
            continue
        try:
            table = read_landing_file(file, source)
        except FileRefused as refusal:
            with _transaction(con):
                record_refused(
                    con, source.name, file, digest, next_version(entry), str(refusal), loaded_at
                )
            tally.refuse(str(refusal))
            continue
        pending.append(_ReadFile(file, digest, next_version(entry), entry is not None, table))
        if sum(read.table.num_rows for read in pending) >= batch_rows:
            _load(con, source, pending, loaded_at, tally)
            pending = []
    if pending:
        _load(con, source, pending, loaded_at, tally)
    return tally.result()


def ingest_landing_zone(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    sources: Sequence[Source] = SOURCES,
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> list[SourceLoadResult]:
    """Ingest every source, ``accounts`` first (the others are checked against it)."""
    ordered = sorted(sources, key=lambda source: source.name != "accounts")
    return [ingest_source(con, landing_dir, source, batch_rows=batch_rows) for source in ordered]


@dataclass(frozen=True)
class _ReadFile:
    file: LandingFile
    content_hash: str
    version: int
    replaces_earlier: bool
    table: pa.Table


@dataclass
class _Tally:
    source: str
    files_loaded: int = 0
    files_skipped: int = 0
    files_refused: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejects_by_rule: Counter[str] = field(default_factory=Counter)
    refusals: list[str] = field(default_factory=list)

    def refuse(self, message: str) -> None:
        self.files_refused += 1
        self.refusals.append(message)

    def unchanged(self, entry: LedgerEntry | None) -> None:
        assert entry is not None, "only a file with a ledger entry is unchanged"
        if entry.status == "refused":
            self.refuse(entry.message or entry.source_file)
        else:
            self.files_skipped += 1

    def result(self) -> SourceLoadResult:
        return SourceLoadResult(
            source=self.source,
            files_loaded=self.files_loaded,
            files_skipped=self.files_skipped,
            files_refused=self.files_refused,
            rows_loaded=self.rows_loaded,
            rows_rejected=self.rows_rejected,
            rejects_by_rule=dict(self.rejects_by_rule),
            refusals=tuple(self.refusals),
        )


def _new_content_hash(
    con: duckdb.DuckDBPyConnection, file: LandingFile, entry: LedgerEntry | None
) -> str | None:
    """The file's hash when its content is not the path's current version, else None.

    A file whose size and mtime match the ledger is not read; one that only
    changed on disk (same hash) gets its new size/mtime recorded.
    """
    if is_unchanged_on_disk(file, entry):
        return None
    digest = content_hash(file.path)
    if entry is not None and digest == entry.content_hash:
        record_touched(con, file, digest)
        return None
    return digest


def _load(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    pending: list[_ReadFile],
    loaded_at: datetime,
    tally: _Tally,
) -> None:
    batch = pa.concat_tables([read.table for read in pending])
    replaced = [read.file.relative_path for read in pending if read.replaces_earlier]
    with _transaction(con):
        counts = load_batch(con, source, batch, replaced, loaded_at)
        for read in pending:
            path = read.file.relative_path
            outcome = FileOutcome(
                read.file,
                read.content_hash,
                read.version,
                rows_in_file=read.table.num_rows,
                rows_loaded=counts.rows_loaded.get(path, 0),
                rows_rejected=counts.rows_rejected.get(path, 0),
            )
            record_loaded(con, source.name, outcome, loaded_at)
    tally.files_loaded += len(pending)
    tally.rows_loaded += sum(counts.rows_loaded.values())
    tally.rows_rejected += sum(counts.rows_rejected.values())
    tally.rejects_by_rule += counts.rejects_by_rule


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()
