#!/usr/bin/env bash
# Debian packages the project needs outside the Python environment.
#
#   chromium                 headless browser for the dashboard tests (pytest -m browser)
#   openjdk-17-jre-headless  Java 17 for Apache Spark (--engine spark, pytest -m spark)
#   eatmydata                the test suite runs without fsync (scripts/test.sh): every
#                            Dagster event and DuckDB commit of a nightly job is one, about
#                            20 ms each on a shared disk, and a test night writes thousands
#
# Idempotent: does nothing when every package is already installed. Needs root
# (or sudo) on Debian 12 when something is missing.
set -euo pipefail

packages=(
    chromium
    openjdk-17-jre-headless
    eatmydata
)

missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
