"""Pure helpers for invoking dbt: when to re-parse, which arguments, which environment."""

from __future__ import annotations

import datetime as dt
import json
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


def newest_mtime(paths: Iterable[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def manifest_is_stale(manifest: Path, project_root: Path) -> bool:
    """True when the manifest is missing or older than any file dbt parses."""
    if not manifest.exists():
        return True
    sources = (
        path
        for folder in DBT_SOURCE_DIRS
        for path in (project_root / folder).rglob("*")
        if not {"target", "logs"} & set(path.relative_to(project_root).parts)
    )
    return newest_mtime(sources) > manifest.stat().st_mtime


def dbt_build_args(as_of: dt.date | None) -> list[str]:
    """``dbt build`` for one night; the as-of date travels as a dbt var."""
    args = ["build"]
    if as_of is not None:
        args += ["--vars", json.dumps({"as_of_date": as_of.isoformat()})]
    return args


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
