"""Finding, fingerprinting and reading landing files.

A file is read whole into an Arrow table of text columns (the contract's
columns, in contract order; an absent optional column is all null) plus the
lineage columns ``_source_file`` and ``_source_row_number``. Typing happens
later, in SQL, so a value that does not fit its type becomes a reject rather
than a read error.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
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


class FileRefused(Exception):
    """A file that cannot be loaded at all; the message names the file."""


def list_landing_files(landing_dir: Path, source: Source) -> list[LandingFile]:
    """The source folder's CSV and Parquet files, by relative path (daily files: by date)."""
    files = []
    for path in (landing_dir / source.name).iterdir():
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            stat = path.stat()
            relative = path.relative_to(landing_dir).as_posix()
            files.append(LandingFile(path, relative, stat.st_size, stat.st_mtime_ns))
    return sorted(files, key=lambda file: file.relative_path)


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
