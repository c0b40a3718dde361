"""What every benchmark prints about the machine it ran on."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path


def machine() -> str:
    """Cores, CPU model, Python and the database server of the configured connection."""
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    database = f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    return f"{os.cpu_count()} CPUs, {cpu}; Python {platform.python_version()}; {database}"


def loadavg() -> str:
    """The one-minute load average: other work on the machine shows in every timing."""
    return Path("/proc/loadavg").read_text().split(" ", 1)[0]
