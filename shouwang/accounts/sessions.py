"""The session store: Django's database sessions, read with one plain query."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from shouwang.core.db import get_by_pk


class SessionStore(db.SessionStore):
    """Every request of a logged-in user loads its session, and the morning's
    check-in wave is nothing but such requests: loaded with a plain query
    (core.db says why); saving, creating and deleting stay Django's own."""

    def load(self):
        session = get_by_pk(Session, self.session_key)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return {}
        return self.decode(session.session_data)
