"""Going online, today's classes and the week, teaching classes, lessons
marked by their teacher, and the teaching office's approvals."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.accounts.models import Role, User
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.teaching import actions
from shouwang.teaching.models import Lesson, OnlineSwitch, TeachingClass
from shouwang.test import make_person, make_user

from .base import TeachingTestCase

TUESDAY = dt.date(2022, 4, 12)
MEETING = "https://meeting.tencent.com/dm/Xy12AbCd"
AT_NINE = beijing(2022, 4, 12, 9, 0)


class OnlineTestCase(TeachingTestCase):
    """数据库原理 online from 4月6日 on 腾讯会议, its teacher able to log in."""

    teacher_user: User

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.teacher_user = cls.teacher
        actions.go_online(
            term=cls.term,
            units=[cls.college],
            starts_on=dt.date(2022, 4, 6),
            acting_user=cls.leader,
        )
        cls.database_class.refresh_from_db()
        actions.set_platform(
            cls.database_class,
            platform="tencent_meeting",
            join_link=MEETING,
            acting_user=cls.teacher_user,
        )

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def lesson(self, day: dt.date = TUESDAY) -> Lesson:
        return self.database_class.lessons.get(date=day)


@freeze_time(AT_NINE)
class TodayTestCase(OnlineTestCase):
    url = reverse("teaching:today")

    def test_a_student_sees_the_lesson_with_its_times_and_one_tap_to_join(self):
        self.login(self.student)
        response = self.client.get(self.url)
        self.assertContains(response, "数据库原理")
        self.assertContains(response, "10:10–11:50")
        self.assertContains(response, 'data-testid="online"')
        self.assertContains(response, f'href="{MEETING}"')
        self.assertContains(response, "Join the class")

    def test_a_meeting_number_is_shown_large_with_its_platform(self):
        actions.set_lesson_link(
            self.lesson(), platform="dingtalk", join_link="123 456 789", acting_user=self.leader
        )
        self.login(self.student)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="meeting-number"')
        self.assertContains(response, "123 456 789")
        self.assertContains(response, "DingTalk")
        self.assertNotContains(response, 'data-testid="join"')

    def test_the_teacher_sees_their_lesson_too_with_a_button_to_mark_it(self):
        self.login(self.teacher_user)
        response = self.client.get(self.url)
        self.assertContains(response, f'href="{MEETING}"')
        self.assertContains(response, 'data-testid="mark"')

    def test_a_student_is_not_asked_to_mark(self):
        self.login(self.student)
        self.assertNotContains(self.client.get(self.url), 'data-testid="mark"')

    def test_a_cancelled_lesson_offers_nothing_to_join(self):
        actions.cancel_lesson(self.lesson(), reason="教师隔离", acting_user=self.teacher_user)
        self.login(self.student)
        response = self.client.get(self.url)
        self.assertContains(response, "cancelled")
        self.assertNotContains(response, 'data-testid="join"')

    def test_someone_with_no_class_sees_an_empty_day(self):
        self.login(self.volunteer)
        self.assertContains(self.client.get(self.url), "No classes today.")

    def test_the_queries_do_not_grow_with_the_lessons(self):
        self.login(self.student)
        self.client.get(self.url)
        # Session, user, lessons, periods, term, readiness, roles, inbox.
        with self.assertNumQueries(8) as few:
            self.client.get(self.url)
        for code in ("操作系统-01", "编译原理-01", "计算机网络-01"):
            other = TeachingClass.objects.create(
                term=self.term, code=code, course_code=code, course_name=code, unit=self.college
            )
            other.enrolments.create(student=self.student_a)
            Lesson.objects.create(
                teaching_class=other, date=TUESDAY, first_period=5, last_period=6, online=True
            )
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["rows"]), 4)


@freeze_time(AT_NINE)
class WeekTestCase(OnlineTestCase):
    url = reverse("teaching:week")

    def test_this_week_shows_tuesdays_lesson_under_its_day(self):
        self.login(self.student)
        response = self.client.get(self.url)
        self.assertContains(response, "Week 7")
        days = dict(response.context["days"])
        self.assertEqual([row.lesson.date for row in days[TUESDAY]], [TUESDAY])
        self.assertEqual(days[dt.date(2022, 4, 11)], [])

    def test_a_teaching_week_is_chosen_by_number(self):
        self.login(self.student)
        response = self.client.get(self.url, {"week": 6})
        # Week 6 is 清明's: its Tuesday, 4月5日, holds no lesson.
        self.assertEqual(response.context["monday"], dt.date(2022, 4, 4))
        self.assertFalse(any(rows for _, rows in response.context["days"]))

    def test_a_week_is_chosen_by_a_date_with_links_to_the_next_and_previous(self):
        self.login(self.teacher_user)
        response = self.client.get(self.url, {"date": "2022-04-20"})
        self.assertEqual(response.context["monday"], dt.date(2022, 4, 18))
        self.assertContains(response, "?date=2022-04-11")
        self.assertContains(response, "?date=2022-04-25")
        self.assertContains(response, "数据库原理")

    def test_nonsense_shows_this_week(self):
        self.login(self.student)
        response = self.client.get(self.url, {"week": "x", "date": "soon"})
        self.assertEqual(response.context["monday"], dt.date(2022, 4, 11))

    def test_the_queries_do_not_grow_with_the_lessons(self):
        self.login(self.student)
        self.client.get(self.url)
        with self.assertNumQueries(7) as few:
            self.client.get(self.url)
        other = TeachingClass.objects.create(
            term=self.term, code="操作系统-01", course_code="B2", course_name="操作系统"
        )
        other.enrolments.create(student=self.student_a)
        for day in range(11, 16):
            Lesson.objects.create(
                teaching_class=other, date=dt.date(2022, 4, day), first_period=1, last_period=2
            )
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(self.url)


@freeze_time(AT_NINE)
class HomeTestCase(OnlineTestCase):
    url = reverse("home:home")

    def test_a_student_with_a_lesson_today_sees_it_on_the_home_page(self):
        self.login(self.student)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="todays-classes"')
        self.assertContains(response, f'href="{MEETING}"')

    def test_nobody_without_a_lesson_today_sees_the_panel(self):
        self.login(self.volunteer)
        self.assertNotContains(self.client.get(self.url), 'data-testid="todays-classes"')
        with freeze_time(beijing(2022, 4, 13, 9, 0)):
            self.login(self.student)
            self.assertNotContains(self.client.get(self.url), 'data-testid="todays-classes"')


class ClassListTestCase(OnlineTestCase):
    url = reverse("teaching:class_list")

    @freeze_time(beijing(2022, 4, 20, 9, 0))
    def test_a_teacher_sees_their_class_with_delivered_against_planned_hours(self):
        for day in (dt.date(2022, 4, 12), dt.date(2022, 4, 19)):
            actions.mark_held(self.lesson(day), acting_user=self.teacher_user)
        self.login(self.teacher_user)
        response = self.client.get(self.url)
        self.assertContains(response, "数据库原理")
        self.assertContains(response, "4 of 32 hours")
        self.assertContains(response, "2 students")

    def test_a_student_sees_the_classes_they_attend_and_no_other(self):
        TeachingClass.objects.create(
            term=self.term, code="x-01", course_code="x", course_name="编译原理"
        )
        self.login(self.student)
        response = self.client.get(self.url)
        self.assertContains(response, "数据库原理")
        self.assertNotContains(response, "编译原理")

    def test_the_queries_do_not_grow_with_the_classes(self):
        self.login(self.leader)
        self.client.get(self.url)
        with self.assertNumQueries(7) as few:
            self.client.get(self.url)
        for n in range(5):
            TeachingClass.objects.create(
                term=self.term, code=f"c{n}", course_code="c", course_name="c", unit=self.college
            )
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(self.url)


class ClassDetailTestCase(OnlineTestCase):
    def url(self) -> str:
        return reverse("teaching:class_detail", args=[self.database_class.pk])

    @freeze_time(beijing(2022, 4, 20, 9, 0))
    def test_it_shows_planned_and_delivered_hours_and_what_happened_to_lessons(self):
        actions.mark_held(self.lesson(dt.date(2022, 4, 12)), acting_user=self.teacher_user)
        actions.cancel_lesson(
            self.lesson(dt.date(2022, 4, 19)), reason="停电", acting_user=self.teacher_user
        )
        actions.move_lesson(
            self.lesson(dt.date(2022, 4, 26)),
            date=dt.date(2022, 4, 27),
            first_period=1,
            last_period=2,
            reason="调课",
            acting_user=self.teacher_user,
        )
        self.login(self.teacher_user)
        response = self.client.get(self.url())
        delivery = response.context["delivery"]
        self.assertEqual(delivery["planned_hours"], 32)
        self.assertEqual(delivery["delivered_hours"], 2)
        self.assertEqual(
            (delivery["held"], delivery["cancelled"], delivery["moved"], delivery["scheduled"]),
            (1, 1, 1, 13),
        )
        self.assertContains(response, MEETING)
        self.assertContains(response, "李明")
        self.assertContains(response, 'data-testid="set-platform"')

    def test_a_student_sees_the_class_but_cannot_change_it(self):
        self.login(self.student)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'data-testid="set-platform"')


class ClassPlatformTestCase(OnlineTestCase):
    def url(self) -> str:
        return reverse("teaching:class_platform", args=[self.database_class.pk])

    def test_the_teacher_sets_a_meeting_number_for_every_lesson(self):
        self.login(self.teacher_user)
        response = self.client.post(
            self.url(), {"platform": "dingtalk", "join_link": "987 654 321 密码 1234"}
        )
        self.assertRedirects(response, self.database_class.get_absolute_url())
        self.database_class.refresh_from_db()
        self.assertEqual(self.database_class.platform, "dingtalk")
        self.assertEqual(self.lesson().join_text, "987 654 321 密码 1234")

    def test_a_broken_link_is_refused(self):
        self.login(self.teacher_user)
        response = self.client.post(
            self.url(), {"platform": "other", "join_link": "javascript://alert(1)"}
        )
        self.assertContains(response, "A link starts with https://")
        self.database_class.refresh_from_db()
        self.assertEqual(self.database_class.join_link, MEETING)

    def test_a_student_of_the_class_may_not_and_another_teacher_does_not_find_it(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        stranger = make_user(make_person("T1099", "路人", "teacher", unit=self.college))
        self.login(stranger)
        self.assertEqual(self.client.post(self.url(), {"platform": "other"}).status_code, 404)


@override_settings(TEACHING_CHANGES_NEED_APPROVAL=True)
@freeze_time(AT_NINE)
class LessonMarkingTestCase(OnlineTestCase):
    def post(self, name: str, data: dict, lesson: Lesson | None = None):
        lesson = lesson or self.lesson()
        self.login(self.teacher_user)
        return self.client.post(reverse(f"teaching:{name}", args=[lesson.pk]), data)

    def test_the_lesson_page_offers_its_teacher_the_marking_forms(self):
        self.login(self.teacher_user)
        response = self.client.get(self.lesson().get_absolute_url())
        for testid in ("held", "move", "cancel", "link"):
            self.assertContains(response, f'data-testid="{testid}"')

    def test_its_student_sees_the_lesson_without_the_forms(self):
        self.login(self.student)
        response = self.client.get(self.lesson().get_absolute_url())
        self.assertContains(response, f'href="{MEETING}"')
        self.assertNotContains(response, 'data-testid="held"')

    def test_the_teacher_marks_it_held_on_another_platform(self):
        response = self.post("lesson_held", {"held-platform": "dingtalk"})
        lesson = self.lesson()
        self.assertRedirects(response, lesson.get_absolute_url())
        self.assertEqual((lesson.status, lesson.platform), (Lesson.Status.HELD, "dingtalk"))
        self.assertEqual(lesson.marked_by, self.teacher_user)

    def test_a_lesson_to_come_cannot_be_held_and_the_form_says_why(self):
        response = self.post("lesson_held", {}, self.lesson(dt.date(2022, 4, 19)))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "cannot be marked held before its day")
        self.assertEqual(self.lesson(dt.date(2022, 4, 19)).status, Lesson.Status.SCHEDULED)

    def test_the_teacher_moves_it_and_it_waits_for_the_teaching_office(self):
        data = {
            "move-date": "2022-04-14",
            "move-first_period": "5",
            "move-last_period": "6",
            "move-reason": "网络故障",
        }
        self.post("lesson_move", data)
        lesson = Lesson.objects.get(planned_date=TUESDAY, teaching_class=self.database_class)
        self.assertEqual((lesson.date, lesson.first_period), (dt.date(2022, 4, 14), 5))
        self.assertEqual(lesson.approval, Lesson.Approval.PENDING)
        self.assertTrue(lesson.is_moved)

    def test_periods_in_the_wrong_order_are_refused(self):
        data = {
            "move-date": "2022-04-14",
            "move-first_period": "6",
            "move-last_period": "5",
            "move-reason": "x",
        }
        response = self.post("lesson_move", data)
        self.assertContains(response, "The last period comes before the first.")

    def test_cancelled_with_a_makeup_at_once(self):
        data = {
            "cancel-reason": "教师隔离",
            "cancel-makeup_date": "2022-04-16",
            "cancel-makeup_first": "1",
            "cancel-makeup_last": "2",
        }
        self.post("lesson_cancel", data)
        lesson = self.lesson()
        self.assertEqual(lesson.status, Lesson.Status.CANCELLED)
        self.assertEqual(lesson.makeup.date, dt.date(2022, 4, 16))
        self.assertTrue(lesson.makeup.online)

    def test_a_half_given_makeup_is_refused(self):
        response = self.post(
            "lesson_cancel", {"cancel-reason": "x", "cancel-makeup_date": "2022-04-16"}
        )
        self.assertContains(response, "or none of them")
        self.assertEqual(self.lesson().status, Lesson.Status.SCHEDULED)

    def test_cancelled_now_and_made_up_later(self):
        self.post("lesson_cancel", {"cancel-reason": "停电"})
        self.login(self.teacher_user)
        page = self.client.get(self.lesson().get_absolute_url())
        self.assertContains(page, 'data-testid="makeup-form"')
        data = {"makeup-date": "2022-04-23", "makeup-first_period": "3", "makeup-last_period": "4"}
        self.post("lesson_makeup", data)
        self.assertEqual(self.lesson().makeup.date, dt.date(2022, 4, 23))
        again = self.post("lesson_makeup", data)
        self.assertContains(again, "already scheduled")

    def test_a_lesson_gets_its_own_link(self):
        self.post("lesson_link", {"link-platform": "dingtalk", "link-join_link": "555 666"})
        lesson = self.lesson()
        self.assertEqual(
            (lesson.joins_on, lesson.join_text, lesson.join_url), ("dingtalk", "555 666", "")
        )
        other = self.lesson(dt.date(2022, 4, 19))
        self.assertEqual(other.join_url, MEETING)

    def test_a_student_of_the_class_may_not_mark_and_another_teacher_does_not_find_it(self):
        url = reverse("teaching:lesson_held", args=[self.lesson().pk])
        self.login(self.student)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login(make_user(make_person("T1099", "路人", "teacher", unit=self.college)))
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertEqual(self.lesson().status, Lesson.Status.SCHEDULED)


@override_settings(TEACHING_CHANGES_NEED_APPROVAL=True)
@freeze_time(AT_NINE)
class ApprovalsTestCase(OnlineTestCase):
    url = reverse("teaching:approvals")
    office: User

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office = make_user(make_person("T1200", "教务员", "teacher", unit=cls.college))
        cls.office.grant(Role.TEACHING_OFFICE)

    def setUp(self):
        super().setUp()
        with self.settings(TEACHING_CHANGES_NEED_APPROVAL=True):
            actions.cancel_lesson(self.lesson(), reason="教师隔离", acting_user=self.teacher_user)

    def test_the_teaching_office_sees_the_pending_change_and_approves_it(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertContains(response, "教师隔离")
        decide = reverse("teaching:approval_decide", args=[self.lesson().pk])
        self.assertRedirects(self.client.post(decide, {"decision": "approve"}), self.url)
        self.assertEqual(self.lesson().approval, Lesson.Approval.APPROVED)
        self.assertNotContains(self.client.get(self.url), "教师隔离")

    def test_a_rejected_cancellation_puts_the_lesson_back(self):
        self.login(self.leader)
        decide = reverse("teaching:approval_decide", args=[self.lesson().pk])
        self.client.post(decide, {"decision": "reject"})
        self.assertEqual(self.lesson().status, Lesson.Status.SCHEDULED)
        again = self.client.post(decide, {"decision": "approve"}, follow=True)
        self.assertContains(again, "not waiting for a decision")

    def test_the_teacher_may_not_decide_their_own(self):
        self.login(self.teacher_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        decide = reverse("teaching:approval_decide", args=[self.lesson().pk])
        self.assertEqual(self.client.post(decide, {"decision": "approve"}).status_code, 403)

    def test_the_queries_do_not_grow_with_the_pending_lessons(self):
        self.login(self.office)
        self.client.get(self.url)
        with self.assertNumQueries(8) as few:
            self.client.get(self.url)
        with self.settings(TEACHING_CHANGES_NEED_APPROVAL=True):
            for day in (dt.date(2022, 4, 19), dt.date(2022, 4, 26)):
                actions.cancel_lesson(
                    self.lesson(day), reason="停电", acting_user=self.teacher_user
                )
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(self.url)


@freeze_time(AT_NINE)
class GoOnlineTestCase(TeachingTestCase):
    url = reverse("teaching:go_online")

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_a_leader_moves_their_college_online_tied_to_an_incident(self):
        incident = Incident.objects.create(title="太原疫情", started_at=beijing(2022, 4, 1, 8, 0))
        incident.units.set([self.college])
        self.login(self.leader)
        page = self.client.get(self.url)
        self.assertContains(page, "信息学院")
        self.assertEqual(page.context["form"]["term"].value(), self.term.pk)
        response = self.client.post(
            self.url,
            {
                "term": self.term.pk,
                "units": [self.college.pk],
                "starts_on": "2022-04-06",
                "incident": incident.pk,
            },
        )
        self.assertRedirects(response, self.url)
        self.database_class.refresh_from_db()
        self.assertEqual(self.database_class.online_from, dt.date(2022, 4, 6))
        self.assertTrue(self.database_class.lessons.get(date=TUESDAY).online)
        switch = OnlineSwitch.objects.get()
        self.assertEqual(switch.incident, incident)
        self.assertContains(self.client.get(self.url), "太原疫情")

    def test_a_leader_cannot_choose_a_unit_they_do_not_oversee(self):
        self.create_other_college()
        self.login(self.leader)
        response = self.client.post(
            self.url,
            {"term": self.term.pk, "units": [self.college_b.pk], "starts_on": "2022-04-06"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(OnlineSwitch.objects.exists())

    def test_the_teaching_office_may_too_but_not_with_another_colleges_incident(self):
        self.create_other_college()
        elsewhere = Incident.objects.create(title="会计学院封控")
        elsewhere.units.set([self.college_b])
        office = make_user(make_person("T1200", "教务员", "teacher", unit=self.college))
        office.grant(Role.TEACHING_OFFICE)
        self.login(office)
        response = self.client.get(self.url)
        self.assertContains(response, "信息学院")
        self.assertNotContains(response, "会计学院")

    def test_a_teacher_may_not(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)


class AdminSeesEveryClassTestCase(OnlineTestCase):
    def test_an_admin_runs_a_class_they_do_not_teach(self):
        self.login(self.admin)
        url = reverse("teaching:class_platform", args=[self.database_class.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
