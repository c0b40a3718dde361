import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tasks run inline (no test waits for a worker) and passwords hash fast.
    The worker tests in core/tests/test_worker.py set their own backend."""
    settings.TASKS = {"default": settings.TASKS_BACKENDS["immediate"]}
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
