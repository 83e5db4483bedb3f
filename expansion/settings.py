"""Where things live: the project's own folders and a data directory's layout.

A data directory holds everything one company's warehouse writes::

    DATA_DIR/
      warehouse.duckdb   the working database (raw, staging, intermediate, marts); one writer
      serving.duckdb     validated marts, replaced atomically; what readers open
      site/              the rendered dashboards
      logs/              the last refresh's full log (dbt output included)
      dbt_target/        dbt's artifacts of the last build (run_results.json, dbt.log) and
                         its parse state, which the next night's build reuses (partial parsing)
      refresh.lock       held by the refresh that runs (expansion.refresh_lock)

The landing zone is configured separately (it usually belongs to whoever drops
the files). Both come from the command line or from the environment variables
``EXPANSION_DATA_DIR`` and ``EXPANSION_LANDING_DIR``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
"""The dbt installed beside this interpreter, whether or not its folder is on PATH."""
DASHBOARDS_DIR = PROJECT_ROOT / "dashboards"

DATA_DIR_ENV = "EXPANSION_DATA_DIR"
LANDING_DIR_ENV = "EXPANSION_LANDING_DIR"
AS_OF_DATE_ENV = "EXPANSION_AS_OF_DATE"
WAREHOUSE_PATH_ENV = "EXPANSION_WAREHOUSE_PATH"
"""Read by ``dbt_project/profiles.yml``; set from the data directory before dbt runs."""


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def serving(self) -> Path:
        return self.root / "serving.duckdb"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt_target"

    @property
    def build_fingerprint(self) -> Path:
        """The code and seeds the warehouse was last built from (a successful dbt build)."""
        return self.root / "build_fingerprint.json"


def data_dir_from_env() -> DataDir:
    return DataDir(Path(os.environ.get(DATA_DIR_ENV, PROJECT_ROOT / "data")).resolve())


def landing_dir_from_env() -> Path:
    default = Path(os.environ.get(DATA_DIR_ENV, PROJECT_ROOT / "data")) / "landing"
    return Path(os.environ.get(LANDING_DIR_ENV, default)).resolve()
