import datetime as dt
from unittest.mock import patch

from django.test import override_settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.lib.clock import beijing
from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import make_person
from shouwang.volunteers.duty import due_for_relief, relief_for, send_duty_alerts, streaks_on
from shouwang.volunteers.models import DutyDay, Membership, Team
from shouwang.volunteers.tasks import send_duty_alerts as alert_task
from shouwang.volunteers.tests.helpers import EnglishTestCase, make_team

FIRST = dt.date(2022, 4, 2)
TODAY = dt.date(2022, 4, 16)


def on_site(person, first: dt.date, days: int, mode=DutyDay.Mode.ON_SITE) -> None:
    DutyDay.objects.bulk_create(
        DutyDay(person=person, date=first + dt.timedelta(days=n), mode=mode, role="值班")
        for n in range(days)
    )


@override_settings(DUTY_MAX_CONSECUTIVE_DAYS=14)
class DutyTestCase(EnglishTestCase):
    def setUp(self):
        super().setUp()
        # The counsellor on site since 4月2日; her duty team's lead is the leader.
        self.team = make_team(
            "教职工值班组",
            Team.Kind.STAFF_DUTY,
            lead=self.leader_person,
            members=[self.counsellor_a],
        )
        self.staff = [
            make_person(f"S20{n}", name, Person.Kind.STAFF, unit=self.college)
            for n, name in enumerate(["周一", "吴二", "郑三"])
        ]
        Membership.objects.bulk_create(Membership(team=self.team, person=p) for p in self.staff)
        on_site(self.counsellor_a, FIRST, 15)  # 4月2日–16日: 15 days

    def test_a_streak_is_counted_back_from_the_day(self):
        self.assertEqual(streaks_on(TODAY)[self.counsellor_a.pk], (FIRST, 15))
        DutyDay.objects.filter(person=self.counsellor_a, date=dt.date(2022, 4, 10)).update(
            mode=DutyDay.Mode.REMOTE
        )
        self.assertEqual(streaks_on(TODAY)[self.counsellor_a.pk], (dt.date(2022, 4, 11), 6))

    def test_more_than_the_limit_is_due_a_relief(self):
        self.assertEqual(due_for_relief(TODAY - dt.timedelta(days=1)), [])  # 14 days: not yet
        [streak] = due_for_relief(TODAY)
        self.assertEqual((streak.person, streak.days), (self.counsellor_a, 15))

    @override_settings(DUTY_MAX_CONSECUTIVE_DAYS=5)
    def test_the_limit_is_a_setting(self):
        self.assertEqual(len(due_for_relief(FIRST + dt.timedelta(days=5))), 1)

    def test_relief_is_whoever_of_the_team_is_free_with_the_fewest_recent_days(self):
        first, second, third = self.staff
        on_site(first, TODAY - dt.timedelta(days=6), 3)  # three days lately
        on_site(second, TODAY - dt.timedelta(days=3), 1)  # one day lately
        on_site(third, TODAY, 1)  # on site today: not free
        # The lead has had no day on site lately: first.
        self.assertEqual(relief_for(self.counsellor_a, TODAY), [self.leader_person, second, first])

    def test_the_alert_goes_to_the_leads_and_leaders_once_per_streak(self):
        with freeze_time(beijing(2022, 4, 16, 8, 0)):
            self.assertEqual(send_duty_alerts(TODAY), 1)
            self.assertEqual(send_duty_alerts(TODAY), 0)  # the job ran twice
        message = Message.objects.get()
        self.assertEqual(message.recipient, self.leader_person)
        self.assertEqual(message.kind, ESCALATION)
        self.assertIn("赵璞", message.title)
        self.assertIn("周一", message.body)
        # The next day of the same streak tells nobody again.
        on_site(self.counsellor_a, TODAY + dt.timedelta(days=1), 1)
        self.assertEqual(send_duty_alerts(TODAY + dt.timedelta(days=1)), 0)

    def test_a_new_streak_is_alerted_again(self):
        send_duty_alerts(TODAY)
        on_site(self.counsellor_a, TODAY + dt.timedelta(days=1), 1, DutyDay.Mode.REMOTE)
        on_site(self.counsellor_a, TODAY + dt.timedelta(days=2), 15)
        self.assertEqual(send_duty_alerts(TODAY + dt.timedelta(days=16)), 1)
        self.assertEqual(Message.objects.count(), 2)

    def test_the_daily_job_asks_about_today(self):
        with freeze_time(beijing(2022, 4, 16, 8, 0)):
            self.assertEqual(alert_task.call(), 1)

    def test_the_roster_shows_the_alert_and_the_relief(self):
        self.login(self.leader)
        page = self.client.get(reverse("volunteers:duty_roster"), {"date": TODAY.isoformat()})
        self.assertContains(page, 'data-testid="relief-alert"')
        self.assertContains(page, "has been on site 15 days in a row")
        self.assertContains(page, "周一")
        self.assertContains(page, "day 15 in a row")


