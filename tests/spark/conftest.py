"""Building the dbt project on Spark (local mode) and on DuckDB from one raw zone, and
comparing what each built.

The ``engines`` fixture (session) hands out an :class:`Engines` helper. It skips, naming
what to install, when the ``spark`` extra or Java 17 is missing - and fails instead under
CI (``CI`` set), where ``scripts/test.sh`` installs both. Its methods:

- ``dbt_build(data, engine, selection, work, export)``: ``dbt build`` with the selection
  arguments given (``--exclude resource_type:unit_test``...) and the data directory's
  environment (:func:`dbt_environment`). DuckDB runs in-process; Spark runs in a child
  process (its JVM, ~1.5 GB, ends with it), which then writes each relation of
  ``export`` (name -> what Spark reads, a table or ``parquet.`<folder>```) to
  ``<work>/export/<name>/`` as Parquet;
- ``models_by_layer(data, work)``: the model names per layer (staging, intermediate,
  marts), from the parsed project;
- ``rows_differ(con, relation, exported)``: EXCEPT ALL in both directions between a
  DuckDB relation and Spark's Parquet export of it, decimals and floats rounded to 6
  places.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from expansion.engines import missing_requirements
from expansion.settings import DBT_PROJECT_DIR, DataDir
from orchestration.dbt_invocation import dbt_environment

ROUNDED_TYPES = ("DECIMAL", "DOUBLE", "FLOAT", "REAL")

SPARK_CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from dbt.cli.main import dbtRunner

    args, export_dir, export = json.loads(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    result = dbtRunner().invoke(args)
    failed = [
        (r.node.unique_id, str(r.status), r.message)
        for r in (result.result or [])
        if str(r.status) not in ("success", "pass", "no-op")
    ]
    if result.exception is not None or not result.success or failed:
        print(json.dumps({"exception": str(result.exception), "failed": failed}, default=str))
        sys.exit(1)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()  # the session dbt-spark started
    for name, relation in export.items():
        spark.sql(f"select * from {relation}").write.parquet(str(export_dir / name))
    """
)


class Engines:
    def dbt_build(
        self,
        data: DataDir,
        engine: str,
        selection: Sequence[str],
        work: Path,
        export: Mapping[str, str] | None = None,
    ) -> None:
        """``dbt build`` on ``engine`` of what ``selection`` (dbt's ``--select``/``--exclude``
        arguments) picks; on Spark, then export ``export``."""
        args = [
            "build",
            "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(work / "target"),
            "--log-path", str(work / "logs"),
            *selection,
            "--no-partial-parse",
            "--quiet",
        ]  # fmt: skip
        environment = dbt_environment(data, engine) | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        if engine == "spark":
            # a script file, not python -c: pyspark exits a __main__ without a file
            work.mkdir(parents=True, exist_ok=True)
            child = work / "spark_build.py"
            child.write_text(SPARK_CHILD)
            built = subprocess.run(
                [
                    sys.executable,
                    str(child),
                    json.dumps(args),
                    str(work / "export"),
                    json.dumps(export or {}),
                ],
                env={**os.environ, **environment},
                capture_output=True,
                text=True,
            )
            assert built.returncode == 0, built.stdout[-5000:] + built.stderr[-5000:]
            return
        with pytest.MonkeyPatch.context() as env:
            for name, value in environment.items():
                env.setenv(name, value)
            result = dbtRunner().invoke(args)
        assert result.exception is None, result.exception
        failed = [
            (r.node.unique_id, str(r.status), r.message)
            for r in result.result
            if str(r.status) not in ("success", "pass", "no-op")
        ]
        assert result.success and not failed, failed

    def models_by_layer(self, data: DataDir, work: Path) -> dict[str, list[str]]:
        """The project's model names by layer (``staging``, ``intermediate``, ``marts``: the
        folder under models/, which is also the schema), from the parsed project."""
        with pytest.MonkeyPatch.context() as env:
            for name, value in dbt_environment(data, "duckdb").items():
                env.setenv(name, value)
            parsed = dbtRunner().invoke(
                [
                    "parse",
                    "--project-dir", str(DBT_PROJECT_DIR),
                    "--profiles-dir", str(DBT_PROJECT_DIR),
                    "--target-path", str(work / "target"),
                    "--log-path", str(work / "logs"),
                    "--quiet",
                ]
            )  # fmt: skip
        layers: dict[str, list[str]] = {}
        for node in parsed.result.nodes.values():
            if node.resource_type == "model":
                layers.setdefault(node.fqn[1], []).append(node.name)
        return {layer: sorted(names) for layer, names in layers.items()}

    def rows_differ(
        self, con: duckdb.DuckDBPyConnection, relation: str, exported: Path
    ) -> tuple[list[tuple], list[tuple]]:
        """Rows only in DuckDB's ``relation``, and rows only in Spark's Parquet export of it
        (up to 5 each), compared on DuckDB's columns, decimals and floats rounded to 6 places."""
        schema, name = relation.split(".")
        columns = con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
        assert columns, f"{relation} is not in the DuckDB warehouse"
        selected = ", ".join(
            f'round("{column}", 6) as "{column}"'
            if data_type.startswith(ROUNDED_TYPES)
            else f'"{column}"'
            for column, data_type in columns
        )
        spark_side = f"read_parquet('{exported}/*.parquet')"
        exported_columns = [
            row[0] for row in con.execute(f"describe select * from {spark_side}").fetchall()
        ]
        assert exported_columns == [column for column, _ in columns], (relation, exported_columns)
        duck = f"select {selected} from {relation}"
        spark = f"select {selected} from {spark_side}"
        only_duckdb = con.execute(f"{duck} except all {spark} limit 5").fetchall()
        only_spark = con.execute(f"{spark} except all {duck} limit 5").fetchall()
        return only_duckdb, only_spark


@pytest.fixture(scope="session")
def engines() -> Engines:
    missing = missing_requirements("spark")
    if missing and os.environ.get("CI"):
        pytest.fail("; ".join(missing))
    if missing:
        pytest.skip("; ".join(missing))
    return Engines()
