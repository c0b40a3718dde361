#!/usr/bin/env bash
# Set up everything and start the demo college at http://127.0.0.1:8000:
# SQLite, the web server, a task worker and the scheduler in one process group.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh requirements.lock
export DEBUG="${DEBUG:-1}"
# The demo replays the April 2022 lockdown: its clock starts at the demo's now,
# 4月16日 09:30 (shouwang/demo/lockdown.py NOW), whenever the demo starts, and
# runs on from there. Every process started below reads the same two values.
export SHOUWANG_DEMO_START="${SHOUWANG_DEMO_START:-2022-04-16T09:30+08:00}"
export SHOUWANG_DEMO_EPOCH="$(date +%s)"
python manage.py migrate --noinput
python manage.py demo_college
exec python manage.py run "${ADDRPORT:-127.0.0.1:8000}"
