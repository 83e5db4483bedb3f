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
    NO_CONTENT,
    FileOutcome,
    LedgerEntry,
    current_entries,
    is_unchanged_on_disk,
    loaded_rows,
    next_version,
    record_loaded,
    record_refused,
    record_touched,
    withdraw_refusals,
)
from expansion.ingest.schema import ensure_raw_schema

DEFAULT_BATCH_ROWS = 1_000_000
"""Whole files are gathered into a batch until it holds at least this many rows."""

CONFIRM_EMPTY_SUFFIX = ".confirm-empty"
"""``usage_daily/2026-03-01.csv.confirm-empty`` beside a header-only file confirms that
it may replace the loaded version and delete its rows."""


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
    """One message per refused file or unreadable entry, and one for a missing (or
    unlistable) required source folder."""
    replacements: tuple[str, ...] = ()
    """One message per loaded file that replaced an earlier version of its path, with
    both versions' row counts."""


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
    * a header-only (0-row) file replacing a version that had rows is refused,
      keeping those rows, unless ``<file>.confirm-empty`` lies beside it;
    * unreadable or lacking a required column: refused whole and recorded in
      the ledger with the message; a later corrected version loads. An
      unchanged refused file is reported again on every run;
    * an entry named like a data file that is not a readable file (a dangling
      symbolic link, a directory, a pipe, no read permission) is refused the
      same way, with content hash ``unreadable``; a refused entry that has left
      the folder is marked ``withdrawn``.

    Rows breaking a rule go to ``raw._rejects`` (one row per broken rule; see
    :mod:`expansion.ingest.rules`), never into ``raw.<source>``. Files are
    loaded in path order, in batches of whole files of about ``batch_rows``
    rows, one transaction per batch. Deleting a landing file does not unload
    its rows. Account-referencing sources need ``raw.accounts`` loaded first.
    """
    ensure_raw_schema(con)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    ledger = current_entries(con, source.name)
    tally = _Tally(source.name)

    def refuse_unreadable(relative_path: str, message: str, mtime_ns: int = 0) -> None:
        _record_unreadable(con, source.name, ledger, relative_path, message, mtime_ns, loaded_at)
        tally.refuse(message)

    try:
        files, unreadable = list_landing_files(landing_dir, source)
    except OSError as error:
        message = _folder_refusal(source, landing_dir / source.name, error)
        if message is not None:
            refuse_unreadable(f"{source.name}/", message)
        return tally.result()
    for entry in unreadable:
        refuse_unreadable(entry.relative_path, entry.message, entry.mtime_ns)
    with _transaction(con):
        present = {file.relative_path for file in files} | {e.relative_path for e in unreadable}
        withdraw_refusals(con, source.name, present, loaded_at)
    loaded = loaded_rows(con, source.name)
    pending: list[_ReadFile] = []
    for file in files:
        entry = ledger.get(file.relative_path)
        try:
            digest = _hash_to_load(con, file, entry)
            if digest is None:
                tally.unchanged(entry)
                continue
            same_content = entry is not None and entry.content_hash == digest
            version = entry.version if same_content else next_version(entry)
            table = read_landing_file(file, source)
            _refuse_unconfirmed_emptying(file, table, loaded.get(file.relative_path))
        except OSError as error:  # vanished or unreadable between listing and reading
            message = f"{file.relative_path}: cannot be read ({error.strerror or error}); "
            refuse_unreadable(file.relative_path, message + "nothing of it was loaded")
            continue
        except FileRefused as refusal:
            with _transaction(con):
                record_refused(con, source.name, file, digest, version, str(refusal), loaded_at)
            tally.refuse(str(refusal))
            continue
        pending.append(_ReadFile(file, digest, version, loaded.get(file.relative_path), table))
        if sum(read.table.num_rows for read in pending) >= batch_rows:
            _load(con, source, pending, loaded_at, tally)
            pending = []
    if pending:
        _load(con, source, pending, loaded_at, tally)
    return tally.result()


def confirm_empty_marker(file: LandingFile) -> Path:
    """``<file>.confirm-empty``: its presence lets a header-only file delete the rows of
    the version it replaces."""
    return file.path.with_name(file.path.name + CONFIRM_EMPTY_SUFFIX)


def _emptying_now_confirmed(file: LandingFile, entry: LedgerEntry | None) -> bool:
    """A refused file (unchanged on disk) whose ``.confirm-empty`` marker has appeared."""
    return (
        entry is not None
        and entry.status == "refused"
        and entry.content_hash != NO_CONTENT
        and confirm_empty_marker(file).exists()
    )


def _refuse_unconfirmed_emptying(
    file: LandingFile, table: pa.Table, loaded: tuple[int, int] | None
) -> None:
    """Raise :class:`FileRefused` when a header-only file would delete a loaded version's rows
    and no ``.confirm-empty`` marker confirms it."""
    if table.num_rows > 0 or loaded is None or loaded[1] == 0:
        return
    marker = confirm_empty_marker(file)
    if marker.exists():
        return
    version, rows = loaded
    raise FileRefused(
        f"{file.relative_path}: header only, no data rows; it would replace version {version} "
        f"and delete its {rows:,} rows, so version {version} stays loaded. If the rows must "
        f"go, create {marker.name} beside it and run again"
    )


def _folder_refusal(source: Source, folder: Path, error: OSError) -> str | None:
    """Why a source folder could not be listed; None for an optional source's absence."""
    if isinstance(error, FileNotFoundError):
        return (
            None
            if source.optional
            else f"{source.name}: required source folder {folder} is missing"
        )
    if isinstance(error, NotADirectoryError):
        return f"{source.name}: required source folder {folder} is not a folder"
    return f"{source.name}: source folder {folder} cannot be listed ({error.strerror or error})"


