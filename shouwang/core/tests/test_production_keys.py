"""Production refuses to start with the public development keys."""

import os
import sqlite3
import subprocess
import sys
import tempfile

from django.test import SimpleTestCase, override_settings

from shouwang.core.tests.test_settings import BASE_DIR, PRODUCTION_ENV
from shouwang.counselling import crypto

# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly rejects.
IGNORED = ("DEBUG", "SECRET_KEY", "COUNSELLING_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in IGNORED}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def without(name: str) -> dict[str, str]:
    return {k: v for k, v in PRODUCTION_ENV.items() if k != name}


class DeployCheckTests(SimpleTestCase):
    def test_the_development_secret_key_fails_the_deploy_check(self):
        result = run(["manage.py", "check", "--deploy"], without("SECRET_KEY"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("shouwang.E010", result.stderr)

    def test_a_missing_counselling_key_fails_the_deploy_check(self):
        result = run(["manage.py", "check", "--deploy"], without("COUNSELLING_KEY"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("shouwang.E020", result.stderr)

    def test_the_public_development_counselling_key_fails_the_deploy_check(self):
        env = {**PRODUCTION_ENV, "COUNSELLING_KEY": crypto.DEVELOPMENT_KEY}
        result = run(["manage.py", "check", "--deploy"], env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("shouwang.E022", result.stderr)

    def test_keys_of_its_own_pass(self):
        result = run(["manage.py", "check", "--deploy"], PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stderr)


class StartupTests(SimpleTestCase):
    def setUp(self):
        self.var = tempfile.mkdtemp(prefix="shouwang-startup-")
        self.env = {"VAR_DIR": self.var, "SQLITE_PATH": f"{self.var}/db.sqlite3"}

    def test_the_server_refuses_the_development_secret_key(self):
        result = run(["manage.py", "run", "127.0.0.1:1"], {**without("SECRET_KEY"), **self.env})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("shouwang.E010", result.stderr)

    def test_the_server_refuses_to_run_without_a_counselling_key(self):
        env = {**without("COUNSELLING_KEY"), **self.env}
        result = run(["manage.py", "run", "127.0.0.1:1"], env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("shouwang.E020", result.stderr)

    def test_a_wsgi_server_cannot_load_the_app_with_the_development_secret_key(self):
        result = run(["-c", "import shouwang.wsgi"], {**without("SECRET_KEY"), **self.env})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("shouwang.E010", result.stderr)
        result = run(["-c", "import shouwang.wsgi"], {**PRODUCTION_ENV, **self.env})
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_migrate_refuses_a_production_database_without_a_counselling_key(self):
        env = {**without("COUNSELLING_KEY"), **self.env}
        result = run(["manage.py", "migrate", "--noinput"], env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("shouwang.E020", result.stderr)
        with sqlite3.connect(f"{self.var}/db.sqlite3") as db:
            tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        self.assertEqual(tables, [])

    def test_development_starts_with_the_development_keys(self):
        env = {"DEBUG": "1", **self.env}
        result = run(["manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
        self.assertEqual(result.returncode, 0, result.stderr)


class NothingDerivedFromTheSecretKeyTests(SimpleTestCase):
    @override_settings(COUNSELLING_KEYS=[])
    def test_the_notes_key_does_not_change_with_the_secret_key(self):
        with override_settings(SECRET_KEY="one-secret-key-of-a-college-0123456789abcdefghijk"):
            token = crypto.encrypt("谈话记录")
        with override_settings(SECRET_KEY="another-secret-key-entirely-0123456789abcdefghij"):
            self.assertEqual(crypto.decrypt(token), "谈话记录")
        self.assertEqual(crypto.keys(), (crypto.DEVELOPMENT_KEY,))
