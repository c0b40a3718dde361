"""core.db's Upsert writes the rows its ORM twin writes: get_or_create, then
an update of the row found unless it holds the same key."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from shouwang.checkins.models import CheckIn
from shouwang.core import db
from shouwang.core.db import Upsert
from shouwang.incidents.models import Incident
from shouwang.people.models import Person
from shouwang.test import BaseTestCase

FIRST = dt.datetime(2022, 4, 15, 1, 31, tzinfo=dt.timezone.utc)
LATER = FIRST + dt.timedelta(hours=5)
DAY = dt.date(2022, 4, 15)
UPDATE = ("symptoms", "temperature", "note", "idempotency_key", "updated_at")


class UpsertTestCase(BaseTestCase):
    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = Incident.objects.create(
            title="封控", started_at=FIRST - dt.timedelta(days=3)
        )

    def checkin(self, person: Person, at: dt.datetime, **fields) -> CheckIn:
        values = {
            "person": person,
            "incident": self.incident,
            "date": DAY,
            "submitted_at": at,
            "updated_at": at,
            "late": at == LATER,
            "location": "home",
            "province": "14",
            "city": "1401",
            "symptoms": ["fever"],
            "temperature": Decimal("37.6"),
            "idempotency_key": uuid.uuid4(),
        }
        return CheckIn(**{**values, **fields})

    def upsert(self, checkin: CheckIn) -> str:
        with transaction.atomic():
            return Upsert(
                checkin, on=("person", "date"), update=UPDATE, unless_same="idempotency_key"
            ).run()

    def orm(self, checkin: CheckIn) -> str:
        with transaction.atomic():
            return db.ORM_TWINS["Upsert"](
                checkin, on=("person", "date"), update=UPDATE, unless_same="idempotency_key"
            ).run()

    def rows(self) -> tuple[dict, dict]:
        """Student A's row (Upsert's) and student B's (the ORM's), without what must differ."""
        a, b = (
            model_to_dict(CheckIn.objects.get(person=person), exclude=["id", "person"])
            for person in (self.student_a, self.student_b)
        )
        return a, b

    def test_each_step_writes_what_the_orm_writes(self):
        key, new_key = uuid.uuid4(), uuid.uuid4()
        correction: dict[str, object] = {
            "symptoms": [],
            "temperature": None,
            "idempotency_key": new_key,
        }
        steps: list[tuple[str, dt.datetime, dict[str, object], str]] = [
            ("a first submission", FIRST, {"idempotency_key": key}, Upsert.INSERTED),
            ("the same key again", LATER, {"idempotency_key": key, "note": "x"}, Upsert.UNCHANGED),
            ("a correction", LATER, correction, Upsert.UPDATED),
        ]
        for name, at, changes, outcome in steps:
            with self.subTest(name):
                plain = self.checkin(self.student_a, at, **changes)
                self.assertEqual(self.upsert(plain), outcome)
                self.assertEqual(self.orm(self.checkin(self.student_b, at, **changes)), outcome)
                a, b = self.rows()
                self.assertEqual(a, b)
        self.assertEqual(CheckIn.objects.count(), 2)
        self.assertEqual(a["submitted_at"], FIRST)
        self.assertIs(a["late"], False)
        self.assertEqual((a["symptoms"], a["temperature"], a["updated_at"]), ([], None, LATER))

    def test_the_instance_gets_the_row_written(self):
        first = self.checkin(self.student_a, FIRST)
        self.upsert(first)
        self.assertEqual(first.pk, CheckIn.objects.get().pk)
        self.assertFalse(first._state.adding)
        correction = self.checkin(self.student_a, LATER, note="改")
        self.assertEqual(self.upsert(correction), Upsert.UPDATED)
        # What the UPDATE kept comes back, converted as the ORM converts it.
        self.assertEqual(correction.pk, first.pk)
        self.assertEqual(correction.submitted_at, FIRST)
        self.assertTrue(timezone.is_aware(correction.submitted_at))
        self.assertIs(correction.late, False)
        self.assertEqual(correction.incident_id, self.incident.pk)