class RosterTestCase(EnglishTestCase):
    def url(self, day: str = "2022-04-16"):
        return f"{reverse('volunteers:duty_roster')}?date={day}"

    def test_a_leader_puts_a_day_on_the_roster_and_changes_it(self):
        self.login(self.leader)
        # By number, as a leader reads it off the staff list: " T1002 " is T1002.
        data = {"person": f" {self.counsellor_b.number} ", "mode": "remote", "role": "线上联络"}
        self.assertRedirects(self.client.post(self.url(), data), self.url())
        data["mode"] = "on_site"
        self.client.post(self.url(), data)
        row = DutyDay.objects.get()
        self.assertEqual((row.date, row.mode, row.role), (TODAY, "on_site", "线上联络"))
        self.assertContains(self.client.get(self.url()), "钱老师")

    def test_it_explains_what_is_missing(self):
        self.login(self.leader)
        response = self.client.post(self.url(), {"person": "", "mode": ""})
        self.assertContains(response, "Give the number of who is on the roster.")
        self.assertContains(response, "Choose on site or working remotely.")

    def test_a_duty_teams_lead_keeps_only_their_teams_days(self):
        make_team("教职工值班组", Team.Kind.STAFF_DUTY, lead=self.counsellor_a)
        self.login(self.counsellor_a_user)
        response = self.client.post(
            self.url(), {"person": self.counsellor_b.number, "mode": "on_site", "role": ""}
        )
        self.assertContains(
            response, "No member of staff numbered T1002 among those whose days you keep."
        )
        self.assertFalse(DutyDay.objects.exists())

    def test_the_roster_comes_in_pages_and_the_alerts_above_them(self):
        staff = [
            make_person(f"S3{n:03}", f"职工{n}", Person.Kind.STAFF, unit=self.college)
            for n in range(5)
        ]
        for person in staff:
            on_site(person, TODAY, 1)
        # The last by number, on site 15 days: due a relief, wherever their row is.
        on_site(staff[-1], TODAY - dt.timedelta(days=14), 14)
        self.login(self.leader)
        with patch("shouwang.volunteers.views.ROSTER_PER_PAGE", 2):
            first = self.client.get(self.url())
            last = self.client.get(f"{self.url()}&page=3")
        self.assertEqual([row.person for row in first.context["page"]], staff[:2])
        self.assertEqual([row.person for row in last.context["page"]], staff[4:])
        self.assertContains(first, 'data-testid="roster-count">5<')
        for page in (first, last):
            self.assertEqual([alert.person for alert in page.context["alerts"]], [staff[-1]])
        self.assertContains(last, "day 15 in a row")

    def test_the_longest_streaks_are_shown_and_the_others_counted(self):
        longer, shorter = (
            make_person(f"S4{n:03}", name, Person.Kind.STAFF, unit=self.college)
            for n, name in enumerate(["孙一", "李二"])
        )
        on_site(longer, TODAY - dt.timedelta(days=16), 17)
        on_site(shorter, TODAY - dt.timedelta(days=14), 15)
        self.login(self.leader)
        with patch("shouwang.volunteers.views.ALERTS_SHOWN", 1):
            page = self.client.get(self.url())
        self.assertEqual([alert.person for alert in page.context["alerts"]], [longer])
        self.assertContains(page, "And 1 more is due a relief.")

    def test_others_do_not_find_the_roster(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
