import datetime as dt
import io
from decimal import Decimal
from unittest.mock import patch

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn, abnormal_q
from shouwang.checkins.queries import default_day
from shouwang.checkins.tests.base import (
    NOW,
    STARTED,
    TODAY,
    YESTERDAY,
    IncidentTestCase,
    check_in,
)
from shouwang.compliance import tallies
from shouwang.compliance.counts import Counts, Scope, count, missing_in_scope, scope_for
from shouwang.compliance.models import DailyTally
from shouwang.compliance.tasks import count_tallies
from shouwang.core.audit import access_log_for
from shouwang.core.models import LogEntry
from shouwang.core.scheduler import JOBS
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.lib.spreadsheets import read_rows
from shouwang.people.models import AdminClass, Person
from shouwang.test import make_person


class CountTestCase(IncidentTestCase):
    def test_it_counts_a_day_with_late_abnormal_and_on_campus_ones(self):
        check_in(self.student_a, self.incident)
        check_in(
            self.student_b,
            self.incident,
            late=True,
            temperature=Decimal("37.5"),
            location="home",
            province="31",
        )
        check_in(self.volunteer_person, self.incident, YESTERDAY)  # not today
        tally = count(self.incident, TODAY, Scope(None))
        rows = {(row.kind, row.pk): row.counts for row in tally.class_rows()}
        self.assertEqual(rows["class", self.class_a.pk], Counts(1, 1, 0, 0, 1))
        self.assertEqual(rows["class", self.class_b.pk], Counts(2, 1, 1, 1, 0))
        self.assertEqual(rows["class", self.class_b.pk].missing, 1)
        # Teachers and staff are in no class: one row for their unit.
        teachers = rows["unit", self.college.pk]
        self.assertEqual((teachers.expected, teachers.reported), (6, 0))
        self.assertEqual(tally.total, Counts(9, 2, 1, 1, 1))
        self.assertEqual(tally.total.missing, 7)

    def test_each_sign_of_trouble_makes_a_check_in_abnormal_and_nothing_else_does(self):
        check_in(self.student_a, self.incident, symptoms=["cough"])
        check_in(self.student_b, self.incident, temperature=Decimal("37.3"))
        check_in(self.volunteer_person, self.incident, contact_with_case=True)
        check_in(self.counsellor_a, self.incident, stayed_in_risk_area=True)
        check_in(self.counsellor_b, self.incident, temperature=Decimal("37.2"))
        check_in(self.leader_person, self.incident, location="home", province="14")
        tally = count(self.incident, TODAY, Scope(None))
        self.assertEqual(tally.total.reported, 6)
        self.assertEqual(tally.total.abnormal, 4)
        self.assertEqual(
            CheckIn.objects.filter(abnormal_q()).count(),
            sum(checkin.is_abnormal for checkin in CheckIn.objects.all()),
        )

    def test_rows_by_unit_and_by_counsellor_add_up_to_the_total(self):
        check_in(self.student_a, self.incident)
        check_in(self.counsellor_a, self.incident)
        tally = count(self.incident, TODAY, Scope(None))
        by_counsellor = {row.pk: row.counts for row in tally.counsellor_rows()}
        self.assertEqual(by_counsellor[self.counsellor_a.pk], Counts(1, 1, 0, 0, 1))
        self.assertEqual(by_counsellor[self.counsellor_b.pk], Counts(2, 0, 0, 0, 0))
        self.assertEqual(by_counsellor[None], Counts(6, 1, 0, 0, 1))
        [unit] = tally.unit_rows()
        self.assertEqual((unit.label, unit.counts), ("信息学院", tally.total))

    def test_a_counsellor_counts_only_their_own_classes(self):
        tally = count(self.incident, TODAY, scope_for(self.counsellor_b_user))
        self.assertEqual([row.label for row in tally.class_rows()], ["信管2101"])
        self.assertEqual(tally.total.expected, 2)

    def test_people_who_left_or_are_outside_the_units_are_not_expected(self):
        make_person("2020999", "退学", unit=self.college, status=Person.Status.AWAY)
        make_person("2020998", "外院", unit=self.university)
        tally = count(self.incident, TODAY, Scope(None))
        self.assertEqual(tally.total.expected, 9)

    def test_the_missing_list_agrees_with_the_count(self):
        check_in(self.student_b, self.incident)
        scope = Scope(None)
        tally = count(self.incident, TODAY, scope)
        missing = missing_in_scope(self.incident, TODAY, scope)
        self.assertEqual(missing.count(), tally.total.missing)
        self.assertNotIn(self.student_b, missing)


