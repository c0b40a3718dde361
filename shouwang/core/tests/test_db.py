"""core.db's queries give what their ORM twins give, on the test college; and
the parts of the ORM they reproduce still work as they did."""

from __future__ import annotations

import datetime as dt
import inspect
import uuid
from decimal import Decimal

from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.test import Client
from django.utils import timezone

from shouwang.accounts.models import User
from shouwang.checkins.models import CheckIn, PrivacyAcceptance
from shouwang.core import db
from shouwang.core.models import LogEntry
from shouwang.incidents.models import Incident
from shouwang.notices.models import Notice, Receipt
from shouwang.people.models import AdminClass, Person, Unit
from shouwang.test import BaseTestCase

NOW = dt.datetime(2022, 4, 15, 8, 31, tzinfo=dt.timezone.utc)


def values(instance: Model | None) -> dict | None:
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def stored(model: type[Model], before: set) -> list[dict]:
    """The table's rows but those `before`, their primary keys left out, in a stable order."""
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    return sorted(model._default_manager.exclude(pk__in=before).values(*names), key=repr)


class TwinTestCase(BaseTestCase):
    """The test college, both of its colleges, with incidents over its units."""

    incident: Incident
    office: Unit

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()
        cls.office = Unit.objects.create(
            name="学工部", kind=Unit.Kind.OFFICE, parent=cls.university
        )
        cls.incident = Incident.objects.create(title="封控", started_at=NOW - dt.timedelta(days=3))
        cls.incident.units.add(cls.college)

    def twins_agree(self, name: str, *args, **kwargs):
        """The query's answer, once its twin gave the same."""
        fast = getattr(db, name)(*args, **kwargs)
        slow = db.ORM_TWINS[name](*args, **kwargs)
        if isinstance(fast, list):
            self.assertEqual([values(i) for i in fast], [values(i) for i in slow], (name, args))
        elif isinstance(fast, Model):
            self.assertEqual(values(fast), values(slow), (name, args))
        else:
            self.assertEqual(fast, slow, (name, args))
        return fast


class QueryTwinTests(TwinTestCase):
    def test_every_query_has_its_twin(self):
        queries = {
            name
            for name, value in vars(db).items()
            if not name.startswith("_")
            and getattr(value, "__module__", None) == db.__name__
            and (inspect.isfunction(value) or inspect.isclass(value))
        }
        helpers = {"insert_fields", "db_values"}
        # The backup's reads of the database as a whole, below the models.
        helpers |= {
            "connection_of",
            "table_names",
            "table_counts",
            "applied_migrations",
            "exported_snapshot",
            "leave_wal",
        }
        self.assertEqual(queries - helpers, set(db.ORM_TWINS))

    def test_a_user_with_their_person(self):
        nobody = User.objects.create(username="sysadmin")
        for user in [*User.objects.select_related("person"), nobody]:
            with self.subTest(user=user.username), self.assertNumQueries(2):
                found = self.twins_agree("get_by_pk", User, user.pk, related="person")
                assert found is not None
                self.assertEqual(values(found.person), values(user.person))
        self.assertIsNone(self.twins_agree("get_by_pk", User, 999_999, related="person"))
        self.assertIsNone(self.twins_agree("get_by_pk", User, 999_999))
        self.twins_agree("get_by_pk", Person, self.student_a.pk)

    def test_a_row_read_back_has_the_values_the_orm_reads(self):
        written = CheckIn(
            person=self.student_a,
            incident=self.incident,
            date=dt.date(2022, 4, 15),
            submitted_at=NOW,
            updated_at=NOW,
            location="home",
            province="14",
            city="1401",
            symptoms=["fever"],
            temperature=Decimal("37.6"),
            contact_with_case=True,
        )
        written.save()
        plain = self.twins_agree("get_by_pk", CheckIn, written.pk)
        # Converted as the ORM converts: aware datetimes, booleans, lists, decimals.
        self.assertTrue(timezone.is_aware(plain.submitted_at))
        self.assertIs(plain.contact_with_case, True)
        self.assertEqual(plain.symptoms, ["fever"])
        self.assertEqual(plain.temperature, Decimal("37.6"))

    def test_whether_a_row_exists(self):
        for person in (self.student_a, self.student_b):
            PrivacyAcceptance.objects.create(person=person, version="v1", accepted_at=NOW)
        PrivacyAcceptance.objects.create(person=self.student_a, version="v2", accepted_at=NOW)
        for person in Person.objects.all():
            for version in ("v1", "v2", "v3"):
                self.twins_agree("exists", PrivacyAcceptance, person_id=person.pk, version=version)
        self.assertTrue(db.exists(PrivacyAcceptance, person_id=self.student_a.pk, version="v2"))
        self.assertFalse(db.exists(PrivacyAcceptance, person_id=self.student_b.pk, version="v2"))

    def test_an_unexpired_sessions_data(self):
        keys: list[str | None] = []
        for user in (self.student, self.counsellor_a_user, self.leader):
            client = Client()
            client.force_login(user)
            keys.append(client.session.session_key)
        Session.objects.filter(session_key=keys[1]).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1)
        )
        for key in [*keys, "no-such-session"]:
            self.twins_agree("unexpired_session_data", key)
        self.assertIsNotNone(db.unexpired_session_data(keys[0]))
        self.assertIsNone(db.unexpired_session_data(keys[1]))

    def test_the_open_incidents_covering_a_unit(self):
        whole = Incident.objects.create(title="全校", started_at=NOW - dt.timedelta(days=5))
        whole.units.add(self.university)
        other = Incident.objects.create(title="会计学院", started_at=NOW - dt.timedelta(days=1))
        other.units.add(self.college_b, self.office)
        closed = Incident.objects.create(
            title="已结束", started_at=NOW - dt.timedelta(days=9), closed_at=NOW
        )
        closed.units.add(self.college)
        for unit in Unit.objects.all():
            with self.subTest(unit=unit.name), self.assertNumQueries(1):
                found = db.open_incidents_covering_unit(Incident, unit.pk)
            self.twins_agree("open_incidents_covering_unit", Incident, unit.pk)
            self.assertNotIn(closed, found)
        covering = db.open_incidents_covering_unit(Incident, self.college.pk)
        self.assertEqual(covering, [whole, self.incident])
        self.assertEqual(db.open_incidents_covering_unit(Incident, self.university.pk), [whole])
        self.assertEqual(self.twins_agree("open_incidents_covering_unit", Incident, 999_999), [])

    def test_a_unit_tree_with_a_cycle_ends(self):
        # A parent pointing back down (an admin's mistake) must not loop forever.
        Unit.objects.filter(pk=self.university.pk).update(parent=self.college)
        found = self.twins_agree("open_incidents_covering_unit", Incident, self.college.pk)
        self.assertEqual(found, [self.incident])


