"""The parent of `manage.py run`'s processes, without Django.

`manage.py run` checks the configuration, then replaces itself with this
module (same process id, so a service manager sees no change): a parent that
only waits on its children need not hold a copy of the app in memory. It
imports the standard library alone; keep it so.

    python -m shouwang.core.supervise '[["gunicorn", ...], ["python", ...]]'
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys


def supervise(commands: list[list[str]]) -> int:
    """Start every command; when one ends (or we are told to stop), stop the rest.

    A child that dies alone takes the others down, so that the service manager
    restarts the whole instead of serving pages with no worker behind them."""
    # A service manager stops us with SIGTERM: leave through `finally`.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603
    code = 0
    try:
        pid, status = os.wait()
        code = os.waitstatus_to_exitcode(status)
        print(f"process {pid} ended ({code}): stopping the others", file=sys.stderr)
        code = code or 1
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return code


if __name__ == "__main__":
    sys.exit(supervise(json.loads(sys.argv[1])))
