import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import SimpleTestCase, TestCase

from shouwang.people.models import Unit

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!k2mQ9#vR4tY8wZ1aB6cD3eF5gH0jK-not-a-real-deployment-key",
    "ALLOWED_HOSTS": "shouwang.example.edu.cn",
    # Counselling notes' key (shouwang.E020 without one); a made-up test key.
    "COUNSELLING_KEY": "bm90LWEtcmVhbC1rZXktanVzdC1mb3ItdGhlLXRlc3Q=",
}


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly rejects.
    ignored = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class DeployCheckTestCase(SimpleTestCase):
    def test_production_settings_pass_the_deploy_check_without_warnings(self):
        result = check_deploy(PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_the_development_secret_key_fails_the_deploy_check(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
        result = check_deploy(env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W009", result.stderr + result.stdout)

    def test_an_unknown_task_backend_is_rejected(self):
        result = check_deploy({**PRODUCTION_ENV, "TASKS_BACKEND": "celery"})
        self.assertIn("shouwang.E001", result.stderr + result.stdout)


class SQLiteDurabilityTestCase(TestCase):
    def setUp(self):
        if connection.vendor != "sqlite":
            pytest.skip("SQLite only: PostgreSQL is durable and concurrent by itself")

    def pragma(self, name: str):
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

    def test_it_runs_in_wal_mode_with_full_sync(self):
        self.assertEqual(self.pragma("journal_mode"), "wal")
        self.assertEqual(self.pragma("synchronous"), 2)  # FULL
        self.assertGreater(self.pragma("busy_timeout"), 0)

    def test_it_takes_the_write_lock_when_a_transaction_begins(self):
        self.assertEqual(connection.settings_dict["OPTIONS"]["transaction_mode"], "IMMEDIATE")

    def test_it_reads_the_database_file_through_memory(self):
        # A database larger than the mapping is read beyond it as usual.
        self.assertGreaterEqual(self.pragma("mmap_size"), 256 * 1024 * 1024)

    def test_it_checkpoints_the_wal_every_10000_pages(self):
        self.assertEqual(self.pragma("wal_autocheckpoint"), 10000)


class AssetsTestCase(SimpleTestCase):
    EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)

    def test_no_template_loads_anything_from_outside_the_app(self):
        offenders = [
            f"{path.relative_to(BASE_DIR)}:{number}"
            for path in (BASE_DIR / "shouwang").rglob("templates/**/*.html")
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if self.EXTERNAL.search(line)
        ]
        self.assertEqual(offenders, [])

    def test_the_vendored_assets_are_in_the_repository(self):
        static = BASE_DIR / "shouwang" / "core" / "static" / "vendor"
        self.assertTrue((static / "bootstrap-5.3.9" / "bootstrap.min.css").is_file())
        self.assertTrue((static / "htmx-2.0.11" / "htmx.min.js").is_file())

    def test_the_app_serves_its_own_assets(self):
        response = self.client.get("/static/vendor/htmx-2.0.11/htmx.min.js")
        self.assertEqual(response.status_code, 200)


class SQLiteStatementTests(TestCase):
    """core/sqlite remembers its rewritten statements; what they do is Django's."""

    def setUp(self):
        if connection.vendor != "sqlite":
            pytest.skip("SQLite's backend")

    def run_twice(self, sql: str, params) -> list:
        rows = []
        for _ in range(2):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows.append(cursor.fetchone())
        self.assertEqual(rows[0], rows[1])
        return rows[0]

    def test_it_is_the_backend_in_use(self):
        self.assertEqual(connection.settings_dict["ENGINE"], "shouwang.core.sqlite")

    def test_placeholders_take_their_values_and_doubled_percent_signs_stay_literal(self):
        self.assertEqual(self.run_twice("SELECT %s, '100%%', %s", [7, "体温"]), (7, "100%", "体温"))
        self.assertEqual(self.run_twice("SELECT %s, '100%%', %s", [8, "咳嗽"]), (8, "100%", "咳嗽"))

    def test_named_parameters_are_rewritten_as_django_does(self):
        self.assertEqual(self.run_twice("SELECT %(a)s + %(b)s", {"a": 2, "b": 3}), (5,))

    def test_the_orm_reads_and_writes_through_it(self):
        unit = Unit.objects.create(name="100% 返岗", kind=Unit.Kind.OFFICE)
        self.assertEqual(Unit.objects.filter(name__contains="%").get(), unit)


class SQLiteBackendCanaryTests(SimpleTestCase):
    """core/sqlite reproduces two pieces of Django's SQLite backend; a Django
    that changes them fails here, saying what to re-check."""

    RECHECK = "re-check shouwang/core/sqlite/base.py against Django's, then this test"

    def test_the_placeholder_rewriting_is_djangos(self):
        from django.db.backends.sqlite3 import base as django_base

        from shouwang.core.sqlite.base import _qmark

        self.assertEqual(
            str(inspect.signature(django_base.SQLiteCursorWrapper.convert_query)),  # type: ignore[attr-defined]
            "(self, query, *, param_names=None)",
            f"SQLiteCursorWrapper.convert_query's signature changed: {self.RECHECK}",
        )
        statements = [
            "SELECT %s",
            "SELECT %s, '100%%', %s FROM t WHERE a = %s",
            "SELECT '%%s' || %s",
            'INSERT INTO "t" ("a", "b") VALUES (%s, %s) RETURNING "t"."id"',
            "SELECT 1",
        ]
        for sql in statements:
            with self.subTest(sql):
                self.assertEqual(
                    _qmark(sql),
                    django_base.SQLiteCursorWrapper.convert_query(None, sql),  # type: ignore[attr-defined]
                    f"Django rewrites placeholders otherwise: {self.RECHECK}",
                )

    def test_django_still_rewrites_each_statement_through_convert_query(self):
        from django.db.backends.sqlite3 import base as django_base

        wrapper = django_base.SQLiteCursorWrapper
        for method in (wrapper.execute, wrapper.executemany):
            with self.subTest(method.__name__):
                self.assertIn(
                    "query = self.convert_query(query, param_names=param_names)",
                    inspect.getsource(method),
                    f"{method.__qualname__} no longer calls convert_query so: {self.RECHECK}",
                )
        self.assertEqual(
            inspect.getsource(django_base.DatabaseWrapper.create_cursor).split("\n", 1)[1].strip(),
            "return self.connection.cursor(factory=SQLiteCursorWrapper)",
            f"DatabaseWrapper.create_cursor changed: {self.RECHECK}",
        )
