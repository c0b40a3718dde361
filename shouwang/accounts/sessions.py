"""The session store, read with one plain query, and how long sessions last.

A student's own session lasts SESSION_COOKIE_AGE (14 days): it reaches their
own records only. Every other login reaches other people's: counsellors,
leaders, admins and psychological support by their role, volunteers the names
and rooms of the isolated, teachers and staff whatever their unit's help desk,
duty team or a request's task hands them. Those sessions end
SESSION_STAFF_MAX_HOURS after login and SESSION_STAFF_IDLE_MINUTES after the
last request. A student who holds any role beyond their own (a volunteer) is
held to the same: at login, or at the first page that asks for their roles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends import db as sessions_db
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from shouwang.core import db

from .models import Role, User


class SessionStore(sessions_db.SessionStore):
    """Every request of a logged-in user loads its session, and the morning's
    check-in wave is nothing but such requests: its data is read with one
    plain query, with no model made of the row (core.db says why). A session
    not found is looked up again by Django's own `load()`, which also forgets
    its key, so that no visitor chooses the key of the session they get;
    saving, creating and deleting stay Django's own."""

    def load(self) -> dict[str, Any]:
        data = db.unexpired_session_data(self.session_key)
        if data is None:
            return super().load()
        return self.decode(data)


# Seconds since the epoch: when the short session began, when a request last came.
STAFF_SINCE = "shouwang.staff_since"
SEEN = "shouwang.seen"
# The last request's time is written at most this often (seconds): a counsellor
# clicking through a list does not write their session on every click.
TOUCH_EVERY = 60


def reaches_others(user: User) -> bool:
    """Whether the user's login reaches other people's records (all but a student's own)."""
    had = "roles" in user.__dict__
    roles = user.roles
    if not had:
        # Asked for at login: a role that changes later in the request must not stay cached.
        del user.__dict__["roles"]
    return user.person_id is None or bool(roles - {Role.STUDENT})


def _idle() -> float:
    return settings.SESSION_STAFF_IDLE_MINUTES * 60


def _max_age() -> float:
    return settings.SESSION_STAFF_MAX_HOURS * 3600


def shorten(session: SessionBase, now: float) -> None:
    """Hold a session to the staff limits from now on."""
    session[STAFF_SINCE] = now
    _touch(session, now)


def _touch(session: SessionBase, now: float) -> None:
    session[SEEN] = now
    # The stored session expires by itself too, whichever limit comes first.
    remaining = _max_age() - (now - session[STAFF_SINCE])
    session.set_expiry(max(1, int(min(_idle(), remaining))))


def start_session(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """At login (user_logged_in, from any login page, SSO included): choose the limits."""
    if request is not None and hasattr(request, "session") and reaches_others(user):
        shorten(request.session, timezone.now().timestamp())


def session_limits(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """End a staff session past its limits; otherwise note the request, once a minute.

    A student's request reads one key of the session already loaded and
    writes nothing: the morning's check-in wave pays nothing for this."""

    def middleware(request: HttpRequest) -> HttpResponse:
        session = request.session
        since = session.get(STAFF_SINCE)
        if since is not None:
            now = timezone.now().timestamp()
            if now - since >= _max_age() or now - session.get(SEEN, since) >= _idle():
                logout(request)
            elif now - session[SEEN] >= TOUCH_EVERY:
                _touch(session, now)
        response = get_response(request)
        if since is None:
            user = getattr(request, "user", None)
            # Only when the page computed the roles anyway: no query of its own.
            if (
                user is not None
                and "roles" in getattr(user, "__dict__", {})
                and user.is_authenticated
                and STAFF_SINCE not in session
                and reaches_others(user)
            ):
                shorten(session, timezone.now().timestamp())
        return response

    return middleware
