"""Building the dbt project on Spark (local mode) and on DuckDB from one raw zone, and
comparing what each built.

The ``engines`` fixture (session) hands out an :class:`Engines` helper. It skips, naming
what to install, when the ``spark`` extra or Java 17 is missing - and fails instead under
CI (``CI`` set), where ``scripts/test.sh`` installs both. Its methods:

- ``dbt_build(data, engine, selection, work, export)``: ``dbt build`` with the selection
  arguments given (``--exclude resource_type:unit_test``...) and the data directory's
  environment (:func:`dbt_environment`), in a child process: dbt-duckdb would keep the
  warehouse file open in this one, and Spark's JVM (~1.5 GB) ends with the child. On
  Spark the child then writes each relation of ``export`` (name -> what Spark reads, a
  table or ``parquet.`<folder>```) to ``<work>/export/<name>/`` as Parquet;
- ``models_by_layer(data, work)``: the model names per layer (staging, intermediate,
  marts), from the parsed project;
- ``rows_differ(con, relation, other)``: EXCEPT ALL in both directions between two
  relations DuckDB reads (a table, ``read_parquet(...)``), decimals and floats rounded to
  6 places.
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

DBT_CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from dbt.cli.main import dbtRunner


    def main():
        args, export_dir = json.loads(sys.argv[1]), Path(sys.argv[2])
        export = json.loads(sys.argv[3])
        result = dbtRunner().invoke(args)
        failed = [
            (r.node.unique_id, str(r.status), r.message)
            for r in (result.result or [])
            if str(r.status) not in ("success", "pass", "no-op")
        ]
        if result.exception is not None or not result.success or failed:
            print(json.dumps({"exception": str(result.exception), "failed": failed}, default=str))
            sys.exit(1)
        if export:
            from pyspark.sql import SparkSession

            spark = SparkSession.builder.getOrCreate()  # the session dbt-spark started
            for name, relation in export.items():
                spark.sql(f"select * from {relation}").write.parquet(str(export_dir / name))


    # dbt starts a process by multiprocessing's spawn, which imports this file again: without
    # the guard that process ran a second whole build (and export) after the first
    if __name__ == "__main__":
        main()
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
        # a script file, not python -c: pyspark exits a __main__ without a file
        work.mkdir(parents=True, exist_ok=True)
        child = work / "dbt_build.py"
        child.write_text(DBT_CHILD)
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
        self,
        con: duckdb.DuckDBPyConnection,
        relation: str,
        other: str,
        ignored: frozenset[str] = frozenset(),
    ) -> tuple[list[tuple], list[tuple]]:
        """Rows only in ``relation``, and rows only in ``other`` (up to 5 each), compared on
        ``relation``'s columns but the ``ignored`` ones, which ``other`` must have in the same
        order; decimals and floats rounded to 6 places."""
        columns = con.execute(f"describe select * from {relation}").fetchall()
        other_columns = [
            row[0] for row in con.execute(f"describe select * from {other}").fetchall()
        ]
        assert other_columns == [row[0] for row in columns], (relation, other_columns)
        selected = ", ".join(
            f'round("{column}", 6) as "{column}"'
            if data_type.startswith(ROUNDED_TYPES)
            else f'"{column}"'
            for column, data_type, *_ in columns
            if column not in ignored
        )
        first = f"select {selected} from {relation}"
        second = f"select {selected} from {other}"
        only_first = con.execute(f"{first} except all {second} limit 5").fetchall()
        only_second = con.execute(f"{second} except all {first} limit 5").fetchall()
        return only_first, only_second


@pytest.fixture(scope="session")
def engines() -> Engines:
    missing = missing_requirements("spark")
    if missing and os.environ.get("CI"):
        pytest.fail("; ".join(missing))
    if missing:
        pytest.skip("; ".join(missing))
    return Engines()
