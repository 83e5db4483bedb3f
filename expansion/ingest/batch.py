"""Validate and load one batch of files in set-based SQL.

A batch is a few whole files concatenated into one Arrow table of text cells
(see :mod:`expansion.ingest.files`). The caller wraps :func:`load_batch` in a
transaction together with the ledger rows of the batch's files, so a batch is
in the warehouse entirely or not at all.

Steps, each one statement over the whole batch:

1. copy the Arrow table into the temp table ``_ingest_batch``, casting every
   typed column once;
2. remove what earlier versions of these paths loaded (rows and rejects);
3. collect one reject per broken column rule and ``unknown_account`` in the
   temp table ``_ingest_rejects``;
4. rank the contract key of every other row by file then row, and look it up
   in ``raw.<source>`` (temp table ``_ingest_keys``);
5. add later repeats and keys already loaded as ``duplicate_key`` rejects;
6. write the rejects, with each row's original cells, to ``raw._rejects``;
7. insert the remaining rows, typed, into ``raw.<source>``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from expansion.contract import LINEAGE_COLUMNS, Source
from expansion.ingest.rules import (
    batch_columns,
    checks_for,
    duplicate_message,
    ident,
    original_values,
    text_value,
    typed_value,
)

_TEMP_TABLES = ("_ingest_batch", "_ingest_rejects", "_ingest_keys")


@dataclass(frozen=True)
class BatchCounts:
    rows_loaded: dict[str, int]
    """Rows inserted, by file."""
    rows_rejected: dict[str, int]
    """Distinct rows rejected, by file."""
    rejects_by_rule: Counter[str]
    """Reject rows (a row can break several rules), by rule."""


def load_batch(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    batch: pa.Table,
    replaced_paths: list[str],
    loaded_at: datetime,
) -> BatchCounts:
    """Load ``batch`` into ``raw.<source>`` and its rejects into ``raw._rejects``."""
    con.register("_ingest_arrow", batch)
    try:
        con.execute(
            "create or replace temp table _ingest_batch as "
            f"select {batch_columns(source)} from _ingest_arrow"
        )
    finally:
        con.unregister("_ingest_arrow")
    try:
        if replaced_paths:
            _remove_earlier_versions(con, source, replaced_paths)
        _collect_rule_rejects(con, source)
        _rank_keys(con, source)
        _collect_duplicate_rejects(con, source)
        _write_rejects(con, source, loaded_at)
        _insert_rows(con, source, loaded_at)
        return _counts(con)
    finally:
        for table in _TEMP_TABLES:
            con.execute(f"drop table if exists {table}")


def _remove_earlier_versions(
    con: duckdb.DuckDBPyConnection, source: Source, paths: list[str]
) -> None:
    con.execute(f"delete from {source.raw_table} where list_contains(?, _source_file)", [paths])
    con.execute(
        "delete from raw._rejects where source = ? and list_contains(?, source_file)",
        [source.name, paths],
    )


def _collect_rule_rejects(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    branches, params = [], []
    for check in checks_for(source):
        cell = f"coalesce({ident(check.column)}, '')"
        branches.append(
            f"select rowid as batch_row, ? as rule, ? as column_name, format(?, {cell}) as message "
            f"from _ingest_batch where {check.condition}"
        )
        params += [check.rule, check.column, check.message, *check.params]
    con.execute(
        f"create or replace temp table _ingest_rejects as {' union all '.join(branches)}", params
    )


def _rank_keys(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """``_ingest_keys``: per unrejected row, its key's rank in the batch and any loaded twin."""
    keys = [ident(name) for name in source.key]
    typed_keys = ", ".join(
        f"{typed_value(source.column(name))} as {ident(name)}" for name in source.key
    )
    match_loaded = " and ".join(f"loaded.{key} = clean.{key}" for key in keys)
    con.execute(
        f"""
        create or replace temp table _ingest_keys as
        with clean as (
            select rowid as batch_row, _source_file, _source_row_number, {typed_keys}
            from _ingest_batch
            where rowid not in (select batch_row from _ingest_rejects)
        )
        select
            clean.batch_row,
            clean._source_file as source_file,
            row_number() over first_seen as occurrence,
            first_value(clean._source_file) over first_seen as first_file,
            first_value(clean._source_row_number) over first_seen as first_row,
            loaded._source_file as loaded_file,
            loaded._source_row_number as loaded_row
        from clean
        left join {source.raw_table} as loaded on {match_loaded}
        window first_seen as (
            partition by {", ".join(f"clean.{key}" for key in keys)}
            order by clean._source_file, clean._source_row_number
        )
        """
    )


def _collect_duplicate_rejects(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    key_cells = ", ".join(f"coalesce({text_value(source.column(name))}, '')" for name in source.key)
    con.execute(
        f"""
        insert into _ingest_rejects
        select
            keys.batch_row,
            'duplicate_key',
            ?,
            case
                when keys.loaded_file is not null
                    then format(?, {key_cells}, keys.loaded_file, keys.loaded_row)
                else format(?, {key_cells}, keys.first_file, keys.first_row)
            end
        from _ingest_keys as keys
        join _ingest_batch on _ingest_batch.rowid = keys.batch_row
        where keys.loaded_file is not null or keys.occurrence > 1
        """,
        [
            ", ".join(source.key),
            duplicate_message(source, already_loaded=True),
            duplicate_message(source, already_loaded=False),
        ],
    )


def _write_rejects(con: duckdb.DuckDBPyConnection, source: Source, loaded_at: datetime) -> None:
    con.execute(
        f"""
        insert into raw._rejects (
            source, source_file, source_row_number, rule, column_name, message,
            original_values, rejected_at
        )
        select
            ?, _source_file, _source_row_number, rule, column_name, message,
            {original_values(source)}, ?
        from _ingest_rejects
        join _ingest_batch on _ingest_batch.rowid = _ingest_rejects.batch_row
        """,
        [source.name, loaded_at],
    )


def _insert_rows(con: duckdb.DuckDBPyConnection, source: Source, loaded_at: datetime) -> None:
    targets = [ident(name) for name in source.column_names]
    targets += [name for name, _ in LINEAGE_COLUMNS]
    values = [typed_value(column) for column in source.columns]
    con.execute(
        f"""
        insert into {source.raw_table} ({", ".join(targets)})
        select {", ".join(values)}, _source_file, _source_row_number, ?
        from _ingest_keys as keys
        join _ingest_batch on _ingest_batch.rowid = keys.batch_row
        where keys.loaded_file is null and keys.occurrence = 1
        """,
        [loaded_at],
    )


def _counts(con: duckdb.DuckDBPyConnection) -> BatchCounts:
    loaded = con.execute(
        """
        select source_file, count(*) from _ingest_keys
        where loaded_file is null and occurrence = 1
        group by source_file
        """
    ).fetchall()
    rejected = con.execute(
        """
        select _source_file, count(distinct batch_row)
        from _ingest_rejects
        join _ingest_batch on _ingest_batch.rowid = _ingest_rejects.batch_row
        group by _source_file
        """
    ).fetchall()
    by_rule = con.execute("select rule, count(*) from _ingest_rejects group by rule").fetchall()
    return BatchCounts(dict(loaded), dict(rejected), Counter(dict(by_rule)))
