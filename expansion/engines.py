"""What each engine needs on this machine, said before anything runs.

DuckDB is always there (a dependency). Spark needs the ``spark`` extra (dbt-spark with
pyspark) and a Java runtime of version 17 or newer (Debian's ``openjdk-17-jre-headless``,
installed by ``scripts/install_system_packages.sh``).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

MINIMUM_JAVA = 17


def missing_requirements(engine: str) -> list[str]:
    """One message per requirement of ``engine`` that this machine lacks, saying how to
    install it; empty when the engine can run."""
    if engine != "spark":
        return []
    missing = []
    if (
        importlib.util.find_spec("pyspark") is None
        or importlib.util.find_spec("dbt.adapters.spark") is None
    ):
        missing.append(
            "--engine spark needs the project's spark extra (dbt-spark and pyspark, about "
            "450 MB): run `uv sync --frozen --extra spark`, or prefix the command with "
            "`uv run --frozen --extra spark`"
        )
    java = java_major_version()
    if java is None or java < MINIMUM_JAVA:
        found = "none found" if java is None else f"found Java {java}"
        missing.append(
            f"--engine spark needs Java {MINIMUM_JAVA} or newer ({found}): run "
            "`bash scripts/install_system_packages.sh` (Debian's openjdk-17-jre-headless), "
            "or set JAVA_HOME to a Java 17 runtime"
        )
    return missing


def java_major_version() -> int | None:
    """The major version of the Java that Spark would start (``$JAVA_HOME/bin/java``, else
    ``java`` on the PATH), or None when there is none."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if java is None or not Path(java).exists():
        return None
    try:
        shown = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    return parse_java_version(shown)


def parse_java_version(version_output: str) -> int | None:
    """``openjdk version "17.0.15" 2025-04-15`` -> 17; ``java version "1.8.0_402"`` -> 8."""
    found = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if found is None:
        return None
    major, minor = int(found.group(1)), found.group(2)
    return int(minor) if major == 1 and minor is not None else major
