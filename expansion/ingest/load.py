"""Ingest a landing zone into the raw zone: triage files, read, validate and load in batches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from expansion.clock import utc_now
from expansion.contract import SOURCES, Source
from expansion.ingest.batch import validate_batch
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
    commit_ledger,
    current_entries,
    is_unchanged_on_disk,
    loaded_rows,
    loaded_versions,
    next_version,
    open_ledger,
    record_loaded,
    record_refused,
    record_touched,
    withdraw_refusals,
)
from expansion.ingest.zone import RawZone, StagedVersion, attach_raw_zone

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
    """Distinct rows rejected (written to ``raw/_rejects``) in this run."""
    rejects_by_rule: dict[str, int]
    """Reject rows in this run, by rule (a row breaking two rules counts under both)."""
    refusals: tuple[str, ...]
    """One message per refused file or unreadable entry, and one for a missing (or
    unlistable) required source folder."""
    replacements: tuple[str, ...] = ()
    """One message per loaded file that replaced an earlier version of its path, with
    both versions' row counts."""


def ingest_source(
    zone: RawZone,
    landing_dir: Path,
    source: Source,
    *,
    engine: duckdb.DuckDBPyConnection | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> SourceLoadResult:
    """Load the new and changed files of ``<landing_dir>/<source>/`` into the raw zone.

    ``engine`` is the DuckDB connection that validates (default: a new in-memory one);
    it gets views ``raw.<source>`` and ``raw.accounts`` over the zone
    (:func:`attach_raw_zone`). Each ``*.csv`` / ``*.parquet`` file is triaged against
    the source's load ledger:

    * same path, size and mtime as its current ledger entry: skipped unread;
    * otherwise hashed (SHA-256): same content as the current entry: skipped
      (the new size/mtime are recorded);
    * new path: loaded as version 1;
    * known path, new content: a corrected file. Its rows and rejects replace
      those of the path's earlier version, and that version becomes
      ``superseded``, in the same commit. If the new version is refused, the
      earlier loaded version stays in place;
    * a header-only (0-row) file replacing a version that had rows is refused,
      keeping those rows, unless ``<file>.confirm-empty`` lies beside it;
    * unreadable or lacking a required column: refused whole and recorded in
      the ledger with the message; a later corrected version loads. An
      unchanged refused file is reported again on every run;
    * an entry named like a data file that is not a readable file (a dangling
      symbolic link, a directory, a pipe, no read permission) is refused the
      same way, with content hash ``unreadable``; a refused entry that has left
      the folder is marked ``withdrawn``.

    Rows breaking a rule go to the rejects (one row per broken rule; see
    :mod:`expansion.ingest.rules`), never into the source's rows. Files are
    loaded in path order, in batches of whole files of about ``batch_rows``
    rows, one commit per batch (:mod:`expansion.ingest.zone`). Deleting a
    landing file does not unload its rows; deleting a file of the raw zone by
    hand makes the next run read its landing file again. Account-referencing
    sources need ``accounts`` loaded first.
    """
    with _engine(engine) as con:
        zone.ensure()
        attach_raw_zone(con, zone, {source.name, "accounts"})  # its rows, the known accounts
        open_ledger(con, zone, source.name)
        missing = set(zone.settle(source.name, loaded_versions(con)))
        return _ingest(con, zone, landing_dir, source, missing, batch_rows)


def _ingest(
    con: duckdb.DuckDBPyConnection,
    zone: RawZone,
    landing_dir: Path,
    source: Source,
    missing: set[str],
    batch_rows: int,
) -> SourceLoadResult:
    loaded_at = utc_now()
    ledger = current_entries(con, source.name)
    tally = _Tally(source.name)

    def refuse_unreadable(relative_path: str, message: str, mtime_ns: int = 0) -> None:
        recorded = _record_unreadable(
            con, source.name, ledger, relative_path, message, mtime_ns, loaded_at
        )
        if recorded:
            commit_ledger(con, zone, source.name)
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
    present = {file.relative_path for file in files} | {e.relative_path for e in unreadable}
    if withdraw_refusals(con, source.name, present, loaded_at):
        commit_ledger(con, zone, source.name)
    loaded = loaded_rows(con, source.name)
    pending: list[_ReadFile] = []
    for file in files:
        entry = ledger.get(file.relative_path)
        try:
            digest, touched = _hash_to_load(file, entry, file.relative_path in missing)
            if touched:  # same content, new size/mtime: remember them, skip hashing next time
                record_touched(con, file, entry.content_hash)
                commit_ledger(con, zone, source.name)
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
            record_refused(con, source.name, file, digest, version, str(refusal), loaded_at)
            commit_ledger(con, zone, source.name)
            tally.refuse(str(refusal))
            continue
        replaces = loaded.get(file.relative_path)
        if replaces is not None and replaces[0] == version:
            replaces = None  # the loaded version itself, read again (its data file was deleted)
        pending.append(_ReadFile(file, digest, version, replaces, table))
        if sum(read.table.num_rows for read in pending) >= batch_rows:
            _load(con, zone, source, pending, loaded_at, tally)
            pending = []
    if pending:
        _load(con, zone, source, pending, loaded_at, tally)
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
) -> bool:
    """Record the refusal of an entry that has no content to load, unless the ledger
    already holds that very refusal as the path's current entry; True if recorded."""
    entry = ledger.get(relative_path)
    already = entry is not None and entry.content_hash == NO_CONTENT
    if already and entry.status == "refused" and entry.message == message:
        return False
    version = entry.version if already else next_version(entry)
    placeholder = LandingFile(Path(relative_path), relative_path, 0, mtime_ns)
    record_refused(con, source_name, placeholder, NO_CONTENT, version, message, at)
    return True


