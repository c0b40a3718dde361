"""`manage.py backup` copies a running database with its uploads; `restore`
brings it back into an empty one, checked against the manifest and purged of
what the retention has deleted since."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Model
from django.test import TestCase, TransactionTestCase, override_settings
from freezegun import freeze_time
from psycopg.conninfo import make_conninfo

from shouwang.checkins.models import CheckIn, Location
from shouwang.checkins.tasks import purge_checkin_detail
from shouwang.core import backup
from shouwang.core.tasks import back_up
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.test import Personas, make_person

from .test_worker import manage

CHECKINS = CheckIn._meta.db_table
DAY_1 = dt.date(2022, 4, 6)


@dataclass
class FreshDatabase:
    """An empty database of the vendor under test, for a `manage.py` process."""

    env: dict[str, str]
    path: Path | None = None  # SQLite's file
    name: str = ""  # PostgreSQL's database

    def values(self, model: type[Model], *columns: str, where: str = "") -> list[tuple]:
        """The restored rows of `model`'s table: these columns, where this holds."""
        sql = f"SELECT {', '.join(columns)} FROM {model._meta.db_table} {where}"  # noqa: S608
        if self.path is not None:
            with closing(sqlite3.connect(self.path)) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(make_conninfo(**self.params())) as db:
            return db.execute(sql).fetchall()

    def params(self) -> dict[str, str]:
        db = connection.settings_dict
        found = {"dbname": self.name, "user": db["USER"], "host": db["HOST"], "port": db["PORT"]}
        if db["PASSWORD"]:
            found["password"] = db["PASSWORD"]
        return {key: str(value) for key, value in found.items() if value}


