"""Benchmark: the peak memory of checking a large spreadsheet import.

    .venv/bin/python bench/import_memory.py [--smoke]

Writes registrar rosters of 30,000 and 100,000 rows (as bench/roster_import.py
writes them) and a sheet of 1,000,000 rows, migrates a throwaway SQLite
database, and runs `manage.py import_roster FILE` (the check a worker runs:
the same reader and the same `Importer.check`) in a child process for each,
reading the child's peak resident memory from the kernel (VmHWM). The two
rosters must be checked with their expected counts and a peak under the target;
the million rows must be refused with the row-cap message, within the same
bound. --smoke does the same at 2,000 rows and a 20,000-row refusal with
IMPORT_MAX_ROWS=5000: CI runs it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _common import SECRET_KEY
from roster_import import COLLEGES, generate

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 300
COUNSELLING_KEY = "YmVuY2gtY291bnNlbGxpbmcta2V5LW5vdC1zZWNyZXQ="  # noqa: S105

# The smallest .xlsx package calamine, openpyxl and Excel open: one sheet.
PACKAGE_TYPES = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OPENXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'<Types xmlns="{PACKAGE_TYPES}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OPENXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OPENXML}.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    f'<Relationships xmlns="{PACKAGE_TYPES}/relationships"><Relationship Id="rId1" '
    f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{OFFICE}"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{PACKAGE_TYPES}/relationships"><Relationship Id="rId1" '
    f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


UNITS = """
from shouwang.people.models import Unit
top = Unit.objects.create(name="山西财经大学", kind=Unit.Kind.UNIVERSITY)
for name in %r:
    Unit.objects.create(name=name, kind=Unit.Kind.COLLEGE, parent=top)
"""


def million_rows(path: Path, rows: int) -> None:
    """A roster header and `rows` rows of a student number, written straight
    as sheet XML (openpyxl takes a minute over a million rows)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xad\xa6\xe5\x8f\xb7'
                b'</t></is></c><c r="B1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is>'
                b"</c></row>"
            )
            for start in range(2, rows + 2, 10_000):
                sheet.write(
                    "".join(
                        f'<row r="{n}"><c r="A{n}"><v>{2024000000 + n}</v></c></row>'
                        for n in range(start, min(start + 10_000, rows + 2))
                    ).encode()
                )
            sheet.write(b"</sheetData></worksheet>")


# Runs manage.py and, at exit, reports the process's peak resident memory:
# VmHWM belongs to the process's own address space, whereas ru_maxrss would
# also count the (large) benchmark process it was forked from.
PEAK = """
import atexit, runpy, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write("PEAK_KB " + line.split()[1] + "\\n")
atexit.register(peak)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def check_in_child(path: Path, env: dict[str, str]) -> tuple[float, int, float, str]:
    """Run the check in a new process: its peak resident memory in MB, exit
    code, seconds and output."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PEAK, str(ROOT / "manage.py"), "import_roster", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak = re.search(r"PEAK_KB (\d+)", done.stderr)
    return (
        int(peak.group(1)) / 1024 if peak else 0.0,
        done.returncode,
        seconds,
        done.stdout + done.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, outcome checked; for CI")
    args = parser.parse_args()
    # 99,850 people: with the title, header, blank and footer rows, just under 100,000 rows.
    sizes = [2_000] if args.smoke else [30_000, 99_850]
    refused_rows = 20_000 if args.smoke else 1_000_000
    cap = 5_000 if args.smoke else 100_000

    with tempfile.TemporaryDirectory(prefix="shouwang-bench-") as tmp:
        workdir = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "shouwang.settings",
            "VAR_DIR": str(workdir),
            "SQLITE_PATH": str(workdir / "bench.sqlite3"),
            "IMPORT_MAX_ROWS": str(cap),
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "COUNSELLING_KEY": COUNSELLING_KEY,
        }
        env.pop("DATABASE_URL", None)
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True
        )
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", UNITS % COLLEGES],
            env=env,
            check=True,
        )
        files = []
        for rows in sizes:
            data, expected = generate(rows)
            path = workdir / f"roster-{rows}.xlsx"
            path.write_bytes(data)
            files.append((path, rows, expected))
        big = workdir / f"rows-{refused_rows}.xlsx"
        million_rows(big, refused_rows)
        print(
            f"machine: {os.cpu_count()} CPUs; load {Path('/proc/loadavg').read_text().split()[0]};"
            f" IMPORT_MAX_ROWS={cap}"
        )

        problems = []
        for path, rows, expected in files:
            peak, code, seconds, out = check_in_child(path, env)
            found = dict(re.findall(r"(valid|invalid): (\d+)", out))
            with zipfile.ZipFile(path) as book:
                sheet_rows = book.read("xl/worksheets/sheet1.xml").count(b"<row ")
            print(
                f"{sheet_rows:>9,} rows  {path.stat().st_size / 1e6:5.1f} MB  checked in "
                f"{seconds:5.1f} s  peak {peak:6.0f} MB  (valid {found.get('valid')}, "
                f"invalid {found.get('invalid')})"
            )
            # Past 40,000 rows the generator repeats class names, so that rows are
            # refused for their counsellor: every row must still be counted.
            counted = sum(int(v) for v in found.values())
            if code != 0 or counted != expected["valid"] + expected["invalid"]:
                problems.append(f"{rows} rows: not checked as expected:\n{out[-2000:]}")
            if peak > TARGET_MB:
                problems.append(f"{rows} rows: peak {peak:.0f} MB over the {TARGET_MB} MB target")
        peak, code, seconds, out = check_in_child(big, env)
        refused = code != 0 and re.search(rf"(more than|超过) {cap} (rows|行)", out) is not None
        print(
            f"{refused_rows:>9,} rows  {big.stat().st_size / 1e6:5.1f} MB  "
            f"{'refused' if refused else 'NOT refused'} in {seconds:5.1f} s  peak {peak:6.0f} MB"
        )
        if not refused:
            problems.append(f"{refused_rows} rows not refused:\n{out[-2000:]}")
        if peak > TARGET_MB:
            problems.append(f"refusing {refused_rows} rows peaked at {peak:.0f} MB")
        print(f"target: every peak under {TARGET_MB} MB")
        for problem in problems:
            print(f"FAIL: {problem}")
        if args.smoke and not problems:
            print("smoke: checked and refused within the bound")
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