class SourcesTestCase(IncidentTestCase):
    """Two sources: the tallies college-wide (and for everyone once purged),
    live counts for a counsellor's classes."""

    def test_college_wide_figures_come_from_the_tallies(self):
        tallies.keep_tallies()
        check_in(self.student_a, self.incident)  # after the count
        for scope in (Scope(None), scope_for(self.leader)):
            with self.subTest(scope=scope):
                tally = tallies.day_tally(self.incident, TODAY, scope)
                self.assertEqual((tally.total.expected, tally.total.reported), (9, 0))
                self.assertEqual(tally.taken_at, NOW)

    def test_a_counsellors_classes_are_counted_live(self):
        tallies.keep_tallies()
        check_in(self.student_a, self.incident)
        tally = tallies.day_tally(self.incident, TODAY, scope_for(self.counsellor_a_user))
        self.assertEqual((tally.total.expected, tally.total.reported), (1, 1))

    def test_without_tallies_a_page_counts_them_itself(self):
        check_in(self.student_a, self.incident)
        tally = tallies.day_tally(self.incident, TODAY, Scope(None))
        self.assertEqual(tally.total.reported, 1)
        self.assertEqual(set(DailyTally.objects.values_list("date", flat=True)), {TODAY})

    def test_a_purged_incident_is_counted_from_its_daily_tallies(self):
        Incident.objects.filter(pk=self.incident.pk).update(purged_at=NOW)
        self.incident.refresh_from_db()
        DailyTally.objects.create(
            incident=self.incident,
            date=YESTERDAY,
            admin_class=self.class_a,
            expected=30,
            reported=28,
            late=3,
            abnormal=1,
            on_campus=20,
        )
        for scope in (Scope(None), scope_for(self.counsellor_a_user)):
            with self.subTest(scope=scope):
                tally = tallies.day_tally(self.incident, YESTERDAY, scope)
                self.assertEqual(tally.total, Counts(30, 28, 3, 1, 20))
                points = tallies.trend(self.incident, scope, 0)
                self.assertEqual(
                    [(p.date, p.counts.reported) for p in points if p.counts.expected],
                    [(YESTERDAY, 28)],
                )
        self.assertEqual(DailyTally.objects.count(), 1)


class TrendTestCase(IncidentTestCase):
    def test_it_gives_each_day_of_the_incident_oldest_first(self):
        for day in (STARTED.date(), YESTERDAY, TODAY):
            check_in(self.student_a, self.incident, day)
        check_in(self.student_b, self.incident, YESTERDAY, late=True, symptoms=["fever"])
        points = tallies.trend(self.incident, Scope(None), expected=9)
        self.assertEqual(
            [(p.date.day, p.counts.reported, p.counts.late, p.counts.abnormal) for p in points],
            [(8, 1, 0, 0), (9, 0, 0, 0), (10, 0, 0, 0), (11, 2, 1, 1), (12, 1, 0, 0)],
        )
        self.assertEqual(points[0].counts.missing, 8)

    def test_a_counsellors_is_counted_live_against_todays_expected(self):
        check_in(self.student_a, self.incident, YESTERDAY)
        check_in(self.student_b, self.incident, YESTERDAY)
        scope = scope_for(self.counsellor_a_user)
        with CaptureQueriesContext(connection) as queries:
            points = tallies.trend(self.incident, scope, expected=1)
        # The check-ins are read once, grouped by date (the rest is the incident's units).
        self.assertEqual(sum("checkins_checkin" in query["sql"] for query in queries), 1)
        self.assertEqual(
            [(p.counts.expected, p.counts.reported) for p in points[-2:]], [(1, 1), (1, 0)]
        )
        self.assertFalse(DailyTally.objects.exists())

    def test_the_colleges_reads_the_tallies_and_counts_only_those_missing(self):
        check_in(self.student_a, self.incident, YESTERDAY)
        tallies.keep_tallies()  # every day so far; all but today are over
        # The roster changes: yesterday's tallies keep yesterday's expected.
        make_person("2022999", "新生", unit=self.college, admin_class=self.class_a)
        scope = Scope(None)
        with CaptureQueriesContext(connection) as queries:
            points = tallies.trend(self.incident, scope, 10)
        self.assertEqual(len(queries), 2)  # when each day was counted; the tallies
        self.assertEqual(
            [(p.date.day, p.counts.expected, p.counts.reported) for p in points],
            [(8, 9, 0), (9, 9, 0), (10, 9, 0), (11, 9, 1), (12, 9, 0)],
        )
        self.assertEqual(points[-2].counts.on_campus, 1)
        # Today's tallies are counted again once they are no longer recent.
        check_in(self.student_b, self.incident)
        with freeze_time(NOW + dt.timedelta(seconds=121)):
            points = tallies.trend(self.incident, scope, 10)
        self.assertEqual((points[-1].counts.expected, points[-1].counts.reported), (10, 1))
        self.assertEqual(points[-2].counts.expected, 9)

    def test_a_closed_incident_ends_on_its_last_day(self):
        Incident.objects.filter(pk=self.incident.pk).update(closed_at=beijing(2022, 4, 10, 18, 0))
        self.incident.refresh_from_db()
        points = tallies.trend(self.incident, Scope(None), 7)
        self.assertEqual([p.date.day for p in points], [8, 9, 10])
        self.assertEqual(default_day(self.incident), dt.date(2022, 4, 10))


