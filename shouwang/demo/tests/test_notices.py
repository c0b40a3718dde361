from django.test import TestCase
from freezegun import freeze_time

from shouwang.accounts.models import Role
from shouwang.demo import build
from shouwang.demo.models import DemoLogin
from shouwang.demo.notices import BRIGADES, NOW
from shouwang.notices.message_kinds import NOTICE
from shouwang.notices.models import Notice, Receipt
from shouwang.notify.models import Message
from shouwang.people.models import Person, party_member_q
from shouwang.volunteers.models import Team


class DemoNoticesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build.build()

    def test_the_seeds_teams_are_there_with_leads(self):
        brigades = Team.objects.filter(kind=Team.Kind.BRIGADE)
        self.assertEqual(sorted(brigades.values_list("name", flat=True)), sorted(BRIGADES))
        kinds = set(Team.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, set(Team.Kind.values))
        for team in Team.objects.all():
            self.assertEqual(team.memberships.filter(is_lead=True).count(), 1, team.name)
        volunteer = DemoLogin.objects.get(role=Role.VOLUNTEER).user
        memberships = Team.objects.get(name=BRIGADES[0]).memberships
        self.assertTrue(memberships.filter(person__user=volunteer, is_lead=True).exists())
        vanguard = Team.objects.get(kind=Team.Kind.VANGUARD_POST).members.all()
        self.assertFalse(vanguard.exclude(party_member_q()))

    def test_every_notice_reached_its_recipients_inboxes_once(self):
        for notice in Notice.objects.all():
            with self.subTest(notice=notice.title):
                receipts = notice.receipts.count()
                self.assertGreater(receipts, 0)
                inbox = Message.objects.filter(kind=NOTICE, link=notice.get_absolute_url())
                self.assertEqual(inbox.count(), receipts)
                self.assertEqual(
                    set(inbox.values_list("created_at", flat=True)), {notice.published_at}
                )

    def test_past_instructions_were_mostly_acknowledged_before_the_demos_now(self):
        past = Notice.objects.filter(requires_acknowledgement=True, deadline__lt=NOW)
        self.assertGreaterEqual(past.count(), 5)
        for notice in past:
            tallies = notice.tallies()
            with self.subTest(notice=notice.title):
                self.assertGreater(tallies["acknowledged"], 0.9 * tallies["recipients"])
                self.assertLessEqual(tallies["acknowledged"], tallies["read"])
        later = Receipt.objects.filter(read_at__gt=NOW) | Receipt.objects.filter(
            acknowledged_at__gt=NOW
        )
        self.assertFalse(later.exists())

    def test_todays_instruction_still_waits_for_part_of_the_college(self):
        today = Notice.objects.filter(requires_acknowledgement=True, deadline__gt=NOW).get()
        tallies = today.tallies()
        self.assertEqual(
            tallies["recipients"], Person.objects.filter(status=Person.Status.PRESENT).count()
        )
        self.assertLess(tallies["acknowledged"], 0.8 * tallies["recipients"])
        self.assertGreater(tallies["acknowledged"], 0.5 * tallies["recipients"])
        leader = DemoLogin.objects.get(role=Role.LEADER).user
        self.client.force_login(leader)
        with freeze_time(NOW):
            page = self.client.get(today.get_absolute_url())
            self.assertContains(page, 'data-testid="remind"')
            outstanding = self.client.get(f"{today.get_absolute_url()}outstanding/")
        self.assertEqual(
            outstanding.context["page"].paginator.count,
            tallies["recipients"] - tallies["acknowledged"],
        )

    def test_the_student_sees_the_notices_sent_to_them(self):
        student = DemoLogin.objects.get(role=Role.STUDENT).user
        self.client.force_login(student)
        page = self.client.get("/notices/")
        titles = [receipt.notice.title for receipt in page.context["page"]]
        self.assertIn("关于做好全体学生每日健康打卡工作的通知", titles)
        self.assertNotIn("关于教职工居家办公期间保持联络畅通的通知", titles)
