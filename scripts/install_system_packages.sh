#!/usr/bin/env bash
# Debian packages the project needs outside the Python environment.
#
#   chromium  headless browser for the dashboard tests (pytest -m browser)
#
# Idempotent: apt-get skips packages that are already installed. Run as root
# (or through sudo) on Debian 12.
set -euo pipefail

packages=(
    chromium
)

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
