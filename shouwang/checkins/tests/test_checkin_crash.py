"""The whole server killed (`kill -9`) in the middle of a wave of check-ins,
then started again: no check-in whose receipt a phone was shown is lost, and
a phone that got no answer and sends its form again makes no second row.

A real `manage.py run` (gunicorn, the task worker, the scheduler) in
production mode serves the test's own database (a SQLite file in WAL mode, or
PostgreSQL); each simulated phone posts its check-in with its form's key until
it is answered, as a phone retries a request that got no answer."""

import datetime as dt
import http.client
import os
import queue
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.test import TransactionTestCase, override_settings
from django.utils.crypto import get_random_string

from shouwang.accounts.models import User
from shouwang.checkins.models import CheckIn, PrivacyAcceptance
from shouwang.checkins.privacy import notice_version
from shouwang.core.tests.test_settings import PRODUCTION_ENV
from shouwang.core.tests.test_worker import database_env, fetch, wait_for
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import AdminClass, Person, Unit

STUDENTS = 300
PHONES = 8
# Killed once this many receipts have been shown: in the middle of the wave.
KILL_AFTER = STUDENTS // 3
ANSWERS = {
    "location": "campus",
    "health": "normal",
    "temperature": "36.5",
    "contact_with_case": "no",
    "stayed_in_risk_area": "no",
    "note": "",
    "same_as_yesterday": "",
}


class Phone:
    """A student's logged-in phone with its check-in form: the session, the
    CSRF cookie and token, and the form's key, sent again on every retry."""

    def __init__(self, person_id: int, session: str):
        self.person_id = person_id
        self.session = session
        self.csrf_secret = secrets.token_hex(16)
        request = HttpRequest()
        request.META["CSRF_COOKIE"] = self.csrf_secret
        self.csrf_token = get_token(request)
        self.key = uuid.uuid4()

    def submit(self, port: int) -> str:
        """POST the form once: the status and where it leads, or an OSError
        when no answer came."""
        body = urlencode({"csrfmiddlewaretoken": self.csrf_token, "key": self.key, **ANSWERS})
        origin = f"http://127.0.0.1:{port}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            connection.request(
                "POST",
                "/checkin/",
                body,
                {
                    "Cookie": f"sessionid={self.session}; csrftoken={self.csrf_secret}",
                    "Origin": origin,
                    "Referer": f"{origin}/checkin/",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = connection.getresponse()
            return f"{response.status} {response.getheader('Location', '')}"
        except http.client.HTTPException as error:
            # A reply cut short by the kill is no answer either.
            raise OSError(str(error)) from error
        finally:
            connection.close()


# The sessions are signed with the server's key.
@override_settings(SECRET_KEY=PRODUCTION_ENV["SECRET_KEY"])
class KilledServerTestCase(TransactionTestCase):
    def setUp(self):
        self.phones = self.college()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server: subprocess.Popen | None = None
        self.addCleanup(self.stop_server)

    def college(self) -> list[Phone]:
        """Students in classes of 40, each logged in on their phone, who
        accepted the privacy notice of the incident that covers them."""
        college = Unit.objects.create(name="信息学院", kind=Unit.Kind.COLLEGE)
        classes = [
            AdminClass.objects.create(name=f"计科{n}班", unit=college)
            for n in range(-(-STUDENTS // 40))
        ]
        people = Person.objects.bulk_create(
            Person(
                number=f"2022{n:06d}",
                name=f"学生{n}",
                kind=Person.Kind.STUDENT,
                unit=college,
                admin_class=classes[n // 40],
            )
            for n in range(STUDENTS)
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            User(
                username=person.number,
                person=person,
                password=password,
                must_change_password=False,
            )
            for person in people
        )
        now = clock.now()
        incident = Incident.objects.create(
            title="封控", started_at=now - dt.timedelta(days=1), deadline=dt.time(23, 59)
        )
        incident.units.add(college)
        PrivacyAcceptance.objects.bulk_create(
            PrivacyAcceptance(
                person=person, version=notice_version(incident), accepted_at=now - dt.timedelta(1)
            )
            for person in people
        )
        store, phones, sessions = SessionStore(), [], []
        for person, user in zip(people, users, strict=True):
            key = get_random_string(32, VALID_KEY_CHARS)
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "shouwang.accounts.backends.PersonModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            sessions.append(
                Session(
                    session_key=key,
                    session_data=store.encode(data),
                    expire_date=now + dt.timedelta(days=1),
                )
            )
            phones.append(Phone(person.pk, key))
        Session.objects.bulk_create(sessions)
        return phones

    def start_server(self) -> None:
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TASKS_BACKEND")},
            **PRODUCTION_ENV,
            **database_env(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "run", f"127.0.0.1:{self.port}", "--workers", "2"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own process group: the kill takes gunicorn's workers, the
            # task worker and the scheduler with it, as a power cut would.
            start_new_session=True,
        )
        wait_for(lambda: fetch(f"http://127.0.0.1:{self.port}/health/") == 200, timeout=60)

    def kill_server(self) -> None:
        assert self.server is not None
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=10)
        # Nothing of it is left to finish a request.
        wait_for(lambda: not alive(self.server.pid), timeout=10)

    def stop_server(self) -> None:
        if self.server is not None and alive(self.server.pid):
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=30)

    def test_no_acknowledged_checkin_is_lost_or_stored_twice(self):
        self.start_server()
        acknowledged: list[Phone] = []
        unanswered = Counter[str]()
        refused = Counter[str]()
        waiting: queue.SimpleQueue[Phone] = queue.SimpleQueue()
        for phone in self.phones:
            waiting.put(phone)
        give_up = time.monotonic() + 90
        lock = threading.Lock()

        def phone_user() -> None:
            while True:
                try:
                    phone = waiting.get_nowait()
                except queue.Empty:
                    return
                while time.monotonic() < give_up:
                    try:
                        status = phone.submit(self.port)
                    except OSError as error:
                        with lock:
                            unanswered[error.__class__.__name__] += 1
                        time.sleep(0.2)
                        continue
                    with lock:
                        if status == "302 /checkin/":
                            acknowledged.append(phone)
                        else:
                            refused[status] += 1
                    break

        users = [threading.Thread(target=phone_user) for _ in range(PHONES)]
        for user in users:
            user.start()
        wait_for(lambda: len(acknowledged) >= KILL_AFTER or refused, timeout=30)
        self.kill_server()
        at_kill = len(acknowledged)
        self.start_server()
        for user in users:
            user.join(timeout=60)

        self.assertLess(at_kill, STUDENTS, "the kill came after the wave")
        self.assertEqual(refused, Counter(), "answers other than the receipt's redirect")
        self.assertEqual(len(acknowledged), STUDENTS, f"unanswered after the restart: {unanswered}")
        stored = dict(CheckIn.objects.values_list("person_id", "idempotency_key"))
        lost = [phone for phone in acknowledged if stored.get(phone.person_id) != phone.key]
        rows = Counter(CheckIn.objects.values_list("person_id", flat=True))
        duplicated = {person: n for person, n in rows.items() if n > 1}
        self.assertEqual((len(lost), len(duplicated)), (0, 0), "lost and duplicated check-ins")


def alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True