class KeptTalliesTestCase(IncidentTestCase):
    """The whole college counted every minute, and the leaders' page reading that count."""

    url = reverse("compliance:overview")

    def days(self, first: int, last: int) -> list[dt.date]:
        return [dt.date(2022, 4, day) for day in range(first, last + 1)]

    def counted_days(self) -> set[dt.date]:
        return set(DailyTally.objects.values_list("date", flat=True))

    def test_the_job_runs_every_minute_and_counts_each_day_of_the_incident(self):
        check_in(self.student_a, self.incident, YESTERDAY)
        check_in(self.student_b, self.incident)
        self.assertEqual(JOBS[count_tallies.module_path].cron, "* * * * *")
        written = count_tallies.call()
        # Five days (April 8 to 12), each with class A, class B and the teachers.
        self.assertEqual(written, {self.incident.pk: 15})
        self.assertEqual(self.counted_days(), set(self.days(8, 12)))
        for day in (YESTERDAY, TODAY):
            with self.subTest(day=day):
                self.assertEqual(
                    tallies.day_tally(self.incident, day, Scope(None)).groups,
                    count(self.incident, day, Scope(None)).groups,
                )

    def test_today_is_counted_again_every_minute_and_a_day_over_once_more(self):
        tallies.keep_tallies()
        a_minute_later = NOW + dt.timedelta(minutes=1)
        self.assertEqual(tallies.days_to_count(self.incident, a_minute_later), [TODAY])
        # Just after midnight the day that ended is counted a last time.
        after_midnight = beijing(2022, 4, 13, 0, 1)
        self.assertEqual(
            tallies.days_to_count(self.incident, after_midnight),
            [TODAY, TODAY + dt.timedelta(days=1)],
        )
        with freeze_time(after_midnight):
            tallies.keep_tallies()
        later = after_midnight + dt.timedelta(minutes=1)
        self.assertEqual(
            tallies.days_to_count(self.incident, later), [TODAY + dt.timedelta(days=1)]
        )

    def test_a_closed_incident_is_counted_once_after_it_closed(self):
        closed_at = beijing(2022, 4, 10, 18, 0)
        Incident.objects.filter(pk=self.incident.pk).update(closed_at=closed_at)
        self.incident.refresh_from_db()
        self.assertEqual(tallies.days_to_count(self.incident, NOW), self.days(8, 10))
        tallies.keep_tallies()
        self.assertEqual(self.counted_days(), set(self.days(8, 10)))
        self.assertEqual(tallies.days_to_count(self.incident, NOW), [])
        with freeze_time(NOW + dt.timedelta(minutes=1)):
            self.assertEqual(tallies.keep_tallies(), {})

    def test_a_purged_incident_keeps_the_purges_tallies(self):
        running = Incident.objects.get(pk=self.incident.pk)
        # The purge comes in while the job holds the incident as it was.
        Incident.objects.filter(pk=self.incident.pk).update(purged_at=NOW)
        final = DailyTally.objects.create(
            incident=self.incident,
            date=TODAY,
            admin_class=self.class_a,
            expected=30,
            reported=28,
            late=0,
            abnormal=0,
            on_campus=28,
        )
        self.assertEqual(tallies.store_tally(running, TODAY), 0)
        self.assertEqual(tallies.keep_tallies(), {})
        self.assertEqual(list(DailyTally.objects.all()), [final])

    def test_the_leaders_page_shows_the_minutes_count_and_when_it_was_taken(self):
        tallies.keep_tallies()
        check_in(self.student_a, self.incident)  # after the count
        self.login(self.leader)
        with freeze_time(NOW + dt.timedelta(seconds=90)):
            response = self.client.get(self.url)
        self.assertEqual(response.context["total"].reported, 0)
        self.assertEqual(response.context["tally"].taken_at, NOW)
        self.assertContains(response, "09:00:00")
        # A counsellor's own classes are counted live.
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url).context["total"].reported, 1)
        # A count older than two minutes means the job has stopped: the page counts.
        self.login(self.leader)
        with freeze_time(NOW + dt.timedelta(seconds=121)):
            response = self.client.get(self.url)
        self.assertEqual(response.context["total"].reported, 1)

    def test_a_day_over_is_shown_from_its_last_count(self):
        check_in(self.student_a, self.incident, YESTERDAY)
        tallies.keep_tallies()
        self.login(self.leader)
        with freeze_time(NOW + dt.timedelta(days=3)):
            response = self.client.get(self.url, {"date": YESTERDAY.isoformat()})
        self.assertEqual(response.context["tally"].taken_at, NOW)
        self.assertEqual(response.context["total"].reported, 1)

    def test_reading_the_count_takes_as_many_queries_for_many_classes(self):
        tallies.keep_tallies()
        self.login(self.leader)
        for by in ("class", "unit", "counsellor"):
            with self.subTest(by=by), CaptureQueriesContext(connection) as before:
                self.client.get(self.url, {"by": by})
            self.add_classes(4)
            tallies.keep_tallies()
            with self.subTest(by=by), CaptureQueriesContext(connection) as after:
                response = self.client.get(self.url, {"by": by})
            self.assertEqual(response.context["tally"].taken_at, NOW)
            self.assertEqual(len(after), len(before))
            Person.objects.filter(name__startswith="学生").delete()
            AdminClass.objects.filter(name__startswith="新班").delete()
            tallies.keep_tallies()