def ingest_landing_zone(
    zone: RawZone,
    landing_dir: Path,
    sources: Sequence[Source] = SOURCES,
    *,
    engine: duckdb.DuckDBPyConnection | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> list[SourceLoadResult]:
    """Ingest every source, ``accounts`` first (the others are checked against it)."""
    ordered = sorted(sources, key=lambda source: source.name != "accounts")
    with _engine(engine) as con:
        return [
            ingest_source(zone, landing_dir, source, engine=con, batch_rows=batch_rows)
            for source in ordered
        ]


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
    file: LandingFile, entry: LedgerEntry | None, data_file_missing: bool
) -> tuple[str | None, bool]:
    """The file's hash when it must be read (else None), and whether only its size or
    mtime changed since the ledger recorded it.

    It must be read when its content is not the path's current version, when it is a
    refused header-only file whose ``.confirm-empty`` marker has appeared since, or when
    its loaded version's data file is missing from the raw zone. A file whose size and
    mtime match the ledger is not hashed.
    """
    if data_file_missing or _emptying_now_confirmed(file, entry):
        return content_hash(file.path), False
    if is_unchanged_on_disk(file, entry):
        return None, False
    digest = content_hash(file.path)
    if entry is not None and digest == entry.content_hash:
        return None, True
    return digest, False


def _load(
    con: duckdb.DuckDBPyConnection,
    zone: RawZone,
    source: Source,
    pending: list[_ReadFile],
    loaded_at: datetime,
    tally: _Tally,
) -> None:
    """Validate a batch, stage its files, commit the ledger, then settle the zone."""
    validated = validate_batch(con, source, pa.concat_tables([r.table for r in pending]), loaded_at)
    rows = _by_file(validated.rows, "_source_file")
    rejects = _by_file(validated.rejects, "source_file")
    counts = validated.counts
    empty_rows, empty_rejects = validated.rows.slice(0, 0), validated.rejects.slice(0, 0)
    outcomes = []
    for read in pending:
        path = read.file.relative_path
        zone.stage(
            source,
            StagedVersion(
                path,
                read.content_hash,
                rows.get(path, empty_rows),
                rejects.get(path, empty_rejects),
            ),
        )
        outcomes.append(
            FileOutcome(
                read.file,
                read.content_hash,
                read.version,
                rows_in_file=read.table.num_rows,
                rows_loaded=counts.rows_loaded.get(path, 0),
                rows_rejected=counts.rows_rejected.get(path, 0),
            )
        )
    record_loaded(con, source.name, outcomes, loaded_at)
    commit_ledger(con, zone, source.name)
    zone.settle(source.name, loaded_versions(con))
    tally.files_loaded += len(pending)
    tally.replacements += [m for m in (read.replacement_message() for read in pending) if m]
    tally.rows_loaded += sum(counts.rows_loaded.values())
    tally.rows_rejected += sum(counts.rows_rejected.values())
    tally.rejects_by_rule += counts.rejects_by_rule


def _by_file(table: pa.Table, column: str) -> dict[str, pa.Table]:
    """A table ordered by ``column`` cut into one slice per value of it."""
    counts = {item["values"]: item["counts"] for item in pc.value_counts(table[column]).to_pylist()}
    slices, offset = {}, 0
    for value in sorted(counts):
        slices[value] = table.slice(offset, counts[value])
        offset += counts[value]
    return slices


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


@contextmanager
def _engine(engine: duckdb.DuckDBPyConnection | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The caller's connection, or a new in-memory one closed afterwards."""
    if engine is not None:
        yield engine
        return
    con = duckdb.connect()
    try:
        yield con
    finally:
        con.close()
