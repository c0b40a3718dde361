"""Backups taken while the server runs, and their restore into an empty database.

A backup is a folder of its own: the database as one consistent snapshot
(SQLite's online backup API, which reads through the write-ahead log as of one
moment while writers go on; `pg_dump` of an exported snapshot on PostgreSQL),
the uploaded files (MEDIA_ROOT, never the issued passwords' folder), and
`manifest.json` with the migrations and the rows of every table as counted in
that same snapshot. It is written under a hidden name and renamed once
complete, so a folder with a manifest is a whole backup.

Copying the live SQLite file is not a backup: what was committed since the last
checkpoint lives in the `-wal` file beside it, and a copy taken while a
checkpoint writes is torn.

The apps say what a backup means for their data through two lists filled from
their `AppConfig.ready()`: `expiry_checks` (a backup holding detail past its
retention must go) and `after_restore` (what a restore must do again, such as
the retention purge, so that no purged detail comes back).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from shouwang.lib import clock

from . import db

MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
FORMAT = 1
# A backup folder is named by its Beijing time, e.g. 20220416-030000.
NAME_FORMAT = "%Y%m%d-%H%M%S"
# An unfinished backup this old was left by a process that died.
STALE_PARTIAL = dt.timedelta(days=1)

# (made_at, now) -> whether a backup made then holds detail that must be gone by now.
ExpiryCheck = Callable[[dt.datetime, dt.datetime], bool]
expiry_checks: list[ExpiryCheck] = []
# Run after a restore, on the restored database; returns counts to report.
AfterRestore = Callable[[], Mapping[str, int]]
after_restore: list[AfterRestore] = []


def register(hooks: list[Any], hook: Any) -> None:
    """Add `hook` once, however often an app's ready() runs."""
    if hook not in hooks:
        hooks.append(hook)


class BackupError(Exception):
    pass


@dataclass
class Contents:
    """What a database holds: its applied migrations and the rows of each table."""

    migrations: list[str]  # "app.name", as applied
    counts: dict[str, int]


@dataclass
class Restored:
    counts: dict[str, int]
    files: int
    migrated: bool
    after_restore: dict[str, int] = field(default_factory=dict)


