#!/usr/bin/env bash
# The API keeps its contract: schemathesis reads /api/openapi.json and sends
# what it describes, and worse, as a student and as a leader of the demo
# college. It fails on a server error, a status code or content type the
# schema does not list, a body that does not match the schema, or a traceback
# in the server's log.
#
# Schemathesis needs Python 3.11 or newer and is no dependency of the app: it
# runs from its own environment, var/fuzz-venv, made from requirements-fuzz.lock.
#
#   scripts/api_fuzz.sh                  # 100 examples per operation and phase
#   FUZZ_EXAMPLES=200 scripts/api_fuzz.sh
#
# FUZZ_PORT (default: a free one) is where the app listens, on 127.0.0.1;
# FUZZ_SECONDS (default 600) bounds each persona's run; FUZZ_SEED (default a fixed one)
# makes a failure repeat, FUZZ_SEED=random draws a new one.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh requirements-dev.lock

examples="${FUZZ_EXAMPLES:-100}"
seconds="${FUZZ_SECONDS:-600}"
# One seed by default, so that a failure in CI repeats; FUZZ_SEED=random explores.
seed="${FUZZ_SEED:-20220416}"

# The fuzzer's own environment, remade when its lock file changes.
fuzz_python=${FUZZ_PYTHON:-python3}
venv=var/fuzz-venv
if [ ! -x "$venv/bin/python" ]; then
  "$fuzz_python" -c 'import sys; assert sys.version_info >= (3, 11), "schemathesis needs Python 3.11 or newer"'
  "$fuzz_python" -m venv "$venv"
fi
stamp="$venv/.installed-$(sha256sum requirements-fuzz.lock | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r requirements-fuzz.lock
  touch "$stamp"
fi

# A database of its own: the demo college, its clock inside the lockdown.
work="$(mktemp -d "${TMPDIR:-/tmp}/shouwang-fuzz.XXXXXX")"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
unset DATABASE_URL REDIS_URL
export VAR_DIR="$work" DEBUG=1
export SHOUWANG_DEMO_START=2022-04-16T09:30+08:00 SHOUWANG_DEMO_EPOCH="$(date +%s)"
python manage.py migrate --noinput >"$work/migrate.log"
python manage.py demo_college >"$work/demo.log"
login_of() { awk -v role="$1" '$1 == role { print $2; exit }' "$work/demo.log"; }
password="$(awk '$1 == "student" { print $4; exit }' "$work/demo.log")"

port="${FUZZ_PORT:-$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
base="http://127.0.0.1:$port"
gunicorn shouwang.wsgi --bind "127.0.0.1:$port" --workers 2 --timeout 60 \
  --access-logfile - >"$work/server.log" 2>&1 &
server=$!
python scripts/api_login.py --wait "$base"

fuzz="$PWD/$venv/bin/schemathesis"
status=0
for role in student leader; do
  # The session and CSRF cookies a browser would hold after logging in.
  cookies="$(python scripts/api_login.py "$base" "$(login_of "$role")" "$password")"
  read -r session csrf <<<"$cookies"
  echo "== schemathesis as the demo's $role ($examples examples per operation, at most ${seconds}s)"
  # From the scratch folder, where schemathesis keeps its cache.
  (cd "$work" && timeout --kill-after=10 "$seconds" "$fuzz" run "$base/api/openapi.json" \
    --header "Cookie: sessionid=$session; csrftoken=$csrf" \
    --header "X-CSRFToken: $csrf" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$examples" \
    $([ "$seed" = random ] || echo "--seed $seed") \
    --generation-database none \
    --request-timeout 30 \
    --no-color) || status=1
done

if grep -n "Traceback" "$work/server.log"; then
  echo "the server logged a traceback:"
  cat "$work/server.log"
  status=1
fi
exit $status
