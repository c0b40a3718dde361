"""core.db's plain statements give what the ORM gives."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shouwang.checkins.models import CheckIn
from shouwang.core.db import Insert, exists, get_by_pk, select
from shouwang.incidents.models import Incident
from shouwang.people.models import Person
from shouwang.test import BaseTestCase

NOW = dt.datetime(2022, 4, 15, 8, 31, tzinfo=dt.timezone.utc)


class PlainStatementTests(BaseTestCase):
    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = Incident.objects.create(title="封控", started_at=NOW - dt.timedelta(days=3))

    def checkin(self, **fields) -> CheckIn:
        values = {
            "person": self.student_a,
            "incident": self.incident,
            "date": dt.date(2022, 4, 15),
            "submitted_at": NOW,
            "updated_at": NOW,
            "location": "home",
            "province": "14",
            "city": "1401",
            "symptoms": ["fever"],
            "temperature": Decimal("37.6"),
            "contact_with_case": True,
        }
        return CheckIn(**{**values, **fields})

    def test_a_row_read_back_has_the_values_the_orm_reads(self):
        written = self.checkin()
        self.assertTrue(Insert(written).run())
        plain = get_by_pk(CheckIn, written.pk)
        assert plain is not None
        orm = CheckIn.objects.get(pk=written.pk)
        for field in CheckIn._meta.concrete_fields:
            with self.subTest(field=field.name):
                self.assertEqual(getattr(plain, field.attname), getattr(orm, field.attname))
        # Converted as the ORM converts: aware datetimes, booleans, lists, decimals.
        self.assertTrue(timezone.is_aware(plain.submitted_at))
        self.assertIs(plain.contact_with_case, True)
        self.assertIs(plain.late, False)
        self.assertEqual(plain.symptoms, ["fever"])
        self.assertEqual(plain.temperature, Decimal("37.6"))
        self.assertFalse(plain._state.adding)

    def test_a_conflicting_row_is_not_written_and_the_transaction_goes_on(self):
        first = self.checkin()
        self.assertTrue(Insert(first, unless_conflict_on=("person", "date")).run())
        with transaction.atomic():
            again = self.checkin(idempotency_key=uuid.uuid4(), note="again")
            self.assertFalse(Insert(again, unless_conflict_on=("person", "date")).run())
            self.assertIsNone(again.pk)
            other = self.checkin(person=self.student_b)
            self.assertTrue(Insert(other, unless_conflict_on=("person", "date")).run())
        self.assertEqual(CheckIn.objects.count(), 2)
        self.assertEqual(CheckIn.objects.get(person=self.student_a).note, "")

    def test_a_missing_row_is_none_and_select_keeps_the_order_asked(self):
        self.assertIsNone(get_by_pk(CheckIn, 999_999))
        for person in (self.student_b, self.student_a):
            Insert(self.checkin(person=person)).run()
        where = "WHERE incident_id = %s ORDER BY person_id DESC"
        found = select(CheckIn, where, [self.incident.pk])
        expected = sorted([self.student_a.pk, self.student_b.pk], reverse=True)
        self.assertEqual([c.person_id for c in found], expected)

    def test_a_row_read_with_its_related_row_matches_the_orm_in_one_query(self):
        from shouwang.accounts.models import User

        with self.assertNumQueries(1):
            user = get_by_pk(User, self.student.pk, related="person")
            assert user is not None
            person = user.person
        expected = User.objects.select_related("person").get(pk=self.student.pk)
        self.assertEqual(
            [getattr(user, f.attname) for f in User._meta.concrete_fields],
            [getattr(expected, f.attname) for f in User._meta.concrete_fields],
        )
        self.assertEqual(
            [getattr(person, f.attname) for f in Person._meta.concrete_fields],
            [getattr(expected.person, f.attname) for f in Person._meta.concrete_fields],
        )
        self.assertIsNone(get_by_pk(User, 999_999, related="person"))

    def test_a_row_whose_foreign_key_is_empty_has_no_related_row(self):
        from shouwang.accounts.models import User

        nobody = User.objects.create(username="sysadmin")
        with self.assertNumQueries(1):
            found = get_by_pk(User, nobody.pk, related="person")
            assert found is not None
            self.assertIsNone(found.person)

    def test_exists_finds_a_row_only_where_there_is_one(self):
        Insert(self.checkin()).run()
        where = "WHERE person_id = %s AND date = %s"
        self.assertTrue(exists(CheckIn, where, [self.student_a.pk, dt.date(2022, 4, 15)]))
        self.assertFalse(exists(CheckIn, where, [self.student_b.pk, dt.date(2022, 4, 15)]))
        self.assertFalse(exists(CheckIn, where, [self.student_a.pk, dt.date(2022, 4, 16)]))

    def test_a_prepared_insert_writes_what_it_was_given_and_changed_later(self):
        checkin = self.checkin()
        row = Insert(checkin, unless_conflict_on=("person", "date"))
        self.assertFalse(CheckIn.objects.exists())
        row.set(note="改了")
        self.assertTrue(row.run())
        self.assertEqual(CheckIn.objects.get(pk=checkin.pk).note, "改了")
        self.assertFalse(Insert(self.checkin(), unless_conflict_on=("person", "date")).run())
