#!/usr/bin/env bash
# Screenshots of every dashboard page (and one account page) at 1,400 and 800 px.
#   bash scripts/screenshots.sh [SITE_DIR] [OUT_DIR]
# SITE_DIR defaults to data/site (what `expansion demo` renders), OUT_DIR to artifacts/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-data/site}
out=${2:-artifacts/screenshots}
bash scripts/install_system_packages.sh
uv run --frozen python -c "
import sys
from pathlib import Path
from expansion.dashboards.browser import take_screenshots
for path in take_screenshots(Path(sys.argv[1]), Path(sys.argv[2])):
    print(path)
" "$site" "$out"
