import tempfile
from pathlib import Path

import pytest
from django.test.utils import override_settings


@pytest.fixture(autouse=True, scope="session")
def _test_settings(django_test_environment):
    """For the whole run, before any class's test data is made: tasks run
    inline (no test waits for a worker; core/tests/test_worker.py starts real
    ones), passwords hash fast, the test client's plain HTTP is not redirected
    to HTTPS, logins outlast the tests' clock jumps, and uploads and issued
    passwords' files land in folders of their own.

    The URLconf is loaded first: a test that freezes the clock before anything
    imported the API would have pydantic build its schemas on freezegun's fake
    date class, which it refuses; that test alone, or first in its test
    process, would fail."""
    from django.conf import settings
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's URLs and the API)

    with (
        tempfile.TemporaryDirectory(prefix="shouwang-media-") as media,
        tempfile.TemporaryDirectory(prefix="shouwang-issued-") as issued,
        override_settings(
            MEDIA_ROOT=media,
            TASKS={"default": settings.TASKS_BACKENDS["immediate"]},
            PASSWORD_HASHERS=[
                "django.contrib.auth.hashers.MD5PasswordHasher",
                "shouwang.accounts.hashers.InitialPasswordHasher",
            ],
            ISSUED_FILES_DIR=Path(issued),
            SECURE_SSL_REDIRECT=False,
            # A test's clock jumps hours and days between the login and the
            # page; the staff session limits are tested where they are set
            # (accounts/tests/test_session_limits.py).
            SESSION_STAFF_MAX_HOURS=24 * 365 * 100,
            SESSION_STAFF_IDLE_MINUTES=60 * 24 * 365 * 100,
        ),
    ):
        yield
