import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q
from django.test import TestCase
from django.utils import timezone
from freezegun import freeze_time

from shouwang.accounts.models import Role
from shouwang.checkins.models import CheckIn, Location, PrivacyAcceptance, abnormal_q
from shouwang.checkins.queries import missing_people
from shouwang.compliance.counts import count, missing_in_scope, scope_for
from shouwang.demo import build
from shouwang.demo.lockdown import NOW, TITLE, TODAY
from shouwang.demo.models import DemoLogin
from shouwang.incidents.models import Incident
from shouwang.lib import clock, divisions
from shouwang.lib.clock import beijing
from shouwang.people.models import Person, party_member_q
from shouwang.screening.models import Flag, FlagAction

FIRST_DAY = dt.date(2022, 4, 2)
# The demo's now, in the middle of the morning.
DEMO_MORNING = NOW


def fingerprint() -> dict[str, list]:
    """What the lockdown step made, by numbers and dates rather than ids."""
    return {
        "incident": list(
            Incident.objects.values_list(
                "title", "level", "started_at", "deadline", "reminder_times", "reporters"
            )
        ),
        "tasks": list(
            Incident.objects.get()
            .tasks.order_by("position")
            .values_list("title", "owner__number", "due_at", "done_at", "note")
        ),
        "checkins": list(
            CheckIn.objects.order_by("person__number", "date").values_list(
                "person__number",
                "date",
                "submitted_at",
                "late",
                "location",
                "province",
                "city",
                "symptoms",
                "temperature",
                "contact_with_case",
                "note",
                "idempotency_key",
            )
        ),
        "flags": list(
            Flag.objects.order_by("person__number", "date", "reason").values_list(
                "person__number", "date", "reason", "created_at", "resolved_at"
            )
        ),
        "actions": list(
            FlagAction.objects.order_by("flag__person__number", "flag__date", "at").values_list(
                "flag__person__number", "outcome", "note", "by__username", "at"
            )
        ),
    }


def login_person(role: Role) -> Person:
    person = DemoLogin.objects.get(role=role).user.person
    assert person is not None
    return person


