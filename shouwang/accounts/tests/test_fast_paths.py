"""The session store and the authentication backend read with core.db's plain
queries and are otherwise Django's: they answer as Django's own do, and a
Django whose own change fails here, saying what to re-check."""

import datetime as dt
import inspect

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db as django_sessions
from django.contrib.sessions.models import Session
from django.test import Client, SimpleTestCase
from django.utils import timezone

from shouwang.accounts.backends import PersonModelBackend
from shouwang.accounts.models import User
from shouwang.accounts.sessions import SessionStore
from shouwang.test import BaseTestCase


def code(function) -> list[str]:
    """A function's statements, one a line, without its first line and comments."""
    lines = inspect.getsource(function).splitlines()[1:]
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


class SessionStoreTests(BaseTestCase):
    def session_keys(self) -> list[str | None]:
        keys: list[str | None] = []
        for user in (self.student, self.counsellor_a_user):
            client = Client()
            client.force_login(user)
            keys.append(client.session.session_key)
        Session.objects.filter(session_key=keys[1]).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1)
        )
        return [*keys, "no-such-session-key-at-all"]

    def test_it_loads_what_djangos_store_loads(self):
        for key in self.session_keys():
            with self.subTest(key=key):
                ours, django = SessionStore(key), django_sessions.SessionStore(key)
                self.assertEqual(ours.load(), django.load())
                self.assertEqual(ours.session_key, django.session_key)

    def test_a_session_found_takes_one_query_one_not_found_gets_a_key_of_its_own(self):
        found, expired, unknown = self.session_keys()
        with self.assertNumQueries(1):
            self.assertTrue(SessionStore(found).load())
        for key in (expired, unknown):
            store = SessionStore(key)
            self.assertEqual(store.load(), {})
            # Django's load forgets a key it did not find: no visitor picks their key.
            self.assertIsNone(store.session_key)
            store["seen"] = 1
            store.save()
            self.assertNotEqual(store.session_key, key)


class BackendTests(BaseTestCase):
    def test_it_finds_whom_djangos_backend_finds_with_their_person_in_one_query(self):
        inactive = User.objects.create(username="left", is_active=False)
        for user_id in [*User.objects.values_list("pk", flat=True), inactive.pk, 999_999]:
            with self.subTest(user_id=user_id):
                with self.assertNumQueries(1):
                    ours = PersonModelBackend().get_user(user_id)
                    person = ours.person if ours is not None else None
                django = ModelBackend().get_user(user_id)
                self.assertEqual(ours, django)
                self.assertEqual(person, django.person if django is not None else None)


class DjangoCanaryTests(SimpleTestCase):
    def test_djangos_session_store_loads_as_ours_expects(self):
        recheck = "re-check shouwang/accounts/sessions.py's SessionStore.load, then this test"
        self.assertEqual(
            code(django_sessions.SessionStore.load),
            ["s = self._get_session_from_db()", "return self.decode(s.session_data) if s else {}"],
            f"Django's database session store loads otherwise: {recheck}",
        )
        lookup = "".join(code(django_sessions.SessionStore._get_session_from_db))  # type: ignore[attr-defined]
        self.assertIn(
            "session_key=self.session_key, expire_date__gt=timezone.now()",
            lookup,
            f"Django finds a session otherwise than core.db.unexpired_session_data: {recheck}",
        )
        self.assertIn(
            "self._session_key = None",
            lookup,
            f"Django no longer forgets a session key it did not find: {recheck}",
        )

    def test_djangos_backend_finds_a_user_as_ours_does(self):
        self.assertEqual(
            code(ModelBackend.get_user),
            [
                "try:",
                "user = UserModel._default_manager.get(pk=user_id)",
                "except UserModel.DoesNotExist:",
                "return None",
                "return user if self.user_can_authenticate(user) else None",
            ],
            "Django's ModelBackend.get_user changed: re-check "
            "shouwang/accounts/backends.py's PersonModelBackend.get_user, then this test",
        )
