"""Pure helpers for invoking dbt: when to re-parse, which arguments, which environment."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from expansion.settings import (
    ENGINE_ENV,
    RAW_ZONE_ENV,
    SPARK_METASTORE_DIR_ENV,
    SPARK_WAREHOUSE_DIR_ENV,
    WAREHOUSE_PATH_ENV,
    DataDir,
)

DBT_SOURCE_DIRS = ("models", "seeds", "macros", "dbt_project", "tests/dbt")
"""Folders (under the project root) whose files dbt parses."""
DBT_OUTPUT_DIRS = {"target", "logs"}


def newest_mtime(paths: Iterable[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def dbt_source_files(project_root: Path) -> Iterator[Path]:
    """Every file dbt parses; dbt's own ``target`` and ``logs`` folders are not entered
    (they hold a run's artifacts, thousands of files that only grow)."""
    for folder in DBT_SOURCE_DIRS:
        for directory, subdirectories, files in os.walk(project_root / folder):
            subdirectories[:] = [d for d in subdirectories if d not in DBT_OUTPUT_DIRS]
            yield from (Path(directory) / name for name in files)


def manifest_is_stale(manifest: Path, project_root: Path) -> bool:
    """True when the manifest is missing or older than any file dbt parses."""
    if not manifest.exists():
        return True
    return newest_mtime(dbt_source_files(project_root)) > manifest.stat().st_mtime


def dbt_build_args() -> list[str]:
    """``dbt build`` for one night: models, seeds and data tests, not the unit tests (they
    test the SQL, not the night's data, and run in CI). The same arguments every night,
    so dbt's partial parsing can reuse the last night's parse; the as-of date travels in
    the environment (``int_as_of_date``), not as a var, which would re-parse everything."""
    return ["build", "--exclude", "resource_type:unit_test"]


def dbt_environment(data: DataDir, engine: str) -> dict[str, str]:
    """What the dbt subprocess reads from its environment: the target (the engine), the
    raw zone and, per engine, where it keeps its tables - all inside the data directory.

    Spark in local mode binds its driver to 127.0.0.1 (``SPARK_LOCAL_IP``): a machine
    whose host name does not resolve, or a container, cannot stall it.
    """
    variables = {
        ENGINE_ENV: engine,
        RAW_ZONE_ENV: str(data.raw),
        WAREHOUSE_PATH_ENV: str(data.warehouse),
    }
    if engine == "spark":
        variables |= {
            "SPARK_LOCAL_IP": "127.0.0.1",
            SPARK_WAREHOUSE_DIR_ENV: str(data.spark / "warehouse"),
            SPARK_METASTORE_DIR_ENV: str(data.spark / "metastore_db"),
        }
    return variables


@contextmanager
def environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
