#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script):
# lint (ruff, sqlfluff), the refresh benchmark on a small generated company
# (ingest, dbt build, checks, publish, dashboards; then one more night), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install_system_packages.sh
export UV_COMPILE_BYTECODE=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false
# The test companies are small: two dbt models at a time fit DuckDB's memory
# limit easily and save a few seconds per build (the default, 1, is for scale).
export EXPANSION_DBT_THREADS=2
# with the spark extra: the Spark parity tests (pytest -m spark) build on Spark too
uv sync --frozen --extra spark
export PATH="$PWD/.venv/bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DAGSTER_HOME="$work/dagster_home" EXPANSION_ARTIFACTS_DIR="$PWD/artifacts"
mkdir -p "$DAGSTER_HOME" && printf 'telemetry:\n  enabled: false\n' > "$DAGSTER_HOME/dagster.yaml"

echo "== ruff"
ruff check .
ruff format --check .

echo "== sqlfluff (dbt templater)"
sqlfluff lint models

echo "== the refresh benchmark at a small size: a full nightly job, then the next night"
expansion benchmark --accounts 100 --days 400 --workdir "$work/benchmark"

echo "== pytest"
pytest "$@"
