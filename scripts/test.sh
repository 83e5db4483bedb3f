#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script):
# lint (ruff, sqlfluff, yamllint), then pytest and, beside it, the refresh benchmark on a small
# generated company (ingest, dbt build, checks, publish, dashboards; then one more night).
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
new_dagster_home() {
  mkdir -p "$1" && printf 'telemetry:\n  enabled: false\n' > "$1/dagster.yaml"
}

echo "== ruff"
ruff check .
ruff format --check .

echo "== sqlfluff (dbt templater)"
sqlfluff lint models

echo "== yamllint (.yamllint.yml)"
yamllint --strict .

# The benchmark runs beside pytest, with its own Dagster home; its figures are therefore
# taken under load: the README's come from a quiet machine.
new_dagster_home "$work/benchmark_dagster_home"
DAGSTER_HOME="$work/benchmark_dagster_home" \
  expansion benchmark --accounts 100 --days 400 --workdir "$work/benchmark" \
  > "$work/benchmark.log" 2>&1 &
benchmark=$!

echo "== pytest"
export DAGSTER_HOME="$work/dagster_home"
new_dagster_home "$DAGSTER_HOME"
# Without fsync (eatmydata): a test night stores thousands of Dagster events in SQLite
# and commits every dbt model to DuckDB, each commit an fsync of about 20 ms on a shared
# disk - minutes of the run, for a durability against power loss that no test checks (a
# process killed by a test leaves its writes in the page cache all the same). The
# benchmark beside it keeps fsync: its figures are the product's.
pytest_status=0
# Two pytest workers (pytest-xdist), a test file to each at a time: a file's tests share
# their module's fixtures (a company built once), and dbt, Dagster and most tests are
# single-threaded Python, so one worker alone left the second core idle once the
# benchmark was done.
eatmydata pytest --numprocesses 2 --dist loadfile "$@" || pytest_status=$?

echo "== the refresh benchmark at a small size (run beside pytest): a full nightly job, then the next night"
benchmark_status=0
wait "$benchmark" || benchmark_status=$?
cat "$work/benchmark.log"
if ((benchmark_status != 0)); then
  echo "the benchmark failed (exit $benchmark_status)"
fi
exit $((pytest_status != 0 ? pytest_status : benchmark_status))
