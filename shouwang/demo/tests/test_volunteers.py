import datetime as dt

from django.db.models import Count, F
from django.test import TestCase
from django.urls import reverse
from freezegun import freeze_time

from shouwang.accounts.models import Role
from shouwang.demo import build
from shouwang.demo.college import COUNSELLOR_NAME
from shouwang.demo.lockdown import FIRST_DAY, PARTY_HOME_PROVINCES, PARTY_MEMBERS_AT_HOME, TODAY
from shouwang.demo.models import DemoLogin
from shouwang.demo.notices import BRIGADES, DUTY_TEAM, NOW
from shouwang.people.models import Person
from shouwang.volunteers.duty import due_for_relief, streaks_on
from shouwang.volunteers.models import DutyDay, ServiceReport, Shift, SignUp, Team
from shouwang.volunteers.queries import (
    LEAGUE,
    OTHER,
    hours_by_team,
    party_members_serving,
    service_figures,
    teams_by_kind,
)


class DemoVolunteersTestCase(TestCase):
    zhao: Person

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.zhao = Person.objects.get(name=COUNSELLOR_NAME)

    def test_the_seeds_18_party_members_served_across_the_country(self):
        people, provinces = party_members_serving(FIRST_DAY, TODAY)
        self.assertEqual(people, PARTY_MEMBERS_AT_HOME)
        self.assertEqual(provinces, len(set(PARTY_HOME_PROVINCES)))

    def test_other_students_served_too_and_one_report_was_returned(self):
        figures = service_figures(FIRST_DAY, TODAY)
        self.assertGreater(figures.people(LEAGUE) + figures.people(OTHER), 0)
        self.assertEqual(ServiceReport.objects.filter(status="returned").count(), 1)
        waiting = ServiceReport.objects.filter(status="submitted")
        self.assertTrue(waiting.exists())
        self.assertFalse(waiting.exclude(person__admin_class__counsellor=self.zhao).exists())

    def test_the_teams_are_counted_by_kind(self):
        counts = {row["kind"]: row["teams"] for row in teams_by_kind()}
        self.assertEqual(counts[Team.Kind.BRIGADE], len(BRIGADES))

    def test_no_shift_is_overbooked_and_hours_accumulated(self):
        over = Shift.objects.annotate(taken=Count("signups")).filter(taken__gt=F("places"))
        self.assertFalse(over.exists())
        shifts = Shift.objects.filter(title="核酸检测秩序维护", place="体育馆")
        self.assertGreater(shifts.count(), 10)
        vanguard = Team.objects.get(kind=Team.Kind.VANGUARD_POST)
        self.assertGreater(hours_by_team([vanguard])[vanguard.pk], 100)
        # This morning's shift is under way; tomorrow's has places left.
        self.assertTrue(SignUp.objects.filter(checked_in_at__isnull=False, minutes=None).exists())
        tomorrow = shifts.filter(starts_at__gt=NOW + dt.timedelta(hours=12)).annotate(
            taken=Count("signups")
        )
        self.assertTrue(tomorrow.filter(taken__lt=F("places")).exists())

    def test_the_counsellor_has_been_on_site_about_half_a_month(self):
        self.assertEqual(streaks_on(TODAY)[self.zhao.pk], (FIRST_DAY, 15))
        yesterday = TODAY - dt.timedelta(days=1)
        self.assertEqual(due_for_relief(yesterday), [])
        # Past fourteen days on site, she is due a relief from her duty team.
        [streak] = due_for_relief(TODAY)
        self.assertEqual(streak.person, self.zhao)
        team = Team.objects.get(name=DUTY_TEAM)
        self.assertTrue(streak.relief)
        self.assertFalse(set(streak.relief) - set(team.members.all()))

    def test_others_rotate_between_on_site_and_remote(self):
        others = DutyDay.objects.filter(date=TODAY).exclude(person=self.zhao)
        self.assertTrue(others.filter(mode=DutyDay.Mode.ON_SITE).exists())
        self.assertTrue(others.filter(mode=DutyDay.Mode.REMOTE).exists())

    def test_the_logins_find_their_work(self):
        reverse("volunteers:team_list")  # the URLs load before the clock stops
        volunteer = DemoLogin.objects.get(role=Role.VOLUNTEER).user
        leader = DemoLogin.objects.get(role=Role.LEADER).user
        counsellor = DemoLogin.objects.get(role=Role.COUNSELLOR).user
        with freeze_time(NOW):
            self.client.force_login(volunteer)
            self.assertContains(self.client.get(reverse("volunteers:team_list")), "体育馆")
            self.client.force_login(leader)
            roster = self.client.get(reverse("volunteers:duty_roster"))
            self.assertContains(roster, COUNSELLOR_NAME)
            self.assertContains(self.client.get(reverse("volunteers:service_list")), "figures")
            self.client.force_login(counsellor)
            service = self.client.get(reverse("volunteers:service_list"))
            self.assertEqual(service.status_code, 200)
            self.assertTrue(
                any(r.status == ServiceReport.Status.SUBMITTED for r in service.context["reports"])
            )
