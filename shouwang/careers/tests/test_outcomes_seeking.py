"""The counsellor's list of graduates still seeking work, those in difficulty
first, with their follow-ups; marking difficulty and recording follow-ups."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from shouwang.careers import actions
from shouwang.careers.audit import CareersEvent
from shouwang.careers.models import Destination, Difficulty, FollowUp, Graduate
from shouwang.core.models import LogEntry
from shouwang.lib import clock

from .outcomes import OutcomesTestCase, make_graduate, place

TODAY = dt.date(2024, 4, 16)


class SeekingListTests(OutcomesTestCase):
    plain: Graduate
    stale: Graduate
    placed: Graduate
    preparing: Graduate

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        counsellor = cls.counsellor_a_user
        # 张三 (graduate_a): in difficulty, followed up last week.
        actions.set_difficulty(cls.graduate_a, Difficulty.FAMILY_INCOME, acting_user=counsellor)
        actions.follow_up(
            cls.graduate_a, "推荐两个岗位", on=TODAY - dt.timedelta(days=6), acting_user=counsellor
        )
        # 陈一: not in difficulty, never followed up.
        cls.plain = make_graduate(cls, "2020002", "陈一", cls.class_a)
        # 陈二: in difficulty, followed up a month ago.
        cls.stale = make_graduate(cls, "2020003", "陈二", cls.class_a)
        actions.set_difficulty(cls.stale, Difficulty.DISABILITY, acting_user=counsellor)
        actions.follow_up(
            cls.stale, "电话沟通", on=TODAY - dt.timedelta(days=30), acting_user=counsellor
        )
        # 陈三: placed.
        cls.placed = make_graduate(cls, "2020004", "陈三", cls.class_a)
        place(cls.placed, Destination.CONTRACT, counsellor)
        # 陈四: preparing for further study: not placed either.
        cls.preparing = make_graduate(cls, "2020005", "陈四", cls.class_a)
        place(cls.preparing, Destination.PREPARING_STUDY, counsellor)

    def page(self, user=None):
        self.login(user or self.counsellor_a_user)
        with clock.standing_at(clock.at(TODAY, dt.time(9))):
            return self.client.get(reverse("careers:seeking"))

    def test_those_in_difficulty_come_first_the_least_followed_up_first(self):
        names = [graduate.person.name for graduate in self.page().context["page"]]
        self.assertEqual(names, ["陈二", "张三", "陈一", "陈四"])

    def test_the_placed_are_not_on_it(self):
        self.assertNotContains(self.page(), "陈三")

    def test_it_marks_those_not_followed_up_in_a_fortnight(self):
        response = self.page()
        for graduate, overdue in (
            (self.stale, True),
            (self.graduate_a, False),
            (self.plain, True),
        ):
            row = response.content.decode().split(f'data-testid="graduate-{graduate.pk}"')[1]
            row = row.split("</li>")[0]
            with self.subTest(graduate=str(graduate)):
                self.assertEqual('data-testid="overdue"' in row, overdue)

    def test_a_counsellor_sees_only_their_classes(self):
        names = {
            graduate.person.name for graduate in self.page(self.counsellor_b_user).context["page"]
        }
        self.assertEqual(names, {"王六"})

    def test_the_leader_sees_every_graduate_of_the_college(self):
        self.assertEqual(self.page(self.leader).context["page"].paginator.count, 5)

    def test_a_graduate_has_no_seeking_list(self):
        self.assertEqual(self.page(self.student).status_code, 403)


class DifficultyAndFollowUpTests(OutcomesTestCase):
    def test_the_counsellor_marks_a_graduate_in_difficulty(self):
        self.login(self.counsellor_a_user)
        url = reverse("careers:graduate_difficulty", args=[self.graduate_a.pk])
        response = self.client.post(url, {"difficulty": Difficulty.NO_EMPLOYED_IN_FAMILY})
        self.assertRedirects(response, self.graduate_a.get_absolute_url())
        self.graduate_a.refresh_from_db()
        self.assertEqual(self.graduate_a.difficulty, Difficulty.NO_EMPLOYED_IN_FAMILY)
        self.assertTrue(
            LogEntry.objects.filter(
                kind=CareersEvent.DIFFICULTY_SET.value, object_id=self.graduate_a.pk
            ).exists()
        )
        self.client.post(url, {"difficulty": ""})
        self.graduate_a.refresh_from_db()
        self.assertEqual(self.graduate_a.difficulty, "")

    def test_an_unknown_difficulty_is_refused(self):
        self.login(self.counsellor_a_user)
        url = reverse("careers:graduate_difficulty", args=[self.graduate_a.pk])
        self.client.post(url, {"difficulty": "rich"})
        self.graduate_a.refresh_from_db()
        self.assertEqual(self.graduate_a.difficulty, "")

    def test_the_counsellor_records_a_follow_up(self):
        self.login(self.counsellor_a_user)
        url = reverse("careers:follow_up", args=[self.graduate_a.pk])
        response = self.client.post(
            url, {"on": "2024-04-15", "note": "推荐太原银行柜员岗", "next_step": "周五面试"}
        )
        self.assertRedirects(response, self.graduate_a.get_absolute_url())
        item = FollowUp.objects.get()
        self.assertEqual((item.by, item.on), (self.counsellor_a, dt.date(2024, 4, 15)))
        self.assertContains(self.client.get(self.graduate_a.get_absolute_url()), "周五面试")

    def test_a_follow_up_in_the_future_is_refused_and_the_note_kept(self):
        self.login(self.counsellor_a_user)
        url = reverse("careers:follow_up", args=[self.graduate_a.pk])
        tomorrow = clock.today() + dt.timedelta(days=1)
        response = self.client.post(url, {"on": tomorrow.isoformat(), "note": "约好明天面谈"})
        self.assertContains(response, "A follow-up is recorded once it has happened.")
        self.assertContains(response, "约好明天面谈")
        self.assertFalse(FollowUp.objects.exists())

    def test_the_graduate_does_not_see_their_counsellors_notes(self):
        actions.follow_up(self.graduate_a, "家庭困难，重点帮扶", acting_user=self.counsellor_a_user)
        self.login(self.student)
        self.assertNotContains(self.client.get(self.graduate_a.get_absolute_url()), "重点帮扶")

    def test_only_the_counsellor_or_the_office_keeps_them(self):
        url = reverse("careers:follow_up", args=[self.graduate_a.pk])
        for user, status in (
            (self.office, 200),
            (self.leader, 403),
            (self.student, 403),
            (self.counsellor_b_user, 404),
        ):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(url).status_code, status)
