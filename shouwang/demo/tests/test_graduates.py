"""The demo's 2022 graduates: a cohort taken from the roster, destinations
reported and confirmed in March and April, rates that agree with the records,
and the graduates in difficulty followed up."""

import datetime as dt

from django.db.models import QuerySet
from django.test import TestCase
from django.urls import reverse

from shouwang.accounts.models import Role
from shouwang.careers import queries
from shouwang.careers.audit import CareersEvent
from shouwang.careers.models import (
    GROUPS,
    NEEDS_EVIDENCE,
    PLACED,
    DestinationReport,
    FollowUp,
    Graduate,
    Group,
)
from shouwang.core.models import LogEntry
from shouwang.demo import build
from shouwang.demo.graduates import COHORT, ENROLLED_AT, OFFICE_POST
from shouwang.demo.lockdown import NOW
from shouwang.demo.models import DemoLogin
from shouwang.lib.clock import beijing
from shouwang.people.models import DegreeLevel, Person

Status = DestinationReport.Status
MARCH = beijing(2022, 3, 1)


class DemoGraduatesTestCase(TestCase):
    graduates: QuerySet[Graduate]

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.graduates = Graduate.objects.filter(cohort=COHORT).select_related("person__admin_class")

    def test_the_cohort_is_the_rosters_graduating_students(self):
        graduating = Person.objects.filter(kind=Person.Kind.STUDENT, graduating=True)
        self.assertEqual(
            set(self.graduates.values_list("person_id", flat=True)),
            set(graduating.values_list("pk", flat=True)),
        )
        self.assertEqual(
            set(self.graduates.values_list("person__degree_level", flat=True)),
            {DegreeLevel.BACHELOR, DegreeLevel.MASTER},
        )

    def test_the_office_login_took_the_cohort_in_early_march(self):
        office = DemoLogin.objects.get(role=Role.EMPLOYMENT_OFFICE).user
        self.assertTrue(office.has_role(Role.EMPLOYMENT_OFFICE))
        unit = DemoLogin.objects.filter(role=Role.EMPLOYMENT_OFFICE).values_list(
            "user__person__unit__name", flat=True
        )
        self.assertEqual(unit.get(), "学生工作办公室")
        self.assertEqual(OFFICE_POST, "团委书记")
        enrolled = LogEntry.objects.filter(kind=CareersEvent.COHORT_ENROLLED.value)
        self.assertEqual(enrolled.count(), self.graduates.count())
        self.assertEqual(set(enrolled.values_list("actor", flat=True)), {office.pk})
        self.assertTrue(all(entry.timestamp.date() == ENROLLED_AT.date() for entry in enrolled))

    def test_the_rate_is_the_placed_counted_from_the_records(self):
        for level in (DegreeLevel.BACHELOR, DegreeLevel.MASTER):
            graduates = self.graduates.filter(person__degree_level=level)
            (rate,) = queries.rates(graduates)
            placed = [graduate for graduate in graduates if graduate.destination in PLACED]
            self.assertEqual((rate.graduates, rate.placed), (len(graduates), len(placed)))
            for group, codes in GROUPS.items():
                counted = sum(1 for graduate in graduates if graduate.destination in codes)
                self.assertEqual(rate.groups[group], counted)

    def test_about_half_the_undergraduates_and_more_masters_are_placed_by_mid_april(self):
        (undergraduates,) = queries.rates(
            self.graduates.filter(person__degree_level=DegreeLevel.BACHELOR)
        )
        (masters,) = queries.rates(self.graduates.filter(person__degree_level=DegreeLevel.MASTER))
        assert undergraduates.rate is not None and masters.rate is not None
        self.assertTrue(45 <= undergraduates.rate <= 60, undergraduates.rate)
        self.assertGreater(masters.rate, undergraduates.rate)
        # Room for the job fairs' offers: many still seek work.
        self.assertGreater(undergraduates.groups[Group.NOT_PLACED], 60)

    def test_destinations_are_a_realistic_mix(self):
        codes = set(self.graduates.values_list("destination", flat=True))
        for code in ("10", "11", "12", "50", "51", "75", "76", "80", "85", "70", "71", "72"):
            self.assertIn(code, codes)

    def test_every_confirmed_destination_was_confirmed_by_the_graduates_counsellor(self):
        confirmed = DestinationReport.objects.filter(status=Status.CONFIRMED).values_list(
            "decided_by",
            "graduate__person__admin_class__counsellor",
            "reported_by__person",
            "graduate__person",
        )
        self.assertGreater(len(confirmed), 100)
        for confirmer, counsellor, reporter, graduate in confirmed:
            self.assertEqual(confirmer, counsellor)
            # Reported by the graduates themselves.
            self.assertEqual(reporter, graduate)

    def test_each_graduates_destination_is_their_last_confirmed_report(self):
        for graduate in self.graduates.prefetch_related("reports"):
            confirmed = [r for r in graduate.reports.all() if r.status == Status.CONFIRMED]
            if confirmed:
                last = max(confirmed, key=lambda report: report.decided_at or MARCH)
                self.assertEqual(graduate.destination, last.destination)
                self.assertEqual(graduate.confirmed_at, last.decided_at)
            else:
                self.assertEqual(graduate.destination, "70")

    def test_every_date_is_within_the_scenario(self):
        reports = DestinationReport.objects.all()
        self.assertTrue(all(MARCH <= report.reported_at <= NOW for report in reports))
        decided = reports.exclude(decided_at=None).values_list("reported_at", "decided_at")
        self.assertTrue(
            all(decided_at and reported < decided_at <= NOW for reported, decided_at in decided)
        )
        follow_ups = FollowUp.objects.all()
        self.assertTrue(all(dt.date(2022, 3, 1) <= item.on <= NOW.date() for item in follow_ups))

    def test_work_and_study_come_with_their_evidence(self):
        for report in DestinationReport.objects.filter(destination__in=NEEDS_EVIDENCE):
            self.assertTrue(report.evidence.exists(), report)
            self.assertTrue(report.organisation)

    def test_a_few_reports_wait_and_one_went_back_and_came_again(self):
        pending = DestinationReport.objects.filter(status=Status.PENDING)
        self.assertTrue(3 <= pending.count() <= 12, pending.count())
        returned = DestinationReport.objects.get(status=Status.RETURNED)
        self.assertTrue(returned.note)
        again = returned.graduate.reports.filter(reported_at__gt=returned.decided_at)
        self.assertTrue(again.exists())

    def test_the_graduates_in_difficulty_are_followed_up_by_their_counsellors(self):
        in_difficulty = self.graduates.exclude(difficulty="")
        self.assertGreaterEqual(in_difficulty.count(), 8)
        for graduate, counsellor in in_difficulty.values_list(
            "pk", "person__admin_class__counsellor"
        ):
            by = set(FollowUp.objects.filter(graduate=graduate).values_list("by", flat=True))
            self.assertEqual(by, {counsellor})
        # Some not in the last fortnight: the seeking list marks them.
        stale = [
            graduate
            for graduate in queries.seeking(in_difficulty)
            if getattr(graduate, "last_follow_up")  # noqa: B009 - annotated by the query
            < NOW.date() - dt.timedelta(days=queries.FOLLOW_UP_DAYS)
        ]
        self.assertTrue(stale)

    def test_the_office_opens_the_rates_page(self):
        office = DemoLogin.objects.get(role=Role.EMPLOYMENT_OFFICE).user
        self.client.force_login(office)
        response = self.client.get(reverse("careers:rates"))
        (total,) = queries.rates(self.graduates)
        self.assertEqual(response.context["total"].rate, total)
