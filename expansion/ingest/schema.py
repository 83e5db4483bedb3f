"""The ``raw`` schema: one typed table per source, the rejects and the load ledger."""

from __future__ import annotations

import duckdb

from expansion.contract import SOURCES, SQL_TYPES

REJECTS_DDL = """
create table if not exists raw._rejects (
    source varchar not null,
    source_file varchar not null,
    source_row_number bigint not null,
    rule varchar not null,
    column_name varchar not null,
    message varchar not null,
    original_values json not null,
    rejected_at timestamp not null
)
"""
"""One row per rule a landed row breaks. ``original_values`` holds the row's raw
text cells as JSON (``""`` for an empty cell, ``null`` for an absent optional
column); ``column_name`` lists the key columns for ``duplicate_key``."""

LEDGER_DDL = """
create table if not exists raw._load_ledger (
    source varchar not null,
    source_file varchar not null,
    content_hash varchar not null,
    version integer not null,
    status varchar not null,
    size_bytes bigint not null,
    mtime_ns bigint not null,
    rows_in_file bigint,
    rows_loaded bigint,
    rows_rejected bigint,
    message varchar,
    ingested_at timestamp not null,
    superseded_at timestamp,
    primary key (source_file, content_hash)
)
"""
"""One row per version (content hash) of each landing file. ``version`` counts
up per path; ``status`` is ``loaded``, ``refused``, ``superseded`` or
``withdrawn``; ``message`` is the refusal; row counts are null for a refused file.
An entry that could not be read at all (and a missing source folder, ``<source>/``)
has the content hash ``unreadable``."""


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``raw``: every ``raw.<source>`` table, ``_rejects`` and ``_load_ledger``."""
    con.execute("create schema if not exists raw")
    for source in SOURCES:
        con.execute(source.raw_table_ddl())
        for column in source.columns:  # a column the contract gained since the table was made
            con.execute(
                f"alter table {source.raw_table} add column if not exists "
                f"{column.name} {SQL_TYPES[column.type]}"
            )
    con.execute(REJECTS_DDL)
    con.execute(LEDGER_DDL)
