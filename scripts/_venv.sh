# Sourced by the other scripts: make .venv with the machine's python3 (3.10+)
# and install the locked dependencies when the lock file has changed.
lock="$1"
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -c 'import sys; assert sys.version_info >= (3, 10), "Shouwang needs Python 3.10 or newer"'
  "$python" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$lock")-$(sha256sum "$lock" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
