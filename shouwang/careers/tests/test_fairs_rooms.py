"""The runners bring employers to a fair, each with its video room and
positions; the room's code, shown only to them and in the room, counts a
registered graduate who types it while the fair is on, once."""

from django.urls import reverse
from freezegun import freeze_time

from shouwang.careers import actions
from shouwang.careers.models import FairEmployer, JobFair, Participation

from .base_fairs import AFTER, BEFORE, DAY, DURING, FairsTestCase


class FairFormTests(FairsTestCase):
    def test_the_office_holds_a_new_fair(self):
        self.login(self.office)
        response = self.client.post(
            reverse("careers:fair_form"),
            {
                "title": "2024届毕业生网络双选会（第二场）",
                "unit": self.college.pk,
                "organiser": "学院团委",
                "held_on": "2024-04-14",
                "starts_at": "14:00",
                "ends_at": "17:00",
                "platform": "腾讯会议",
                "link": "meeting.tencent.com/dm/second",
            },
        )
        fair = JobFair.objects.get(title="2024届毕业生网络双选会（第二场）")
        self.assertRedirects(response, fair.get_absolute_url())
        self.assertEqual(fair.created_by, self.office)
        self.assertEqual(fair.link, "https://meeting.tencent.com/dm/second")

    def test_a_fair_that_ends_before_it_starts_is_refused(self):
        self.login(self.office)
        response = self.client.post(
            reverse("careers:fair_edit", args=[self.fair.pk]),
            {
                "title": self.fair.title,
                "unit": self.college.pk,
                "organiser": "学院团委",
                "held_on": "2024-04-12",
                "starts_at": "12:00",
                "ends_at": "09:00",
                "platform": "腾讯会议",
            },
        )
        self.assertContains(response, "The fair ends before it starts.")
        self.fair.refresh_from_db()
        self.assertEqual(self.fair.ends_at.hour, 12)

    def test_a_leader_holds_fairs_only_for_the_units_they_reach(self):
        self.create_other_college()
        self.login(self.leader)
        page = self.client.get(reverse("careers:fair_form"))
        units = list(page.context["form"].fields["unit"].queryset)
        self.assertIn(self.college, units)
        self.assertNotIn(self.college_b, units)
        other = actions.save_fair(
            JobFair(
                title="会计学院双选会",
                unit=self.college_b,
                organiser="会计学院团委",
                held_on=DAY,
                starts_at=self.fair.starts_at,
                ends_at=self.fair.ends_at,
                platform="腾讯会议",
            ),
            acting_user=self.office,
        )
        self.assertEqual(
            self.client.get(reverse("careers:fair_edit", args=[other.pk])).status_code, 403
        )
        # They see it all the same, as everyone does.
        self.assertEqual(self.client.get(other.get_absolute_url()).status_code, 200)


