"""Validate one batch of files in set-based SQL.

A batch is a few whole files concatenated into one Arrow table of text cells
(see :mod:`expansion.ingest.files`). :func:`validate_batch` returns the rows to
load and the rejects, as Arrow tables ordered by file and row; the caller
stages them in the raw zone and records the batch in the ledger, so a batch is
in the raw zone entirely or not at all.

It runs in a DuckDB connection where :func:`~expansion.ingest.zone.attach_raw_zone`
made ``raw.<source>`` views over the zone. Steps, each one statement over the
whole batch:

1. copy the Arrow table into the temp table ``_ingest_batch``, casting every
   typed column once;
2. collect one reject per broken column rule and ``unknown_account`` (against
   ``raw.accounts``) in the temp table ``_ingest_rejects``;
3. rank the contract key of every other row by file then row, and look it up
   in ``raw.<source>`` within the batch's key range, leaving out the rows of
   the batch's own paths (the versions they replace) (temp table
   ``_ingest_keys``);
4. add later repeats and keys already loaded as ``duplicate_key`` rejects;
5. read the rejects, with each row's original cells, and the remaining rows,
   typed, out as Arrow tables.
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
    """Rows accepted, by file."""
    rows_rejected: dict[str, int]
    """Distinct rows rejected, by file."""
    rejects_by_rule: Counter[str]
    """Reject rows (a row can break several rules), by rule."""


@dataclass(frozen=True)
class ValidatedBatch:
    rows: pa.Table
    """The accepted rows, typed, with lineage; ordered by file, then row."""
    rejects: pa.Table
    """One row per broken rule (``raw._rejects`` columns); ordered by file, row, rule."""
    counts: BatchCounts


def validate_batch(
    con: duckdb.DuckDBPyConnection, source: Source, batch: pa.Table, loaded_at: datetime
) -> ValidatedBatch:
    """Split ``batch`` into the rows to load and the rejects."""
    con.register("_ingest_arrow", batch)
    try:
        con.execute(
            "create or replace temp table _ingest_batch as "
            f"select {batch_columns(source)} from _ingest_arrow"
        )
    finally:
        con.unregister("_ingest_arrow")
    try:
        _collect_rule_rejects(con, source)
        _rank_keys(con, source)
        _collect_duplicate_rejects(con, source)
        return ValidatedBatch(
            rows=_accepted_rows(con, source, loaded_at),
            rejects=_reject_rows(con, source, loaded_at),
            counts=_counts(con),
        )
    finally:
        for table in _TEMP_TABLES:
            con.execute(f"drop table if exists {table}")


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
    """``_ingest_keys``: per unrejected row, its key's rank in the batch and any loaded twin.

    The loaded rows are looked up within the batch's range of every key column, given
    as constants so that the Parquet scan skips the files and row groups whose
    statistics lie outside it (a daily file's batch reads only its own days), and
    without the rows of the batch's own paths (the versions they replace)."""
    keys = [ident(name) for name in source.key]
    typed = [typed_value(source.column(name)) for name in source.key]
    bounds = con.execute(
        f"select {', '.join(f'min({value}), max({value})' for value in typed)} from _ingest_batch"
    ).fetchone()
    in_range = " and ".join(f"{key} between ? and ?" for key in keys)
    replaced = con.execute("select distinct _source_file from _ingest_batch").fetchall()
    match_loaded = " and ".join(f"loaded.{key} = clean.{key}" for key in keys)
    con.execute(
        f"""
        create or replace temp table _ingest_keys as
        with clean as (
            select
                rowid as batch_row,
                _source_file,
                _source_row_number,
                {", ".join(f"{value} as {key}" for value, key in zip(typed, keys, strict=True))}
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
        left join (
            select {", ".join(keys)}, _source_file, _source_row_number
            from {source.raw_table}
            where {in_range} and not list_contains(?, _source_file)
        ) as loaded on {match_loaded}
        window first_seen as (
            partition by {", ".join(f"clean.{key}" for key in keys)}
            order by clean._source_file, clean._source_row_number
        )
        """,
        [*bounds, [path for (path,) in replaced]],
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


def _reject_rows(con: duckdb.DuckDBPyConnection, source: Source, loaded_at: datetime) -> pa.Table:
    return con.sql(
        f"""
        select
            $source as source,
            _source_file as source_file,
            _source_row_number as source_row_number,
            rule,
            column_name,
            message,
            cast({original_values(source)} as varchar) as original_values,
            $loaded_at as rejected_at
        from _ingest_rejects
        join _ingest_batch on _ingest_batch.rowid = _ingest_rejects.batch_row
        order by _ingest_batch.rowid, rule, column_name
        """,
        params={"source": source.name, "loaded_at": loaded_at},
    ).to_arrow_table()


def _accepted_rows(con: duckdb.DuckDBPyConnection, source: Source, loaded_at: datetime) -> pa.Table:
    targets = [ident(name) for name in source.column_names]
    targets += [name for name, _ in LINEAGE_COLUMNS]
    values = [f"{typed_value(column)} as {ident(column.name)}" for column in source.columns]
    return con.sql(
        f"""
        select {", ".join(values)}, _source_file, _source_row_number, $loaded_at as _loaded_at
        from _ingest_keys as keys
        join _ingest_batch on _ingest_batch.rowid = keys.batch_row
        where keys.loaded_file is null and keys.occurrence = 1
        order by keys.batch_row
        """,
        params={"loaded_at": loaded_at},
    ).to_arrow_table()


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