class WriteTwinTests(TwinTestCase):
    def twins_write_the_same(self, model: type[Model], write, write_orm) -> list[dict]:
        """The rows `write` adds to the model's table, once `write_orm` added the same."""
        before = set(model._default_manager.values_list("pk", flat=True))
        write()
        written = stored(model, before)
        model._default_manager.exclude(pk__in=before).delete()
        write_orm()
        self.assertEqual(stored(model, before), written)
        return written

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
            "idempotency_key": uuid.UUID(int=1),
        }
        return CheckIn(**{**values, **fields})

    def test_a_prepared_row_and_one_that_breaks_the_constraint(self):
        def write(insert):
            def run():
                first = insert(self.checkin(), unless_conflict_on=("person", "date"))
                first.set(note="改了")
                self.assertTrue(first.run())
                with transaction.atomic():
                    again = self.checkin(idempotency_key=uuid.UUID(int=2), note="again")
                    self.assertFalse(insert(again, unless_conflict_on=("person", "date")).run())
                    self.assertIsNone(again.pk)
                    other = self.checkin(person=self.student_b, idempotency_key=uuid.UUID(int=3))
                    self.assertTrue(insert(other, unless_conflict_on=("person", "date")).run())

            return run

        written = self.twins_write_the_same(
            CheckIn, write(db.Insert), write(db.ORM_TWINS["Insert"])
        )
        self.assertEqual(sorted(row["note"] for row in written), ["", "改了"])

    def test_an_inserted_instance_is_in_the_state_the_orm_leaves_it(self):
        # Insert writes instance._state as Model.save() does: the canary of that.
        plain, orm = self.checkin(), self.checkin(person=self.student_b)
        db.Insert(plain).run()
        orm.save()
        self.assertEqual(set(vars(plain._state)), set(vars(orm._state)))
        self.assertEqual((plain._state.db, plain._state.adding), (orm._state.db, orm._state.adding))
        self.assertEqual(
            {"db": "default", "adding": False},
            {name: vars(orm._state)[name] for name in ("db", "adding")},
            "Model.save() leaves _state otherwise: re-check core.db.Insert.run().",
        )
        self.assertTrue({"db", "adding"} <= set(vars(ModelState)))

    def test_many_rows_from_converted_values(self):
        names = ["person", "version", "accepted_at"]
        rows = [[p.pk, "v1", NOW] for p in Person.objects.all()]
        model = PrivacyAcceptance
        converted = [db.db_values(model, dict(zip(names, r, strict=True))) for r in rows]
        self.twins_write_the_same(
            PrivacyAcceptance,
            lambda: db.insert_many(PrivacyAcceptance, names, converted),
            lambda: db.ORM_TWINS["insert_many"](PrivacyAcceptance, names, rows),
        )

    def test_a_row_for_each_row_of_a_queryset(self):
        notice = Notice.objects.create(title="返校通知", body="", author=self.admin)
        students = Person.objects.filter(kind=Person.Kind.STUDENT)
        Receipt.objects.create(notice=notice, person=self.student_a)

        def write(insert_for_each):
            def run():
                Receipt.objects.create(notice=notice, person=self.student_a)
                count = insert_for_each(
                    Receipt,
                    students,
                    "person",
                    {"notice": notice.pk},
                    unless_conflict_on=("notice", "person"),
                )
                self.assertEqual(count, students.count() - 1)

            return run

        Receipt.objects.all().delete()
        self.twins_write_the_same(
            Receipt, write(db.insert_for_each), write(db.ORM_TWINS["insert_for_each"])
        )


def name(function) -> str:
    # Some converters are made afresh for each query (a closure over the field).
    return function.__qualname__


class ConverterCanaryTests(BaseTestCase):
    """core.db converts what it reads with the converters the ORM's compiler
    would choose: worked out once per model, they must stay the compiler's."""

    def test_each_models_converters_are_the_compilers(self):
        for model in (User, Person, AdminClass, Incident, CheckIn, LogEntry, Session):
            with self.subTest(model=model.__name__):
                compiler = QuerySet(model).query.get_compiler(connection.alias)
                compiler.setup_query()
                columns = [column for column, _, _ in compiler.select]
                expected = {
                    position: [name(f) for f in functions]
                    for position, (functions, _) in compiler.get_converters(columns).items()
                }
                _, _, ours = db._columns(model, connection.alias)
                self.assertEqual(
                    {position: [name(f) for f in functions] for position, functions, _ in ours},
                    expected,
                    "The ORM's compiler converts this model's values otherwise: "
                    "re-check core.db._columns, then this test.",
                )