def _record_unreadable(
    con: duckdb.DuckDBPyConnection,
    source_name: str,
    ledger: dict[str, LedgerEntry],
    relative_path: str,
    message: str,
    mtime_ns: int,
    at: datetime,
) -> None:
    """Record the refusal of an entry that has no content to load, unless the ledger
    already holds that very refusal as the path's current entry."""
    entry = ledger.get(relative_path)
    already = entry is not None and entry.content_hash == NO_CONTENT
    if already and entry.status == "refused" and entry.message == message:
        return
    version = entry.version if already else next_version(entry)
    placeholder = LandingFile(Path(relative_path), relative_path, 0, mtime_ns)
    with _transaction(con):
        record_refused(con, source_name, placeholder, NO_CONTENT, version, message, at)


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
    replaces: tuple[int, int] | None
    """The loaded version this file replaces, and its rows: (version, rows in file)."""
    table: pa.Table

    def replacement_message(self) -> str | None:
        if self.replaces is None:
            return None
        old_version, old_rows = self.replaces
        rows = self.table.num_rows
        note = f"version {self.version} ({_rows(rows)}) replaces version {old_version} "
        note += f"({_rows(old_rows)})"
        if rows == 0 and old_rows:
            note += f"; emptied on purpose ({confirm_empty_marker(self.file).name})"
        return f"{self.file.relative_path}: {note}"


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
    replacements: list[str] = field(default_factory=list)

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
            replacements=tuple(self.replacements),
        )


def _hash_to_load(
    con: duckdb.DuckDBPyConnection, file: LandingFile, entry: LedgerEntry | None
) -> str | None:
    """The file's hash when it must be read, else None.

    It must be read when its content is not the path's current version, or when it
    is a refused header-only file whose ``.confirm-empty`` marker has appeared since.
    A file whose size and mtime match the ledger is not read; one that only changed
    on disk (same hash) gets its new size/mtime recorded.
    """
    if _emptying_now_confirmed(file, entry):
        return content_hash(file.path)
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
    replaced = [read.file.relative_path for read in pending if read.replaces is not None]
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
    tally.replacements += [m for m in (read.replacement_message() for read in pending) if m]
    tally.rows_loaded += sum(counts.rows_loaded.values())
    tally.rows_rejected += sum(counts.rows_rejected.values())
    tally.rejects_by_rule += counts.rejects_by_rule


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()
