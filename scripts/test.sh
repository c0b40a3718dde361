#!/usr/bin/env bash
# Set up everything and run all the tests. Tests that need PostgreSQL, Redis or
# Debian's chromium skip with a message saying so when those are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh requirements-dev.lock
# One test process per core (pytest-xdist); `-n 0` runs them in this one, to debug.
exec python -m pytest -n auto "$@"
