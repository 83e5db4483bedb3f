"""Finding, fingerprinting and reading landing files.

A file is read whole into an Arrow table of text columns (the contract's
columns, in contract order; an absent optional column is all null) plus the
lineage columns ``_source_file`` and ``_source_row_number``. Typing happens
later, in SQL, so a value that does not fit its type becomes a reject rather
than a read error.

An entry named like a data file that cannot be read as one (a dangling
symbolic link, a directory, a pipe, a file without read permission) is
reported as an :class:`UnreadableEntry`, never skipped in silence.
"""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from expansion.contract import Column, Source
from expansion.ingest.rules import expectation

SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class LandingFile:
    path: Path
    relative_path: str
    """Relative to the landing directory, with ``/``: ``usage_daily/2026-11-21.csv``."""
    size_bytes: int
    mtime_ns: int


@dataclass(frozen=True)
class UnreadableEntry:
    """An entry of a source folder that is named like a data file but cannot be read."""

    path: Path
    relative_path: str
    reason: str
    """``a directory, not a file``, ``a symbolic link to /x, which does not exist``, ..."""
    mtime_ns: int

    @property
    def message(self) -> str:
        return f"{self.relative_path}: {self.reason}; nothing of it was loaded"


class FileRefused(Exception):
    """A file that cannot be loaded at all; the message names the file."""


def list_landing_files(
    landing_dir: Path, source: Source
) -> tuple[list[LandingFile], list[UnreadableEntry]]:
    """The source folder's CSV and Parquet files, by relative path (daily files: by date),
    and the entries named like one that are not readable files.

    Raises ``OSError`` when the folder itself cannot be listed.
    """
    files, unreadable = [], []
    for path in (landing_dir / source.name).iterdir():
        if path.suffix.lower() not in SUFFIXES:
            continue
        relative = path.relative_to(landing_dir).as_posix()
        reason, entry_stat = _unreadable_reason(path)
        if reason is None:
            files.append(LandingFile(path, relative, entry_stat.st_size, entry_stat.st_mtime_ns))
        else:
            mtime_ns = entry_stat.st_mtime_ns if entry_stat else 0
            unreadable.append(UnreadableEntry(path, relative, reason, mtime_ns))
    by_path = attrgetter("relative_path")
    return sorted(files, key=by_path), sorted(unreadable, key=by_path)


def _unreadable_reason(path: Path) -> tuple[str | None, os.stat_result | None]:
    """(None, its stat) for a readable regular file; else (why not, its lstat if any)."""
    try:
        entry_stat = path.stat()
    except FileNotFoundError:
        link_stat = path.lstat() if path.is_symlink() else None
        if link_stat is not None:
            return f"a symbolic link to {os.readlink(path)}, which does not exist", link_stat
        return "vanished while the folder was read", None
    except OSError as error:
        return f"cannot be read ({error.strerror or error})", None
    if stat.S_ISDIR(entry_stat.st_mode):
        return "a directory, not a file", entry_stat
    if not stat.S_ISREG(entry_stat.st_mode):
        return "not a regular file (a pipe, socket or device)", entry_stat
    if not os.access(path, os.R_OK):
        return "cannot be read (permission denied)", entry_stat
    return None, entry_stat


def content_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, hex."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def missing_columns(header: Sequence[str], source: Source) -> tuple[Column, ...]:
    """The source's required columns that ``header`` lacks."""
    present = set(header)
    return tuple(column for column in source.required_columns if column.name not in present)


def missing_columns_message(relative_path: str, missing: Sequence[Column]) -> str:
    """``accounts/accounts.csv: missing required column 'onboarded_at' (date, YYYY-MM-DD)``."""
    parts = [f"missing required column '{c.name}' ({expectation(c)})" for c in missing]
    return f"{relative_path}: " + "; ".join(parts)


OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "pipes"}


def delimiter_hint(header: Sequence[str], source: Source) -> str | None:
    """Why a CSV header lacks the contract's columns when it was written with another
    delimiter: ``the header is separated by semicolons ('account_id;usage_date;...')``."""
    if len(header) != 1:
        return None
    for delimiter, name in OTHER_DELIMITERS.items():
        cells = [cell.strip() for cell in header[0].split(delimiter)]
        if len(cells) > 1 and len(missing_columns(cells, source)) < len(source.required_columns):
            shown = header[0] if len(header[0]) <= 60 else header[0][:57] + "..."
            return (
                f"the header is separated by {name} ({shown!r}), not commas: "
                "export the file comma-separated"
            )
    return None


def read_landing_file(file: LandingFile, source: Source) -> pa.Table:
    """The file's rows as text in contract order, with lineage columns.

    Raises :class:`FileRefused` when the file cannot be parsed or lacks a
    required column. Extra columns are never read.
    """
    is_parquet = file.path.suffix.lower() == ".parquet"
    kind = "Parquet" if is_parquet else "CSV"
    try:
        header = _parquet_header(file.path) if is_parquet else _csv_header(file.path)
        if not header:
            raise FileRefused(f"{file.relative_path}: empty file (no header row)")
        missing = missing_columns(header, source)
        if missing:
            hint = None if is_parquet else delimiter_hint(header, source)
            if hint:
                raise FileRefused(
                    f"{file.relative_path}: {hint} (read with commas, it lacks "
                    f"{len(missing)} of its {len(source.required_columns)} required columns)"
                )
            raise FileRefused(missing_columns_message(file.relative_path, missing))
        present = [name for name in source.column_names if name in header]
        table = _read_parquet(file.path, present) if is_parquet else _read_csv(file.path, present)
    except (pa.ArrowException, csv.Error, UnicodeDecodeError) as error:
        raise FileRefused(f"{file.relative_path}: unreadable {kind} file ({error})") from error
    return with_lineage(conform(table, source), file.relative_path)


def conform(table: pa.Table, source: Source) -> pa.Table:
    """Text columns in contract order; an absent (optional) column is all null."""
    columns = [
        table.column(name) if name in table.column_names else pa.nulls(table.num_rows, pa.string())
        for name in source.column_names
    ]
    return pa.table(columns, names=list(source.column_names))


def with_lineage(table: pa.Table, relative_path: str) -> pa.Table:
    """Append ``_source_file`` and the 1-based data row ``_source_row_number``."""
    rows = table.num_rows
    return table.append_column(
        "_source_file", pa.repeat(pa.scalar(relative_path, pa.string()), rows)
    ).append_column("_source_row_number", pa.array(np.arange(1, rows + 1, dtype=np.int64)))


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return next(csv.reader(stream), [])


def _read_csv(path: Path, columns: list[str]) -> pa.Table:
    return pa_csv.read_csv(
        path,
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()),
            include_columns=columns,
            strings_can_be_null=False,
        ),
    )


def _parquet_header(path: Path) -> list[str]:
    return pq.read_schema(path).names


def _read_parquet(path: Path, columns: list[str]) -> pa.Table:
    table = pq.read_table(path, columns=columns)
    return pa.table([pc.cast(table.column(name), pa.string()) for name in columns], names=columns)