@contextmanager
def fresh_database(folder: Path) -> Iterator[FreshDatabase]:
    media = folder / "restored-media"
    if connection.vendor == "sqlite":
        path = folder / "restored.sqlite3"
        yield FreshDatabase(
            {"SQLITE_PATH": str(path), "DATABASE_URL": "", "MEDIA_ROOT": str(media)}, path=path
        )
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    try:
        yield FreshDatabase({"DATABASE_URL": url, "MEDIA_ROOT": str(media)}, name=name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def checkin(person, incident, day: dt.date) -> CheckIn:
    when = beijing(day.year, day.month, day.day, 8)
    return CheckIn.objects.create(
        person=person,
        incident=incident,
        date=day,
        submitted_at=when,
        updated_at=when,
        location=Location.CAMPUS,
    )


class BackupCase(Personas, TransactionTestCase):
    """Backups read the database through a connection of their own: what they
    copy must be committed, so these tests commit."""

    def setUp(self):
        self.create_personas()
        self.folder = Path(tempfile.mkdtemp(prefix="shouwang-backup-"))
        self.addCleanup(shutil.rmtree, self.folder)
        # Other tests leave their uploads in the shared media folder.
        media = self.settings(MEDIA_ROOT=self.folder / "media")
        media.enable()
        self.addCleanup(media.disable)
        self.incident = Incident.objects.create(
            title="校园封控", started_at=beijing(2022, 4, 6, 7), retention_days=30
        )
        self.incident.units.add(self.college)

    def back_up(self) -> Path:
        call_command("backup", str(self.folder / "backups"), stdout=open(os.devnull, "w"))  # noqa: SIM115
        (made,) = backup.backups(self.folder / "backups")
        return made.path

    def media_file(self, name: str, content: bytes) -> Path:
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.addCleanup(path.unlink)
        return path


class RoundTripTestCase(BackupCase):
    def test_a_restored_backup_holds_the_rows_and_the_uploaded_files(self):
        checkin(self.student_a, self.incident, DAY_1)
        checkin(self.student_b, self.incident, DAY_1)
        self.media_file("helpdesk/2022/04/photo.jpg", b"\xff\xd8photo")
        issued = Path(settings.ISSUED_FILES_DIR) / "sheet.xlsx.enc"
        issued.write_bytes(b"sealed")
        self.addCleanup(issued.unlink)

        made = self.back_up()

        manifest = backup.read_manifest(made)
        self.assertEqual(manifest["database"], connection.vendor)
        self.assertEqual(manifest["counts"][CHECKINS], 2)
        self.assertIn("checkins.0001_initial", manifest["migrations"])
        self.assertTrue(manifest["version"])
        self.assertEqual(manifest["files"], 1)
        self.assertFalse(list(made.rglob("sheet.xlsx.enc")))
        with fresh_database(self.folder) as fresh:
            restored = manage("restore", str(made), env=fresh.env)
            self.assertEqual(restored.returncode, 0, restored.stderr)
            self.assertEqual(
                sorted(fresh.values(CheckIn, "person_id", "date")),
                sorted(
                    (pk, str(day) if fresh.path else day)
                    for pk, day in CheckIn.objects.values_list("person_id", "date")
                ),
            )
        photo = self.folder / "restored-media/helpdesk/2022/04/photo.jpg"
        self.assertEqual(photo.read_bytes(), b"\xff\xd8photo")

    def test_it_refuses_a_database_that_is_not_empty(self):
        checkin(self.student_a, self.incident, DAY_1)
        made = self.back_up()
        CheckIn.objects.all().delete()

        with self.assertRaisesRegex(CommandError, "is not empty .* new, empty database"):
            call_command("restore", str(made))

        self.assertFalse(CheckIn.objects.exists())

    def test_a_restore_that_does_not_match_the_manifest_fails(self):
        checkin(self.student_a, self.incident, DAY_1)
        self.media_file("notices/attachment.pdf", b"%PDF")
        made = self.back_up()
        manifest = json.loads((made / backup.MANIFEST).read_text())
        manifest["counts"][CHECKINS] = 2
        (made / backup.MANIFEST).write_text(json.dumps(manifest))

        with fresh_database(self.folder) as fresh:
            restored = manage("restore", str(made), env=fresh.env)

        self.assertEqual(restored.returncode, 1)
        self.assertIn("does not match the backup's manifest", restored.stderr)
        self.assertIn(f"{CHECKINS}: 2 in the backup, 1 restored", restored.stderr)
        self.assertFalse((self.folder / "restored-media/notices/attachment.pdf").exists())

    def test_a_restore_purges_the_detail_whose_retention_has_run_out(self):
        closed = self.incident
        closed.closed_at = beijing(2022, 4, 8, 18)
        closed.save(update_fields=["closed_at"])
        still_open = Incident.objects.create(title="防汛", started_at=beijing(2022, 4, 7, 7))
        checkin(self.student_a, closed, DAY_1)
        checkin(self.student_b, still_open, DAY_1)
        # Made the day after the incident closed, its detail 29 days from the purge.
        with freeze_time(beijing(2022, 4, 9, 3)):
            made = self.back_up()

        with fresh_database(self.folder) as fresh:
            restored = manage("restore", str(made), env=fresh.env)
            self.assertEqual(restored.returncode, 0, restored.stderr)
            self.assertIn("purged: 1", restored.stdout)
            self.assertEqual(
                fresh.values(CheckIn, "person_id", "incident_id"),
                [(self.student_b.pk, still_open.pk)],
            )
            ((purged_at,),) = fresh.values(Incident, "purged_at", where=f"WHERE id = {closed.pk}")
            self.assertIsNotNone(purged_at)


class WriteLoadTestCase(BackupCase):
    def test_every_checkin_acknowledged_before_the_backup_is_restored(self):
        people = [self.student_a, self.student_b] + [
            make_person(f"2022{n:03}", f"学生{n}", unit=self.college) for n in range(8)
        ]
        acknowledged: list[tuple[int, dt.date]] = []
        stop = threading.Event()

        def write():
            # Each create commits on its own: once it returns, it is acknowledged.
            try:
                for n in range(100_000):
                    if stop.is_set():
                        return
                    person, day = people[n % len(people)], DAY_1 + dt.timedelta(n // len(people))
                    checkin(person, self.incident, day)
                    acknowledged.append((person.pk, day))
            finally:
                connection.close()

        writer = threading.Thread(target=write)
        writer.start()
        try:
            while len(acknowledged) < 50 and writer.is_alive():
                stop.wait(0.01)
            before = list(acknowledged)
            made = self.back_up()
            during = len(acknowledged) - len(before)
        finally:
            stop.set()
            writer.join(timeout=30)

        self.assertGreater(len(before), 0)
        self.assertGreater(during, 0, "the writer went on while the backup ran")
        with fresh_database(self.folder) as fresh:
            restored = manage("restore", str(made), env=fresh.env)
            self.assertEqual(restored.returncode, 0, restored.stderr)
            rows = fresh.values(CheckIn, "person_id", "date")
        restored_rows = {(pk, dt.date.fromisoformat(str(day))) for pk, day in rows}
        self.assertEqual(set(before) - restored_rows, set())
        self.assertLessEqual(restored_rows, set(acknowledged))


class ScheduledBackupTestCase(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="shouwang-backup-"))
        self.addCleanup(shutil.rmtree, self.folder)

    def back_up_at(self, when: dt.datetime) -> str:
        with freeze_time(when):
            return back_up.call()

    def kept(self) -> list[str]:
        return [made.path.name for made in backup.backups(self.folder)]

    def test_it_does_nothing_without_a_backup_folder(self):
        with override_settings(BACKUP_DIR=""):
            self.assertEqual(back_up.call(), "")

    def test_it_keeps_the_newest_backups(self):
        (self.folder / "notes.txt").write_text("the operator's own file")
        with override_settings(BACKUP_DIR=str(self.folder), BACKUP_KEEP=2):
            for day in (6, 7, 8):
                self.back_up_at(beijing(2022, 4, day, 3))

        self.assertEqual(self.kept(), ["20220408-030000", "20220407-030000"])
        self.assertTrue((self.folder / "notes.txt").exists())

    def test_it_deletes_a_backup_holding_detail_past_its_retention(self):
        incident = Incident.objects.create(
            title="校园封控", started_at=beijing(2022, 4, 6, 7), retention_days=30
        )
        with override_settings(BACKUP_DIR=str(self.folder), BACKUP_KEEP=7):
            self.back_up_at(beijing(2022, 4, 7, 3))
            incident.closed_at = beijing(2022, 4, 8, 18)
            incident.save(update_fields=["closed_at"])
            self.back_up_at(beijing(2022, 5, 8, 3))
            self.assertEqual(self.kept(), ["20220508-030000", "20220407-030000"])
            # The night the retention runs out: the purge at 02:30, the backup at 03:00.
            with freeze_time(beijing(2022, 5, 9, 2, 30)):
                purge_checkin_detail.call()
            self.back_up_at(beijing(2022, 5, 9, 3))

        self.assertEqual(self.kept(), ["20220509-030000"])


@pytest.mark.needs_service
class PostgresDumpTestCase(BackupCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only: CI's PostgreSQL run (DATABASE_URL) covers it")
        super().setUp()

    def test_the_dump_is_a_custom_format_archive(self):
        made = self.back_up()
        listed = subprocess.run(  # noqa: S603
            [shutil.which("pg_restore") or "pg_restore", "--list", str(made / "db.dump")],
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn(f"TABLE DATA public {CHECKINS}", listed.stdout)

    def test_without_pg_dump_it_says_what_to_install(self):
        with mock.patch.dict(os.environ, {"PATH": str(self.folder)}):
            with self.assertRaisesRegex(CommandError, "pg_dump was not found on PATH"):
                self.back_up()
        self.assertEqual(list((self.folder / "backups").iterdir()), [])
