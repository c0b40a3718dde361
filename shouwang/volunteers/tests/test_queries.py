from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.test import make_person
from shouwang.volunteers.models import DutyDay, Membership, ServiceReport, SignUp, Team
from shouwang.volunteers.tests.helpers import EnglishTestCase, make_report, make_shift, make_team


class ListQueriesTestCase(EnglishTestCase):
    """A list costs the same few queries for three rows as for thirty."""

    def setUp(self):
        super().setUp()
        self.team = make_team(
            "红烛志愿服务队", lead=self.volunteer_person, members=[self.student_a]
        )
        self.count = 0

    def grow(self, rows: int) -> None:
        for _ in range(rows):
            self.count += 1
            person = make_person(
                f"2022{self.count:03}", f"同学{self.count}", admin_class=self.class_a
            )
            Membership.objects.create(team=self.team, person=person)
            shift = make_shift(self.team)
            SignUp.objects.create(shift=shift, person=person, minutes=90)
            make_report(person, status=ServiceReport.Status.APPROVED)
            make_team(f"队{self.count}", Team.Kind.VANGUARD_POST, members=[person])

    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(captured)

    def test_lists_do_not_grow_with_rows(self):
        urls = [
            reverse("volunteers:team_list"),
            reverse("volunteers:team_detail", args=[self.team.pk]),
            reverse("volunteers:service_list"),
        ]
        self.login(self.leader)
        self.grow(2)
        before = [self.queries(url) for url in urls]
        self.grow(10)
        self.assertEqual([self.queries(url) for url in urls], before)

    def test_a_shifts_sign_ups_do_not_grow_its_queries(self):
        shift = make_shift(self.team, places=50)
        self.login(self.volunteer)
        people = [make_person(f"2023{n:03}", f"学{n}") for n in range(12)]
        SignUp.objects.create(shift=shift, person=people[0])
        before = self.queries(shift.get_absolute_url())
        SignUp.objects.bulk_create(SignUp(shift=shift, person=p) for p in people[1:])
        self.assertEqual(self.queries(shift.get_absolute_url()), before)

    def test_the_counsellors_list_does_not_grow_either(self):
        self.login(self.counsellor_a_user)
        self.grow(2)
        before = self.queries(reverse("volunteers:service_list"))
        self.grow(8)
        self.assertEqual(self.queries(reverse("volunteers:service_list")), before)

    def test_the_roster_does_not_grow_with_its_rows(self):
        day = clock.today()
        self.login(self.leader)
        url = f"{reverse('volunteers:duty_roster')}?date={day.isoformat()}"

        def add(count: int) -> None:
            for _ in range(count):
                self.count += 1
                person = make_person(f"S9{self.count:03}", f"职工{self.count}", Person.Kind.STAFF)
                DutyDay.objects.create(person=person, date=day, mode=DutyDay.Mode.ON_SITE)

        add(2)
        before = self.queries(url)
        add(10)
        self.assertEqual(self.queries(url), before)