class OverviewTestCase(IncidentTestCase):
    url = reverse("compliance:overview")

    def test_it_shows_today_of_the_open_incident_by_default(self):
        check_in(self.student_a, self.incident, late=True)
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["incident"], self.incident)
        self.assertEqual(response.context["day"], TODAY)
        self.assertEqual(response.context["total"], Counts(9, 1, 1, 0, 1))
        self.assertEqual(response.context["by"], "unit")
        self.assertContains(response, 'name="date" value="2022-04-12"')

    def test_the_trend_follows_in_its_own_request(self):
        check_in(self.student_a, self.incident, YESTERDAY)
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertNotContains(response, 'data-testid="trend"')
        self.assertContains(response, 'hx-trigger="load"')
        trend_url = response.context["trend_url"]
        response = self.client.get(trend_url, headers={"HX-Request": "true"})
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'data-testid="trend"')
        self.assertContains(response, "<tr data-date=", count=5)
        self.assertContains(response, '<td class="text-end">1 / 9</td>', count=1)
        # Without JavaScript, the link shows the whole page with the trend in it.
        response = self.client.get(trend_url)
        self.assertContains(response, "<html")
        self.assertContains(response, 'data-testid="trend"')

    def test_it_takes_an_incident_and_a_day_from_the_query(self):
        check_in(self.student_a, self.incident, YESTERDAY)
        self.login(self.leader)
        response = self.client.get(
            self.url, {"incident": str(self.incident.pk), "date": "2022-04-11", "by": "class"}
        )
        self.assertEqual(response.context["day"], YESTERDAY)
        self.assertEqual(response.context["total"].reported, 1)
        self.assertContains(response, f'data-row="class-{self.class_a.pk}"')

    def test_a_day_to_come_is_refused_and_today_shown(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"date": "2022-04-13"})
        self.assertEqual(response.context["day"], TODAY)
        self.assertTrue(response.context["form"].errors["date"])

    def test_a_day_outside_the_incident_is_refused(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"date": "2022-04-07"})
        self.assertEqual(response.context["day"], TODAY)
        self.assertTrue(response.context["form"].errors["date"])

    def test_a_counsellor_sees_their_classes_only(self):
        self.login(self.counsellor_b_user)
        response = self.client.get(self.url)
        self.assertEqual(response.context["by"], "class")
        self.assertEqual([row.label for row in response.context["page"]], ["信管2101"])
        self.assertNotContains(response, "计科2001")
        self.assertEqual(response.context["total"].expected, 2)

    def test_rows_link_to_their_missing_list(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        [row] = response.context["page"]
        self.assertIn(f"class={self.class_a.pk}", row.link)
        self.assertTrue(row.link.startswith(reverse("compliance:missing")))

    def test_htmx_refreshes_the_counts_every_minute(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        refresh_url = response.context["refresh_url"]
        self.assertContains(response, f'hx-get="{refresh_url}" hx-trigger="every 60s"')
        check_in(self.student_a, self.incident)
        response = self.client.get(refresh_url, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="counts"')
        self.assertNotContains(response, "<html")
        self.assertNotContains(response, "Over the incident")
        self.assertContains(response, '<div class="fs-4" data-testid="reported">1</div>')

    def test_college_wide_counts_are_the_tallies_and_a_counsellors_are_live(self):
        self.login(self.leader)
        self.client.get(self.url)  # no tallies yet: the page counts them
        check_in(self.student_a, self.incident)
        self.assertEqual(self.client.get(self.url).context["total"].reported, 0)
        with freeze_time(NOW + dt.timedelta(seconds=121)):
            response = self.client.get(self.url)
        self.assertEqual(response.context["total"].reported, 1)
        self.assertEqual(response.context["tally"].taken_at, NOW + dt.timedelta(seconds=121))
        self.login(self.counsellor_a_user)
        self.client.get(self.url)
        check_in(self.student_b, self.incident)
        check_in(self.volunteer_person, self.incident)
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url).context["total"].reported, 2)

    def test_an_unknown_incident_is_404(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url, {"incident": 999999}).status_code, 404)

    def test_without_an_incident_it_says_so(self):
        Incident.objects.all().delete()
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="no-incident"')

    def test_students_and_volunteers_are_refused(self):
        for user in (self.student, self.volunteer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def _queries(self, user, query) -> int:
        self.login(user)  # a fresh session each time
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url, query)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_its_query_count_does_not_grow_with_classes_or_people(self):
        for user, by in [
            (self.leader, "class"),
            (self.leader, "unit"),
            (self.leader, "counsellor"),
            (self.counsellor_b_user, "class"),
        ]:
            with self.subTest(user=user.username, by=by):
                tallies.keep_tallies()
                before = self._queries(user, {"by": by})
                self.add_classes(4)
                tallies.keep_tallies()
                self.assertEqual(self._queries(user, {"by": by}), before)
                AdminClass.objects.filter(name__startswith="新班").update(counsellor=None)
                Person.objects.filter(name__startswith="学生").delete()
                AdminClass.objects.filter(name__startswith="新班").delete()


