"""Pure helpers for invoking dbt: when to re-parse, which arguments, which environment."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
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


def parse_when_stale(manifest: Path, project_root: Path, parse: Callable[[], object]) -> Path:
    """Run ``parse`` when the manifest is missing or stale, one process at a time.

    Every process that loads the Dagster definitions (a refresh, the web server, a test
    run, a benchmark beside it) may find the manifest stale at the same moment; two
    ``dbt parse`` writing one manifest.json leave it corrupt. A lock beside the manifest
    makes the second wait, then find the first's manifest fresh."""
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / "parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if manifest_is_stale(manifest, project_root):
            parse()
    return manifest


def dbt_build_args(full_refresh: bool = False) -> list[str]:
    """``dbt build`` for one night: models, seeds and data tests, not the unit tests (they
    test the SQL, not the night's data, and run in CI). The same arguments every night,
    so dbt's partial parsing can reuse the last night's parse; the as-of date travels in
    the environment (``int_as_of_date``), not as a var, which would re-parse everything.
    ``full_refresh`` rebuilds every incremental model and seed from scratch (see
    rebuild_reasons)."""
    return ["build", "--exclude", "resource_type:unit_test"] + (
        ["--full-refresh"] if full_refresh else []
    )


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def build_fingerprint(manifest: Mapping, engine: str) -> dict:
    """What a build's tables depend on besides the data: the engine that holds them, and
    from dbt's manifest the dbt version, each model's and seed's checksum (its file: the
    SQL, the seed's rows) with its config (materialization, keys), and each package's
    macros."""
    nodes = {
        unique_id: _digest([node["checksum"]["checksum"], node.get("config", {})])
        for unique_id, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") in ("model", "seed")
    }
    macros: dict[str, list] = {}
    for unique_id, macro in sorted(manifest.get("macros", {}).items()):
        macros.setdefault(macro["package_name"], []).append([unique_id, macro["macro_sql"]])
    return {
        "engine": engine,
        "dbt_version": manifest.get("metadata", {}).get("dbt_version"),
        "nodes": nodes,
        "macros": {package: _digest(sources) for package, sources in macros.items()},
    }


def rebuild_reasons(previous: Mapping | None, current: Mapping) -> list[str]:
    """Why tonight must rebuild in full instead of incrementally, one reason a line; none
    when the last successful build had the same fingerprint (build_fingerprint). A changed
    seed (a threshold in trigger_registry), model, macro or dbt version can change history
    that the incremental models would not revisit, or a table's columns (dbt fails an
    incremental model whose schema is out of sync); a data directory without a recorded
    build (a new one, or one built before fingerprints existed) is rebuilt once."""
    if not previous:
        return ["no fingerprint of a previous successful build in this data directory"]
    reasons = []
    if previous.get("engine") != current["engine"]:
        # each engine keeps its own tables: the other one's are as old as its last night
        reasons.append(f"engine {previous.get('engine')} -> {current['engine']}")
    if previous.get("dbt_version") != current["dbt_version"]:
        reasons.append(f"dbt {previous.get('dbt_version')} -> {current['dbt_version']}")
    before = previous.get("nodes", {})
    for unique_id, digest in sorted(current["nodes"].items()):
        if unique_id not in before:
            reasons.append(f"new {unique_id}")
        elif before[unique_id] != digest:
            reasons.append(f"changed {unique_id}")
    before_macros = previous.get("macros", {})
    for package, digest in sorted(current["macros"].items()):
        if before_macros.get(package) != digest:
            reasons.append(f"changed macros of package {package}")
    return reasons


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
