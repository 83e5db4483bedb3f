"""What Spark built, read by the nightly job's DuckDB steps.

The steps after dbt - the quality and calibration checks, the alerts outbox, publishing
``serving.duckdb`` - are DuckDB SQL over the warehouse file's ``marts`` and ``seeds``
schemas. A Spark night builds those tables as Parquet folders in its warehouse folder,
``DATA_DIR/spark/warehouse/<schema>.db/<table>`` (Hive's layout; ``+file_format:
parquet``). After a Spark build, :func:`expose_spark_tables` replaces the two schemas of
the warehouse file with one view per Spark table over its Parquet files: the same SQL
then reads what Spark built, DuckDB aggregating the files (the checks' frames are
aggregates; nothing copies a whole mart into pandas), and publish copies the marts into
``serving.duckdb`` as on a DuckDB night. The warehouse file keeps the job's own state
(``quality.check_results``, ``alerts.outbox``) whatever the engine.

Every published mart must therefore be a table on Spark (a view has no folder): the
two marts that are views on DuckDB are tables there. Spark puts a table's partition
columns last, and so does ``read_parquet`` with ``hive_partitioning``.

A DuckDB build after a Spark night (the engine changed back) first drops these views
(:func:`drop_spark_views`): dbt-duckdb refuses to load a seed over a view.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from expansion.publish import quoted

EXPOSED_SCHEMAS = ("marts", "seeds")
"""What the steps after dbt read: the marts, and the seeds (bounds, bands, registry)."""
VIEW_COMMENT = "spark table"
"""Marks the views :func:`expose_spark_tables` creates, so that only they are dropped."""


def spark_table_folders(warehouse_dir: Path, schema: str) -> dict[str, Path]:
    """Spark's tables of ``schema`` by name: the folders of ``<warehouse>/<schema>.db``
    that hold Parquet files (directly or in partition folders)."""
    schema_dir = warehouse_dir / f"{schema}.db"
    if not schema_dir.is_dir():
        return {}
    return {
        folder.name: folder
        for folder in sorted(schema_dir.iterdir())
        if folder.is_dir() and any(folder.rglob("*.parquet"))
    }


def parquet_view_sql(schema: str, table: str, folder: Path) -> str:
    """A view named ``schema.table`` over the Parquet files of a Spark table's folder;
    partition folders (``score_date=2026-11-21``) become its last columns."""
    files = str(folder / "**" / "*.parquet").replace("'", "''")
    return (
        f"create view {quoted(schema)}.{quoted(table)} as "
        f"select * from read_parquet('{files}', hive_partitioning = true)"
    )


def expose_spark_tables(
    con: duckdb.DuckDBPyConnection,
    warehouse_dir: Path,
    schemas: tuple[str, ...] = EXPOSED_SCHEMAS,
) -> dict[str, int]:
    """Replace ``schemas`` of the connected warehouse with views over Spark's tables (one
    transaction: on failure the previous relations stay); how many views per schema."""
    exposed = {}
    con.execute("begin transaction")
    try:
        for schema in schemas:
            tables = spark_table_folders(warehouse_dir, schema)
            if not tables:
                raise FileNotFoundError(
                    f"Spark built no table of schema {schema!r} in {warehouse_dir}"
                )
            con.execute(f"drop schema if exists {quoted(schema)} cascade")
            con.execute(f"create schema {quoted(schema)}")
            for table, folder in tables.items():
                con.execute(parquet_view_sql(schema, table, folder))
                con.execute(f"comment on view {quoted(schema)}.{quoted(table)} is '{VIEW_COMMENT}'")
            exposed[schema] = len(tables)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return exposed


def drop_spark_views(con: duckdb.DuckDBPyConnection) -> int:
    """Drop the views :func:`expose_spark_tables` created; how many there were."""
    views = con.execute(
        "select schema_name, view_name from duckdb_views() "
        "where database_name = current_database() and comment = ?",
        [VIEW_COMMENT],
    ).fetchall()
    for schema, view in views:
        con.execute(f"drop view {quoted(schema)}.{quoted(view)}")
    return len(views)