def app_version() -> str:
    """The running code's version: `git describe` of a checkout, else the package's."""
    try:
        described = subprocess.run(  # noqa: S603
            ["git", "describe", "--always", "--tags", "--dirty"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return described.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return metadata.version("shouwang")
    except metadata.PackageNotFoundError:
        return "unknown"


def create(directory: Path, *, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Back up the database and the uploaded files into a new folder of `directory`."""
    connection = db.connection_of(using)
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Cannot back up a {connection.vendor} database.")
    made_at = clock.now()
    name = timezone.localtime(made_at).strftime(NAME_FORMAT)
    directory.mkdir(parents=True, exist_ok=True)
    final = _free_name(directory, name)
    partial = directory / f".{final.name}.partial"
    partial.mkdir()
    try:
        target = partial / DATABASE_FILES[connection.vendor]
        if connection.vendor == "sqlite":
            contents = _dump_sqlite(connection.settings_dict, target)
        else:
            contents = _dump_postgresql(connection, target)
        # After the snapshot: a file is stored before the row naming it commits,
        # so every file the snapshot's rows name is there by now.
        files = _copy_media(Path(settings.MEDIA_ROOT), partial / MEDIA)
        manifest = {
            "format": FORMAT,
            "made_at": made_at.isoformat(),
            "version": app_version(),
            "database": connection.vendor,
            "migrations": contents.migrations,
            "counts": contents.counts,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _free_name(directory: Path, name: str) -> Path:
    candidate, n = directory / name, 1
    while candidate.exists() or (directory / f".{candidate.name}.partial").exists():
        n += 1
        candidate = directory / f"{name}-{n}"
    return candidate


def _dump_sqlite(settings_dict: dict[str, Any], target: Path) -> Contents:
    path = Path(settings_dict["NAME"])
    if not path.is_file():
        raise BackupError(f"There is no database at {path}.")
    source = sqlite3.connect(path, timeout=settings_dict["OPTIONS"].get("timeout", 20))
    copy = sqlite3.connect(target)
    with closing(source), closing(copy):
        # One step (pages=-1): the whole copy is read in one read transaction,
        # a snapshot that writers in WAL mode neither block nor change.
        source.backup(copy)
        # One self-contained file, no -wal beside it.
        db.leave_wal(copy)
        return _contents(copy, "sqlite")


def _dump_postgresql(connection: Any, target: Path) -> Contents:
    pg_dump = _client("pg_dump")
    with db.exported_snapshot(connection) as (snapshot, snapshot_connection):
        # pg_dump reads the snapshot this transaction holds open: the dump
        # and the counts below are of the same moment.
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            connection.settings_dict,
        )
        return _contents(snapshot_connection, "postgresql")


def _client(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} was not found on PATH: install PostgreSQL's client programs "
            f"(Debian: apt install postgresql-client), of the server's major version or newer."
        )
    return path


def _run(args: list[str], settings_dict: dict[str, Any]) -> None:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if sslmode := settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")


def _contents(connection: Any, vendor: str) -> Contents:
    counts = db.table_counts(connection, vendor)
    migrations = db.applied_migrations(connection) if "django_migrations" in counts else []
    return Contents(migrations=migrations, counts=counts)


def _copy_media(source: Path, target: Path) -> int:
    """Copy the uploaded files; returns how many. The issued passwords' folder
    and any folder marked as a cache (CACHEDIR.TAG) stay out."""
    issued = Path(settings.ISSUED_FILES_DIR).resolve()
    copied = 0
    target.mkdir()
    if not source.is_dir():
        return 0
    for folder, subfolders, files in os.walk(source):
        here = Path(folder)
        if here.resolve() == issued or "CACHEDIR.TAG" in files:
            subfolders.clear()
            continue
        into = target / here.relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copy2(here / name, into / name)
            copied += 1
    return copied


def read_manifest(backup: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((backup / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{backup} is not a backup: it has no {MANIFEST}.") from None
    return manifest


def restore(backup: Path, *, using: str = DEFAULT_DB_ALIAS) -> Restored:
    """Restore a backup into the empty database and MEDIA_ROOT; check the counts;
    then do again what `after_restore` lists (the retention purge)."""
    manifest = read_manifest(backup)
    connection = db.connection_of(using)
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest['database']} database; "
            f"the configured one is {connection.vendor}."
        )
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of Shouwang "
            f"({manifest['version']}); these migrations are unknown here: " + ", ".join(unknown)
        )
    tables = db.table_names(connection, connection.vendor)
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty "
            f"({len(tables)} tables): restore into a new, empty database "
            "(create it, and do not run migrate before restoring)."
        )
    source = backup / DATABASE_FILES[connection.vendor]
    if connection.vendor == "sqlite":
        _load_sqlite(connection, source)
    else:
        _load_postgresql(connection, source)
    found = _contents(connection, connection.vendor).counts
    _check_counts(manifest["counts"], found)
    files = _restore_media(backup / MEDIA, Path(settings.MEDIA_ROOT))
    executor = MigrationExecutor(connection)
    migrated = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if migrated:
        # The restored data in today's schema, before anything reads it.
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
    restored = Restored(counts=found, files=files, migrated=migrated)
    for hook in after_restore:
        restored.after_restore.update(hook())
    return restored


def _unknown_migrations(applied: list[str]) -> list[str]:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return [name for name in applied if tuple(name.split(".", 1)) not in known]


def _load_sqlite(connection: Any, source: Path) -> None:
    connection.close()
    backup = sqlite3.connect(source)
    target = sqlite3.connect(connection.settings_dict["NAME"])
    with closing(backup), closing(target):
        # A backup into a WAL database fails on differing page sizes; Django's
        # next connection turns WAL back on.
        db.leave_wal(target)
        backup.backup(target)


def _load_postgresql(connection: Any, source: Path) -> None:
    connection.close()
    _run(
        [
            _client("pg_restore"),
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        connection.settings_dict,
    )


def _check_counts(expected: dict[str, int], found: dict[str, int]) -> None:
    wrong = [
        f"{table}: {expected.get(table, 'absent')} in the backup, "
        f"{found.get(table, 'absent')} restored"
        for table in sorted(expected.keys() | found.keys())
        if expected.get(table) != found.get(table)
    ]
    if wrong:
        raise BackupError(
            "The restored database does not match the backup's manifest; do not use it:\n"
            + "\n".join(wrong)
        )


def _restore_media(source: Path, target: Path) -> int:
    restored = 0
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        into = target / path.relative_to(source)
        if path.is_dir():
            into.mkdir(parents=True, exist_ok=True)
        else:
            into.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, into)
            restored += 1
    return restored


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: dt.datetime


def backups(directory: Path) -> list[Backup]:
    """The complete backups in `directory`, newest first."""
    found = []
    for path in directory.iterdir() if directory.is_dir() else ():
        if path.name.startswith(".") or not (path / MANIFEST).is_file():
            continue
        made_at = dt.datetime.fromisoformat(read_manifest(path)["made_at"])
        found.append(Backup(path, made_at))
    return sorted(found, key=lambda backup: backup.made_at, reverse=True)


def prune(directory: Path, *, keep: int, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups beyond the newest `keep`, and any holding detail past
    its retention; returns the folders deleted. Nothing else in `directory` is touched."""
    now = now or clock.now()
    doomed = [
        backup.path
        for n, backup in enumerate(backups(directory))
        if n >= keep or any(expired(backup.made_at, now) for expired in expiry_checks)
    ]
    doomed += [path for path in _stale_partials(directory)]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def _stale_partials(directory: Path) -> Iterator[Path]:
    cutoff = timezone.now().timestamp() - STALE_PARTIAL.total_seconds()
    for path in directory.glob(".*.partial") if directory.is_dir() else ():
        if path.stat().st_mtime < cutoff:
            yield path
