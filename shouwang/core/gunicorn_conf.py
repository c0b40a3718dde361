"""gunicorn settings for `manage.py run`.

The app is loaded once in gunicorn's master and the workers are forked from
it, so that they share its pages instead of each importing Django anew.
"""

preload_app = True
# A slow phone on a bad network must not hold a worker for ever.
timeout = 30
graceful_timeout = 10


def pre_fork(server, worker):  # type: ignore[no-untyped-def]
    # A connection opened while loading the app must not be shared by the workers.
    from django.db import connections  # noqa: TID251 - closes them, runs no SQL

    connections.close_all()
