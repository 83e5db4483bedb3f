"""The raw zone: ingestion's validated output, as Parquet files both engines read.

Layout under ``DATA_DIR/raw`` (one writer: ingestion, under the refresh lock)::

    raw/
      <source>/                       one folder per contract source
        empty.parquet                 no rows, the source's columns: a source with
                                      nothing loaded still reads as an empty table
        2026-03-01.csv-3f2a9c1b07d4.parquet
                                      the loaded version of landing file
                                      <source>/2026-03-01.csv: its accepted rows, typed,
                                      with _source_file, _source_row_number, _loaded_at
      _rejects/
        empty.parquet
        usage_daily.2026-03-01.csv-3f2a9c1b07d4.parquet
                                      the rejects of that version (only when it has some)
      _load_ledger/
        <source>.parquet              every version of every landing file of the source

A data file is named after its landing path (the file name, made safe, and a digest
of the path), not after its content: a corrected landing file's new version is
written to a hidden temporary name beside it and renamed over the old one, so a
reader sees one version of each landing file, whole, never both and never a part.

**One commit point per batch: the ledger.** A batch of landing files is staged
(every data and rejects file written under a hidden temporary name that carries
the version's content hash, and flushed to disk), then the source's ledger is
rewritten and renamed into place: from that rename on, the batch is loaded. Then
:meth:`RawZone.settle` renames the staged files into place and removes rejects
that the new versions no longer have. ``settle`` is idempotent and runs again at
the start of every ingestion: a run killed before its ledger rename leaves staged
files that settle deletes (the batch never happened); one killed after it leaves
staged files that settle renames into place (the batch is finished). A reader
between such a crash and the next ingestion sees each landing file's old or new
version, whole.

Readers glob ``raw/<source>/*.parquet``: DuckDB through ``read_parquet`` (see
:func:`attach_raw_zone`), Spark through a view over ``parquet.`<folder>```. Names
starting with ``.`` or ``_`` are hidden from Spark, which is why temporary files
start with ``.`` and data files never do.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from expansion.contract import LINEAGE_COLUMNS, SOURCES, SQL_TYPES, Source
from expansion.durable import fsync

EMPTY_FILE = "empty.parquet"
REJECTS_DIR = "_rejects"
LEDGER_DIR = "_load_ledger"
PARQUET_SUFFIX = ".parquet"
TEMP_SUFFIX = ".tmp"
COMPRESSION = "zstd"

_ARROW_TYPES: dict[str, pa.DataType] = {
    "varchar": pa.string(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "decimal(18,4)": pa.decimal128(18, 4),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "boolean": pa.bool_(),
}

REJECTS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "varchar"),
    ("source_file", "varchar"),
    ("source_row_number", "bigint"),
    ("rule", "varchar"),
    ("column_name", "varchar"),
    ("message", "varchar"),
    ("original_values", "varchar"),
    ("rejected_at", "timestamp"),
)
"""One row per rule a landed row breaks. ``original_values`` holds the row's raw text
cells as a JSON object (``""`` for an empty cell, ``null`` for an absent optional
column); ``column_name`` lists the key columns for ``duplicate_key``."""

LEDGER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "varchar"),
    ("source_file", "varchar"),
    ("content_hash", "varchar"),
    ("version", "integer"),
    ("status", "varchar"),
    ("size_bytes", "bigint"),
    ("mtime_ns", "bigint"),
    ("rows_in_file", "bigint"),
    ("rows_loaded", "bigint"),
    ("rows_rejected", "bigint"),
    ("message", "varchar"),
    ("ingested_at", "timestamp"),
    ("superseded_at", "timestamp"),
)
"""One row per version (content hash) of each landing file; see
:mod:`expansion.ingest.ledger`."""


def source_columns(source: Source) -> tuple[tuple[str, str], ...]:
    """A source's raw columns and their SQL types: the contract's, then the lineage."""
    return tuple((c.name, SQL_TYPES[c.type]) for c in source.columns) + LINEAGE_COLUMNS


def arrow_schema(columns: Iterable[tuple[str, str]]) -> pa.Schema:
    return pa.schema([(name, _ARROW_TYPES[sql_type]) for name, sql_type in columns])


def data_file_name(relative_path: str) -> str:
    """``usage_daily/2026-03-01.csv`` -> ``2026-03-01.csv-3f2a9c1b07d4.parquet``: the landing
    file's name (characters other than letters, digits, ``.``, ``-`` and ``_`` made ``_``;
    never starting with ``.`` or ``_``, which Spark would skip) and a digest of the path."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", relative_path.rsplit("/", 1)[-1]).lstrip("._")
    digest = hashlib.sha256(relative_path.encode()).hexdigest()[:12]
    return f"{name}-{digest}{PARQUET_SUFFIX}"


@dataclass(frozen=True)
class LoadedVersion:
    """What the ledger says is loaded for one landing path."""

    content_hash: str
    has_rejects: bool


@dataclass(frozen=True)
class StagedVersion:
    """One landing file version's rows and rejects, to be written into the zone."""

    relative_path: str
    content_hash: str
    rows: pa.Table
    rejects: pa.Table