class LockdownTestCase(TestCase):
    incident: Incident
    built: dict[str, list]

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.incident = Incident.objects.get()
        cls.built = fingerprint()

    def day_counts(self) -> dict[dt.date, dict[str, int]]:
        rows = (
            CheckIn.objects.filter(incident=self.incident)
            .values("date")
            .annotate(reported=Count("pk"), late=Count("pk", filter=Q(late=True)))
        )
        return {row["date"]: row for row in rows}

    def test_the_incident_is_open_with_the_seeds_regime(self):
        incident = self.incident
        self.assertEqual(incident.title, TITLE)
        self.assertEqual(incident.level, Incident.Level.II)
        self.assertTrue(incident.is_open)
        self.assertEqual(incident.started_at, beijing(2022, 4, 2, 8, 0))
        self.assertEqual([unit.name for unit in incident.units.all()], ["信息学院"])
        self.assertEqual(incident.reporters, Incident.Reporters.EVERYONE)
        self.assertEqual(incident.deadline, dt.time(10, 0))
        self.assertEqual(incident.reminder_times, ["08:00", "09:30"])
        self.assertEqual(incident.opened_by, DemoLogin.objects.get(role=Role.LEADER).user)

    def test_it_covers_the_whole_college(self):
        self.assertEqual(
            self.incident.expected_people().count(),
            Person.objects.filter(status=Person.Status.PRESENT).count(),
        )

    def test_the_plan_has_the_default_tasks_some_done_with_notes(self):
        tasks = self.incident.tasks.all()
        self.assertGreaterEqual(tasks.count(), 8)
        done = tasks.filter(done_at__isnull=False)
        self.assertGreater(done.count(), tasks.count() // 2)
        self.assertTrue(tasks.filter(done_at__isnull=True).exists())
        self.assertFalse(done.filter(note="").exists())
        self.assertFalse(tasks.filter(owner__isnull=True).exists())
        # Done during the lockdown, not when the demo was built.
        latest = done.latest("done_at").done_at
        assert latest is not None
        self.assertLessEqual(timezone.localdate(latest), TODAY)

    def test_it_records_the_seeds_meetings_with_decisions(self):
        meetings = self.incident.meetings.order_by("held_at")
        titles = list(meetings.values_list("title", flat=True))
        self.assertTrue(titles[0].startswith("召开专题会议研究部署"))
        self.assertIn("线上教学工作部署会", titles)
        # The work-promotion meeting is the college's own (test_workplan).
        self.assertNotIn("线上召开学院工作推进会", titles)
        self.assertEqual(timezone.localdate(meetings[0].held_at), FIRST_DAY)
        self.assertFalse(meetings.filter(decisions__isnull=True).exists())

    def test_it_marks_risky_regions(self):
        regions = {str(region) for region in self.incident.risk_regions.all()}
        self.assertEqual(regions, {"上海市", "吉林省 长春市"})

    def test_there_are_check_ins_on_every_day_from_april_2_to_today(self):
        days = sorted(self.day_counts())
        self.assertEqual(days[0], FIRST_DAY)
        self.assertEqual(days[-1], TODAY)
        self.assertEqual(len(days), 15)

    def test_past_days_are_mostly_on_time_some_late_some_missing(self):
        expected = self.incident.expected_people().count()
        for day, counts in self.day_counts().items():
            if day == TODAY:
                continue
            with self.subTest(day=day):
                on_time = (counts["reported"] - counts["late"]) / expected
                late = counts["late"] / expected
                missing = (expected - counts["reported"]) / expected
                self.assertTrue(0.90 <= on_time <= 0.96, on_time)
                self.assertTrue(0.02 <= late <= 0.06, late)
                self.assertTrue(0.015 <= missing <= 0.05, missing)

    def test_late_check_ins_come_after_the_deadline_and_on_time_ones_before(self):
        for checkin in CheckIn.objects.filter(incident=self.incident):
            deadline = self.incident.deadline_at(checkin.date)
            self.assertEqual(checkin.late, checkin.submitted_at > deadline, checkin)
            self.assertEqual(timezone.localdate(checkin.submitted_at), checkin.date)

    def test_a_few_report_symptoms_or_fever_and_are_flagged(self):
        checkins = CheckIn.objects.filter(incident=self.incident)
        abnormal = checkins.filter(abnormal_q())
        self.assertTrue(3 <= abnormal.values("person").distinct().count() <= 12)
        self.assertTrue(checkins.filter(temperature__gte=Decimal("37.3")).exists())
        self.assertTrue(checkins.exclude(symptoms=[]).exists())
        reasons = Counter(Flag.objects.values_list("reason", flat=True))
        for reason in (Flag.Reason.SYMPTOMS, Flag.Reason.FEVER, Flag.Reason.RISK_REGION):
            self.assertGreater(reasons[reason], 0, reason)

    def test_people_who_miss_two_days_in_a_row_are_flagged(self):
        missed = Flag.objects.filter(reason=Flag.Reason.MISSED)
        self.assertGreaterEqual(missed.values("person").distinct().count(), 5)
        for flag in missed:
            day_before = flag.date - dt.timedelta(days=1)
            reported = CheckIn.objects.filter(person=flag.person, date__in=[flag.date, day_before])
            self.assertFalse(reported.exists(), flag)

    def test_counsellors_have_acted_on_most_past_flags(self):
        past = Flag.objects.filter(date__lt=TODAY)
        acted = past.filter(actions__isnull=False).distinct().count()
        self.assertGreater(acted, 0.8 * past.count())
        self.assertTrue(past.filter(resolved_at__isnull=False).exists())
        self.assertTrue(
            FlagAction.objects.filter(by=DemoLogin.objects.get(role=Role.COUNSELLOR).user).exists()
        )
        # Today's flags await a counsellor, 赵璞 among them.
        waiting = Flag.objects.filter(date=TODAY, resolved_at__isnull=True)
        self.assertTrue(waiting.filter(person__admin_class__counsellor__name="赵璞").exists())
        self.assertFalse(FlagAction.objects.filter(at__gt=DEMO_MORNING).exists())

    def test_most_students_are_on_campus_and_the_rest_somewhere_real(self):
        today = CheckIn.objects.filter(date=TODAY - dt.timedelta(days=1))
        students = today.filter(person__kind=Person.Kind.STUDENT)
        on_campus = students.filter(location=Location.CAMPUS).count()
        self.assertGreater(on_campus, 0.8 * students.count())
        for province, city in today.exclude(location=Location.CAMPUS).values_list(
            "province", "city"
        ):
            self.assertTrue(divisions.is_city_of(city, province), (province, city))

    def test_eighteen_student_party_members_are_at_home_across_the_country(self):
        at_home = (
            CheckIn.objects.filter(party_member_q("person__"), person__kind=Person.Kind.STUDENT)
            .exclude(location=Location.CAMPUS)
            .exclude(location=Location.ELSEWHERE)
        )
        self.assertEqual(at_home.values("person").distinct().count(), 18)
        self.assertGreaterEqual(at_home.values("province").distinct().count(), 12)

    def test_everyone_who_checked_in_accepted_the_privacy_notice_first(self):
        reporters = set(CheckIn.objects.values_list("person", flat=True).distinct())
        accepted = dict(PrivacyAcceptance.objects.values_list("person", "accepted_at"))
        self.assertEqual(set(accepted), reporters)
        # Newest first, so that each person's earliest is the value that stays.
        first = dict(
            CheckIn.objects.order_by("-submitted_at").values_list("person", "submitted_at")
        )
        self.assertTrue(all(accepted[pk] < first[pk] for pk in reporters))

    @freeze_time(DEMO_MORNING)
    def test_today_part_of_the_college_has_not_reported_yet(self):
        self.assertEqual(clock.today(), TODAY)
        missing = missing_people(self.incident, clock.today())
        expected = self.incident.expected_people().count()
        self.assertTrue(0.05 * expected < missing.count() < 0.3 * expected)
        self.assertIn(login_person(Role.STUDENT), missing)
        self.assertNotIn(login_person(Role.COUNSELLOR), missing)
        # Nobody reported after the moment today stands at.
        self.assertFalse(CheckIn.objects.filter(submitted_at__gt=DEMO_MORNING).exists())

    @freeze_time(DEMO_MORNING)
    def test_the_counsellor_sees_names_missing_in_her_classes_today(self):
        user = DemoLogin.objects.get(role=Role.COUNSELLOR).user
        scope = scope_for(user)
        missing = missing_in_scope(self.incident, clock.today(), scope)
        self.assertTrue(missing.exists())
        self.assertIn(login_person(Role.STUDENT), missing)
        self.assertGreater(count(self.incident, clock.today(), scope).total.missing, 0)

    def test_the_build_is_deterministic_and_reset_clears_the_incident(self):
        build.clear()
        self.assertFalse(Incident.objects.exists())
        self.assertFalse(CheckIn.objects.exists())
        build.build()
        rebuilt = fingerprint()
        for part, rows in self.built.items():
            self.assertEqual(rebuilt[part], rows, part)