class RoomTests(FairsTestCase):
    def test_the_office_adds_an_employers_room_with_its_positions(self):
        fair = actions.save_fair(
            JobFair(
                title="另一场",
                unit=self.college,
                organiser="学院团委",
                held_on=DAY,
                starts_at=self.fair.starts_at,
                ends_at=self.fair.ends_at,
                platform="腾讯会议",
            ),
            acting_user=self.office,
        )
        self.login(self.office)
        url = reverse("careers:fair_room", args=[fair.pk])
        chooser = self.client.get(url)
        self.assertContains(chooser, self.employer_b.name)
        form = self.client.get(url, {"employer": self.employer_b.pk})
        self.assertContains(form, "数据分析师")
        self.assertNotContains(form, "Java开发工程师")
        response = self.client.post(
            f"{url}?employer={self.employer_b.pk}",
            {
                "room_link": "https://meeting.tencent.com/dm/newroom",
                "positions": [self.position_b.pk],
            },
        )
        self.assertRedirects(response, fair.get_absolute_url())
        room = FairEmployer.objects.get(fair=fair, employer=self.employer_b)
        self.assertEqual(list(room.positions.all()), [self.position_b])
        self.assertEqual(len(room.room_code), actions.CODE_LENGTH)

    def test_changing_a_room_keeps_its_code(self):
        code = self.room_a.room_code
        self.login(self.office)
        self.client.post(
            f"{reverse('careers:fair_room', args=[self.fair.pk])}?employer={self.employer.pk}",
            {"room_link": "https://meeting.tencent.com/dm/moved", "positions": []},
        )
        self.room_a.refresh_from_db()
        self.assertEqual(self.room_a.room_code, code)
        self.assertEqual(self.room_a.room_link, "https://meeting.tencent.com/dm/moved")
        self.assertEqual(self.room_a.positions.count(), 0)

    def test_the_runners_see_each_rooms_code_and_its_printable_page(self):
        self.login(self.office)
        page = self.client.get(self.fair.get_absolute_url())
        self.assertContains(page, self.room_a.room_code)
        self.assertContains(page, self.room_b.room_code)
        card = self.client.get(reverse("careers:fair_room_code", args=[self.room_a.pk]))
        self.assertContains(card, self.room_a.room_code)
        self.assertContains(card, f"?code={self.room_a.room_code}")
        self.assertContains(card, 'src="data:image/svg+xml;base64,')

    def test_the_qr_codes_address_fills_the_code_in(self):
        self.login(self.student)
        with freeze_time(DURING):
            actions.register(self.fair, self.student_a, acting_user=self.student)
            page = self.client.get(self.fair.get_absolute_url(), {"code": self.room_a.room_code})
        self.assertContains(page, f'value="{self.room_a.room_code}"')


class RoomCodeTests(FairsTestCase):
    def setUp(self):
        super().setUp()
        with freeze_time(BEFORE):
            actions.register(self.fair, self.student_a, acting_user=self.student)
        self.login(self.student)

    def enter(self, code, at=DURING):
        with freeze_time(at):
            response = self.client.post(
                reverse("careers:fair_enter", args=[self.fair.pk]), {"code": code}
            )
            return self.client.get(response["Location"])

    def test_a_registered_graduate_is_counted_in_the_room_whose_code_they_type(self):
        page = self.enter(self.room_a.room_code.lower())
        participation = Participation.objects.get()
        self.assertEqual((participation.room, participation.person), (self.room_a, self.student_a))
        self.assertEqual(participation.source, Participation.Source.ROOM_CODE)
        self.assertContains(page, "太原软件科技有限公司")
        self.assertContains(page, 'data-testid="counted"', count=1)

    def test_typing_the_code_again_counts_once(self):
        self.enter(self.room_a.room_code)
        self.enter(f" {self.room_a.room_code} ")
        self.assertEqual(Participation.objects.count(), 1)

    def test_a_code_counts_only_while_the_fair_is_on(self):
        before = self.enter(self.room_a.room_code, at=BEFORE)
        after = self.enter(self.room_a.room_code, at=AFTER)
        self.assertFalse(Participation.objects.exists())
        self.assertContains(before, "Room codes count only while the fair is on.")
        self.assertNotContains(after, 'data-testid="code-form"')

    def test_a_wrong_code_counts_nobody(self):
        page = self.enter("ZZZZZZ")
        self.assertFalse(Participation.objects.exists())
        self.assertContains(page, "No room of this fair shows that code.")

    def test_a_graduate_who_did_not_register_registers_first(self):
        self.login(self.graduate_b_user)
        page = self.enter(self.room_a.room_code)
        self.assertFalse(Participation.objects.exists())
        self.assertContains(page, "Register for the fair first")

    def test_two_rooms_are_two_participations(self):
        self.enter(self.room_a.room_code)
        self.enter(self.room_b.room_code)
        self.assertEqual(Participation.objects.filter(person=self.student_a).count(), 2)
