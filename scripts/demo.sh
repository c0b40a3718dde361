#!/usr/bin/env bash
# Set up everything and start the demo college at http://127.0.0.1:8000:
# SQLite, the web server, a task worker and the scheduler in one process group.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh requirements.lock
export DEBUG="${DEBUG:-1}"
# The demo replays the April 2022 lockdown: its clock stands on 4月15日, the
# scenario's today (shouwang/demo/lockdown.py TODAY), at the real time of day.
export SHOUWANG_DEMO_DATE="${SHOUWANG_DEMO_DATE:-2022-04-15}"
python manage.py migrate --noinput
python manage.py demo_college
exec python manage.py run "${ADDRPORT:-127.0.0.1:8000}"
