"""The check-in request is the morning wave's unit of work: its statements are
counted, so that one more does not slip in unnoticed (bench/morning_wave.py
measures what each costs)."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn
from shouwang.test import query_plan

from .test_checkin import URL, CheckInTestCase, beijing


@freeze_time(beijing(2022, 4, 15, 8, 31))
class CheckInRequestQueriesTestCase(CheckInTestCase):
    def setUp(self):
        super().setUp()
        self.accept()
        self.login(self.student)
        self.client.get(URL)  # the session's first use
        ContentType.objects.get_for_model(CheckIn)  # cached for the process's life

    def test_the_days_first_submission_takes_a_fixed_number_of_statements(self):
        # The session, the user with their person (one query), the incident, the notice
        # accepted, the hooks' one lookup (the person's leave of the day); then,
        # inside the transaction (a savepoint here, as the test runs in one), the
        # check-in and the audit row.
        with self.assertNumQueries(9):
            response = self.client.post(URL, self.answers(note="第一"))
        self.assertRedirects(response, URL, fetch_redirect_response=False)
        self.assertEqual(CheckIn.objects.get().note, "第一")

    def test_a_correction_takes_one_statement_more(self):
        self.client.post(URL, self.answers(note="第一"))
        # The INSERT runs into the day's row, which one UPDATE changes.
        with self.assertNumQueries(10):
            self.client.post(URL, self.answers(note="第二"))
        self.assertEqual(CheckIn.objects.get().note, "第二")

    def test_a_replayed_submission_writes_nothing(self):
        data = self.answers(note="第一")
        self.client.post(URL, data)
        # No audit row: the INSERT runs into the day's row, the UPDATE finds
        # its key already there, and the row is read.
        with self.assertNumQueries(10):
            response = self.client.post(URL, {**data, "note": "重试"})
        self.assertRedirects(response, URL, fetch_redirect_response=False)
        self.assertEqual(CheckIn.objects.get().note, "第一")


class CheckInIndexTestCase(CheckInTestCase):
    """Each check-in writes every index of its table: no index is the start of
    another, and each way check-ins are looked up uses one."""

    def assert_indexed(self, queryset) -> None:
        plan = query_plan(queryset)
        self.assertNotRegex(plan, r"SCAN checkins_checkin\b|Seq Scan on checkins_checkin")

    def test_every_lookup_of_check_ins_has_an_index(self):
        day = beijing(2022, 4, 15, 8, 31).date()
        self.assert_indexed(CheckIn.objects.filter(person=self.student_a))
        self.assert_indexed(CheckIn.objects.filter(person=self.student_a, date=day))
        self.assert_indexed(CheckIn.objects.filter(incident=self.incident))
        self.assert_indexed(CheckIn.objects.filter(incident=self.incident, date=day))

    def test_no_index_is_the_start_of_another(self):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, CheckIn._meta.db_table)
        indexes = [
            c["columns"]
            for c in constraints.values()
            if (c["index"] or c["unique"]) and not c["primary_key"]
        ]
        for columns in indexes:
            longer = [o for o in indexes if o != columns and o[: len(columns)] == columns]
            self.assertEqual(longer, [], f"{columns} begins {longer}")