class MissingListTestCase(IncidentTestCase):
    url = reverse("compliance:missing")

    def test_a_counsellor_sees_the_named_missing_of_their_classes(self):
        self.login(self.counsellor_b_user)
        check_in(self.volunteer_person, self.incident)
        response = self.client.get(self.url)
        people = list(response.context["page"])
        self.assertEqual(people, [self.student_b])
        self.assertContains(response, "李四")
        self.assertContains(response, "137****5678")
        self.assertNotContains(response, "13712345678")
        self.assertNotContains(response, "张三")

    def test_a_checked_in_person_leaves_the_list(self):
        self.login(self.counsellor_a_user)
        self.assertContains(self.client.get(self.url), "张三")
        check_in(self.student_a, self.incident)
        response = self.client.get(self.url, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="missing"')
        self.assertNotContains(response, "张三")

    def test_leaders_see_everyone_and_can_narrow_it(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url).context["page"].paginator.count, 9)
        response = self.client.get(self.url, {"class": self.class_b.pk})
        self.assertEqual(set(response.context["page"]), {self.student_b, self.volunteer_person})
        response = self.client.get(self.url, {"counsellor": self.counsellor_a.pk})
        self.assertEqual(list(response.context["page"]), [self.student_a])
        response = self.client.get(self.url, {"unit": str(self.college.pk), "no_class": "1"})
        self.assertEqual(response.context["page"].paginator.count, 6)

    def test_a_leaders_count_is_the_minutes_count_and_the_names_are_live(self):
        tallies.keep_tallies()
        self.login(self.leader)
        check_in(self.student_a, self.incident)
        response = self.client.get(self.url)
        # The count the compliance page showed this minute, the names as they are.
        self.assertEqual(response.context["page"].paginator.count, 9)
        self.assertNotIn(self.student_a, list(response.context["page"]))
        with freeze_time(NOW + dt.timedelta(minutes=1)):
            tallies.keep_tallies()
            response = self.client.get(self.url)
        self.assertEqual(response.context["page"].paginator.count, 8)

    def test_pages_run_through_the_classes_by_name_then_those_in_no_class(self):
        self.add_classes(2, students=3)
        tallies.keep_tallies()
        self.login(self.leader)
        missing = missing_in_scope(self.incident, TODAY, scope_for(self.leader))
        in_class = list(
            missing.filter(admin_class__isnull=False).order_by("admin_class__name", "number")
        )
        in_no_class = list(missing.filter(admin_class__isnull=True).order_by("number"))
        self.assertTrue(in_class and in_no_class)
        shown = []
        with patch("shouwang.compliance.views.MISSING_PER_PAGE", 2):
            for number in range(1, 20):
                page = self.client.get(self.url, {"page": number}).context["page"]
                shown += list(page)
                if not page.has_next():
                    break
        self.assertEqual(shown, in_class + in_no_class)

    def test_another_counsellors_class_is_404(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url, {"class": self.class_a.pk}).status_code, 404)
        response = self.client.get(self.url, {"counsellor": self.counsellor_a.pk})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(access_log_for(self.incident).count(), 0)

    def test_viewing_it_is_audited_once_per_ten_minutes_of_refreshing(self):
        self.login(self.counsellor_a_user)
        self.client.get(self.url)
        self.client.get(self.url, headers={"HX-Request": "true"})
        [entry] = access_log_for(self.incident)
        self.assertEqual(entry.actor, self.counsellor_a_user)
        self.assertEqual(entry.kind, "compliance.missing_list_viewed")
        self.assertEqual(entry.additional_data["date"], "2022-04-12")
        # Another list is another entry; so is the same list ten minutes on.
        self.client.get(self.url, {"class": self.class_a.pk})
        with freeze_time(NOW + dt.timedelta(minutes=11)):
            self.client.get(self.url, headers={"HX-Request": "true"})
        self.assertEqual(access_log_for(self.incident).count(), 3)

    def test_it_says_whether_the_deadline_has_passed(self):
        self.login(self.counsellor_a_user)
        self.assertFalse(self.client.get(self.url).context["deadline_passed"])
        with freeze_time(NOW + dt.timedelta(hours=2)):
            self.assertTrue(self.client.get(self.url).context["deadline_passed"])

    def test_it_refreshes_itself(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertContains(response, 'hx-trigger="every 60s"')
        self.assertContains(response, 'data-testid="refresh"')

    def _queries(self, user) -> int:
        # The job keeps the tallies a leader's count reads every minute.
        tallies.keep_tallies()
        self.login(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_its_query_count_does_not_grow_with_classes_or_people(self):
        leader_before = self._queries(self.leader)
        counsellor_before = self._queries(self.counsellor_b_user)
        self.add_classes(4)
        self.assertEqual(self._queries(self.leader), leader_before)
        self.assertEqual(self._queries(self.counsellor_b_user), counsellor_before)


class MissingExportTestCase(IncidentTestCase):
    url = reverse("compliance:missing_export")

    def rows(self, response) -> list[list]:
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return read_rows(io.BytesIO(response.content), "missing.xlsx")

    def test_it_exports_the_missing_in_scope_and_audits_it(self):
        check_in(self.volunteer_person, self.incident)
        self.login(self.counsellor_b_user)
        response = self.client.get(self.url)
        header, *rows = self.rows(response)
        self.assertEqual(len(header), 9)
        self.assertEqual(
            [(row[0], row[1], row[2]) for row in rows], [("2021001", "李四", "信管2101")]
        )
        self.assertEqual(rows[0][6], "137****5678")
        entry = LogEntry.objects.get(kind="compliance.missing_list_exported")
        self.assertEqual(entry.actor, self.counsellor_b_user)
        self.assertEqual(entry.additional_data["rows"], 1)
        self.assertEqual(entry.object_pk, str(self.incident.pk))

    def test_each_export_is_audited(self):
        self.login(self.leader)
        self.client.get(self.url)
        self.client.get(self.url)
        self.assertEqual(access_log_for(self.incident).count(), 2)

    def test_a_leader_exports_everyone_missing(self):
        self.login(self.leader)
        _header, *rows = self.rows(self.client.get(self.url, {"date": "2022-04-11"}))
        self.assertEqual(len(rows), 9)

    def test_another_counsellors_class_is_404_and_not_audited(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url, {"class": self.class_a.pk}).status_code, 404)
        self.assertEqual(access_log_for(self.incident).count(), 0)

    def test_students_are_refused(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 403)
