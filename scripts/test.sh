#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script):
# lint (ruff, sqlfluff), a small generated company through the nightly job
# (ingest, dbt build, checks, publish, dashboards), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install_system_packages.sh
export UV_COMPILE_BYTECODE=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false
uv sync --frozen
export PATH="$PWD/.venv/bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DAGSTER_HOME="$work/dagster_home" EXPANSION_WAREHOUSE_PATH="$work/lint.duckdb"
mkdir -p "$DAGSTER_HOME" && printf 'telemetry:\n  enabled: false\n' > "$DAGSTER_HOME/dagster.yaml"

echo "== ruff"
ruff check .
ruff format --check .

echo "== sqlfluff (dbt templater)"
sqlfluff lint models

echo "== a small company through the nightly job"
expansion generate --accounts 200 --days 400 --seed 11 --out "$work/landing"
expansion refresh --landing "$work/landing" --data-dir "$work/data"

echo "== pytest"
pytest "$@"
