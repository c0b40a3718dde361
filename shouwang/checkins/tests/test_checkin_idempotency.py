"""A double tap, a network retry or two tabs at once make exactly one row."""

import datetime as dt
import threading
import uuid
from typing import Any

from django.db import connection
from django.test import Client, TransactionTestCase
from freezegun import freeze_time

from shouwang.checkins.actions import submit_checkin
from shouwang.checkins.models import CheckIn, PrivacyAcceptance
from shouwang.checkins.privacy import notice_version
from shouwang.checkins.status import checkin_status
from shouwang.incidents.models import Incident
from shouwang.test import Personas

from .test_checkin import URL, CheckInTestCase, beijing


@freeze_time(beijing(2022, 4, 15, 8, 31))
class RepeatedSubmissionTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)

    def test_the_same_key_twice_makes_one_row_and_the_second_gets_the_receipt(self):
        data = self.answers(note="一次")
        first = self.client.post(URL, data)
        second = self.client.post(URL, {**data, "note": "重试"})
        self.assertRedirects(first, URL)
        self.assertRedirects(second, URL)
        checkin = CheckIn.objects.get()
        # The retry is the same submission: it changes nothing.
        self.assertEqual(checkin.note, "一次")
        self.assertEqual(checkin.idempotency_key, uuid.UUID(data["key"]))

    def test_two_keys_on_the_same_day_make_one_row_with_the_second_answers(self):
        self.submit(note="第一")
        self.submit(note="第二")
        self.assertEqual(CheckIn.objects.get().note, "第二")

    def test_a_retried_submission_reports_that_it_was_replayed(self):
        key = uuid.uuid4()
        answers: dict[str, Any] = {
            "location": "campus",
            "province": "",
            "city": "",
            "symptoms": [],
            "temperature": None,
            "contact_with_case": False,
            "stayed_in_risk_area": False,
            "note": "",
        }
        status = checkin_status(self.student_a)
        first = submit_checkin(status, answers, key, acting_user=self.student)
        again = submit_checkin(status, answers, key, acting_user=self.student)
        self.assertEqual((first.created, first.replayed), (True, False))
        self.assertEqual((again.created, again.replayed), (False, True))
        self.assertEqual(first.checkin.pk, again.checkin.pk)

    def test_each_person_has_their_own_row(self):
        self.submit()
        self.accept(self.student_b)
        self.login(self.student_b_user)
        self.submit()
        self.assertEqual(CheckIn.objects.count(), 2)


class ConcurrentSubmissionTestCase(TransactionTestCase):
    """Requests racing on real connections: the unique constraint decides."""

    def setUp(self):
        class Data(Personas):
            pass

        Data.create_personas()
        self.data = Data
        self.incident = Incident.objects.create(
            title="校园封控", started_at=beijing(2022, 4, 1, 8, 0), deadline=dt.time(10, 0)
        )
        self.incident.units.add(Data.college)
        PrivacyAcceptance.objects.create(
            person=Data.student_a, version=notice_version(self.incident)
        )

    def race(self, bodies: list[dict]) -> list[int]:
        clients = []
        for _body in bodies:
            client = Client()
            client.force_login(self.data.student)
            clients.append(client)
        start = threading.Barrier(len(bodies))
        statuses: list[int] = []

        def post(client, body):
            try:
                start.wait(timeout=10)
                statuses.append(client.post(URL, body).status_code)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=post, args=(client, body))
            for client, body in zip(clients, bodies, strict=True)
        ]
        # freezegun patches module globals, so one freeze in this thread covers them all.
        with freeze_time(beijing(2022, 4, 15, 8, 31)):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        return statuses

    def body(self, key: str, note: str) -> dict:
        return {
            "key": key,
            "location": "campus",
            "health": "normal",
            "contact_with_case": "no",
            "stayed_in_risk_area": "no",
            "note": note,
        }

    def test_a_double_tap_makes_one_row(self):
        key = str(uuid.uuid4())
        statuses = self.race([self.body(key, "同一次")] * 4)
        self.assertEqual(statuses, [302] * 4)
        self.assertEqual(CheckIn.objects.count(), 1)

    def test_two_tabs_at_once_make_one_row(self):
        notes = ["甲", "乙", "丙", "丁"]
        statuses = self.race([self.body(str(uuid.uuid4()), note) for note in notes])
        self.assertEqual(statuses, [302] * 4)
        checkin = CheckIn.objects.get()
        self.assertIn(checkin.note, notes)