@dataclass(frozen=True)
class RawZone:
    root: Path

    def source_dir(self, source_name: str) -> Path:
        return self.root / source_name

    @property
    def rejects_dir(self) -> Path:
        return self.root / REJECTS_DIR

    @property
    def ledger_dir(self) -> Path:
        return self.root / LEDGER_DIR

    def ledger_file(self, source_name: str) -> Path:
        return self.ledger_dir / f"{source_name}{PARQUET_SUFFIX}"

    def data_file(self, source_name: str, relative_path: str) -> Path:
        return self.source_dir(source_name) / data_file_name(relative_path)

    def rejects_file(self, source_name: str, relative_path: str) -> Path:
        return self.rejects_dir / f"{source_name}.{data_file_name(relative_path)}"

    def ensure(self, sources: Iterable[Source] = SOURCES) -> None:
        """Create the folders, every ``empty.parquet`` and an empty ledger per source."""
        self.ledger_dir.mkdir(parents=True, exist_ok=True)
        self.rejects_dir.mkdir(parents=True, exist_ok=True)
        for source in sources:
            self.source_dir(source.name).mkdir(parents=True, exist_ok=True)
            _write_if_missing(self.source_dir(source.name) / EMPTY_FILE, source_columns(source))
            _write_if_missing(self.ledger_file(source.name), LEDGER_COLUMNS)
        _write_if_missing(self.rejects_dir / EMPTY_FILE, REJECTS_COLUMNS)

    def stage(self, source: Source, version: StagedVersion) -> None:
        """Write a version's rows (and rejects, if any) to hidden temporary files beside
        their final names, flushed to disk; :meth:`settle` moves them into place once
        the ledger records the version."""
        _write_durably(
            _staged_name(self.data_file(source.name, version.relative_path), version),
            version.rows.cast(arrow_schema(source_columns(source))),
        )
        if version.rejects.num_rows:
            _write_durably(
                _staged_name(self.rejects_file(source.name, version.relative_path), version),
                version.rejects.cast(arrow_schema(REJECTS_COLUMNS)),
            )

    def commit_ledger(self, source_name: str, ledger: pa.Table) -> None:
        """Replace the source's ledger in one rename: the commit point of a batch."""
        target = self.ledger_file(source_name)
        temp = target.with_name(f".{target.name}{TEMP_SUFFIX}")
        _write_durably(temp, ledger.cast(arrow_schema(LEDGER_COLUMNS)))
        os.replace(temp, target)
        fsync(target.parent)

    def settle(self, source_name: str, loaded: Mapping[str, LoadedVersion]) -> list[str]:
        """Make the source's files what the ledger says is loaded (``loaded``: landing path
        -> its loaded version). Staged files of a recorded version are renamed into place,
        other staged files deleted; rejects files of versions without rejects and data
        files of paths with no loaded version are removed, and so is a ledger file left
        half-written by a run killed while it wrote it. Returns the landing paths whose
        loaded version has no data file (deleted by hand): they must be read again."""
        data_names = {data_file_name(path): path for path in loaded}
        rejects_prefix = f"{source_name}."
        folders = [
            (self.source_dir(source_name), data_names, False),
            (self.rejects_dir, {rejects_prefix + n: p for n, p in data_names.items()}, True),
        ]
        for folder, paths_by_name, is_rejects in folders:
            changed = False
            for entry in folder.iterdir():
                name = entry.name
                if is_rejects and not name.lstrip(".").startswith(rejects_prefix):
                    continue
                if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                    final, _, content_hash = name[1 : -len(TEMP_SUFFIX)].rpartition(".")
                    path = paths_by_name.get(final)
                    if path is not None and loaded[path].content_hash == content_hash:
                        os.replace(entry, folder / final)
                    else:
                        entry.unlink()
                    changed = True
                elif name.endswith(PARQUET_SUFFIX) and name != EMPTY_FILE:
                    path = paths_by_name.get(name)
                    if path is None or (is_rejects and not loaded[path].has_rejects):
                        entry.unlink()
                        changed = True
            if changed:
                fsync(folder)
        ledger = self.ledger_file(source_name)
        ledger.with_name(f".{ledger.name}{TEMP_SUFFIX}").unlink(missing_ok=True)
        present = {entry.name for entry in self.source_dir(source_name).iterdir()}
        return sorted(path for name, path in data_names.items() if name not in present)


def attach_raw_zone(
    con: duckdb.DuckDBPyConnection, zone: RawZone, names: Iterable[str] | None = None
) -> None:
    """Views ``raw.<source>``, ``raw._rejects`` and ``raw._load_ledger`` over the zone's
    Parquet files, in a DuckDB connection (each query reads the files as they are then);
    ``names`` limits them to those views."""
    con.execute("create schema if not exists raw")
    folders = {source.name: zone.source_dir(source.name) for source in SOURCES}
    folders |= {REJECTS_DIR: zone.rejects_dir, LEDGER_DIR: zone.ledger_dir}
    if names is not None:
        folders = {name: folders[name] for name in names}
    for name, folder in folders.items():
        pattern = sql_literal(str(folder / f"*{PARQUET_SUFFIX}"))
        con.execute(f"create or replace view raw.{name} as select * from read_parquet({pattern})")


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _staged_name(final: Path, version: StagedVersion) -> Path:
    return final.with_name(f".{final.name}.{version.content_hash}{TEMP_SUFFIX}")


def _write_if_missing(path: Path, columns: Iterable[tuple[str, str]]) -> None:
    if not path.exists():
        temp = path.with_name(f".{path.name}{TEMP_SUFFIX}")
        _write_durably(temp, arrow_schema(columns).empty_table())
        os.replace(temp, path)


def _write_durably(path: Path, table: pa.Table) -> None:
    pq.write_table(table, path, compression=COMPRESSION)
    fsync(path)
