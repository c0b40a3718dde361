"""The session store: Django's database sessions, read with one plain query."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

# Expired sessions are left to `clearsessions`; the query does not see them.
LOAD = (
    f"SELECT session_data FROM {Session._meta.db_table} "  # noqa: S608
    "WHERE session_key = %s AND expire_date > %s"
)


class SessionStore(db.SessionStore):
    """Every request of a logged-in user loads its session, and the morning's
    check-in wave is nothing but such requests: its data is read with a plain
    query, with no model made of the row (core.db says why); saving, creating
    and deleting stay Django's own."""

    def load(self):
        connection = connections[router.db_for_read(Session)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(LOAD, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
