"""The counsellor's morning page: their own classes only, who is missing and
why, who is abnormal, isolated, asking for help, absent or seeking work, and
one tap to remind all who are missing, at most once per reminder slot."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.accounts.models import Role
from shouwang.checkins.tasks import send_due_reminders
from shouwang.checkins.tests.base import TODAY, YESTERDAY, check_in
from shouwang.core.models import LogEntry
from shouwang.lib.clock import beijing
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message
from shouwang.people.models import AdminClass, Person
from shouwang.screening.models import Flag
from shouwang.teaching.models import Readiness
from shouwang.test import make_person, make_user

from . import morning_data as data
from .base import IncidentHomeTestCase, read_form

URL = reverse("home:morning")
REMIND = reverse("home:morning_remind")
MONDAY = TODAY - dt.timedelta(days=1)


class MorningTestCase(IncidentHomeTestCase):
    """Class A (赵璞): 张三 checked in yesterday; 钱一 isolated; 孙二 on sick
    leave; 李三 without a device; 周四 silent since April 9 with no login; 吴五
    checked in with a fever. Class B (钱老师): 李四 missing, 王五 feverish."""

    def setUp(self):
        super().setUp()
        data.meal_slots()
        a = self.class_a
        self.qian = make_person("2020011", "钱一", admin_class=a, unit=self.college)
        self.sun = make_person("2020012", "孙二", admin_class=a, unit=self.college)
        self.li = make_person("2020013", "李三", admin_class=a, unit=self.college)
        self.zhou = make_person("2020014", "周四", admin_class=a, unit=self.college)
        self.wu = make_person("2020015", "吴五", admin_class=a, unit=self.college)
        check_in(self.student_a, self.incident, YESTERDAY)
        check_in(self.li, self.incident, YESTERDAY)
        check_in(self.zhou, self.incident, dt.date(2022, 4, 9))
        check_in(
            self.wu, self.incident, symptoms=["cough"], temperature=Decimal("38.1"), note="头疼"
        )
        check_in(self.volunteer_person, self.incident, temperature=Decimal("38.5"))
        data.isolate(self.qian, self.counsellor_a_user, "101")
        data.approved_leave(self.sun, make_user(self.sun), self.counsellor_a_user)
        Readiness.objects.create(person=self.li, no_device=True)
        self.overdue = data.ask_for_help(self.student_a, self.student, hours_ago=30)
        self.fresh = data.ask_for_help(self.wu, make_user(self.wu))
        data.ask_for_help(self.student_b, self.student_b_user)
        data.absent_twice([self.student_a, self.student_b], MONDAY)
        data.graduate(self.wu)
        data.graduate(self.qian, placed=True)
        data.graduate(self.student_b)
        # 张三 logged in an hour ago: silent today, but not unreachable.
        type(self.student).objects.filter(pk=self.student.pk).update(
            last_login=beijing(2022, 4, 12, 8, 0)
        )

    def page(self, user=None):
        self.login(user or self.counsellor_a_user)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        return response

    def row(self, response, section: str, person: Person) -> Any:
        rows = {row.person.pk: row for row in getattr(response.context["page"], section)}
        self.assertIn(person.pk, rows, f"{person.name} is not in {section}")
        return rows[person.pk]


class MissingTests(MorningTestCase):
    def test_it_counts_and_lists_who_has_not_checked_in(self):
        response = self.page()
        page = response.context["page"]
        self.assertEqual((page.expected, page.reported), (6, 1))
        self.assertEqual(
            [row.person.name for row in page.missing], ["张三", "钱一", "孙二", "李三", "周四"]
        )
        self.assertContains(response, "5 missing")

    def test_each_is_shown_with_class_and_last_checkin(self):
        response = self.page()
        self.assertEqual(
            self.row(response, "missing", self.zhou).person.last_checkin, dt.date(2022, 4, 9)
        )
        self.assertIsNone(self.row(response, "missing", self.qian).person.last_checkin)
        html = response.content.decode()
        zhou = html[html.index(f'data-person="{self.zhou.pk}"') :]
        self.assertIn("计科2001", zhou[:600])
        self.assertIn("April 9", zhou[:600])

    def test_it_gives_the_known_reason(self):
        response = self.page()
        reasons = {
            person.name: self.row(response, "missing", person).reasons
            for person in (self.student_a, self.qian, self.sun, self.li, self.zhou)
        }
        self.assertEqual(reasons["张三"], [])
        self.assertEqual(reasons["钱一"][0], "in isolation")
        self.assertTrue(reasons["孙二"][0].startswith("on approved leave: 病假, until"))
        self.assertEqual(reasons["李三"], ["no device"])
        self.assertEqual(reasons["周四"], ["unreachable: no check-in and no login for two days"])

    def test_a_login_today_means_reachable(self):
        user = make_user(self.zhou)
        type(user).objects.filter(pk=user.pk).update(last_login=beijing(2022, 4, 11, 20, 0))
        self.assertEqual(self.row(self.page(), "missing", self.zhou).reasons, [])

    def test_each_line_leads_to_the_person(self):
        response = self.page()
        for person in (self.student_a, self.qian, self.zhou, self.wu):
            self.assertContains(
                response, f'href="{reverse("people:person_detail", args=[person.pk])}"'
            )
        self.assertEqual(
            self.client.get(reverse("people:person_detail", args=[self.zhou.pk])).status_code, 200
        )


class AbnormalTests(MorningTestCase):
    def test_it_shows_who_is_abnormal_today_with_the_values(self):
        response = self.page()
        row = self.row(response, "abnormal", self.wu)
        self.assertEqual(row.values, ["38.1 °C", "cough"])
        self.assertContains(response, "38.1 °C")
        self.assertContains(response, "头疼")
        self.assertEqual(len(response.context["page"].abnormal), 1)

    def test_a_flag_the_values_do_not_show_is_named(self):
        Flag.objects.create(
            person=self.wu, incident=self.incident, date=TODAY, reason=Flag.Reason.RISK_REGION
        )
        row = self.row(self.page(), "abnormal", self.wu)
        self.assertEqual(row.values, ["38.1 °C", "cough", "off campus in a risky region"])


class RestOfTheMorningTests(MorningTestCase):
    def test_it_shows_the_isolated_with_todays_meals(self):
        response = self.page()
        isolation = self.row(response, "isolated", self.qian)
        self.assertEqual(
            [meal.slot.name for meal in isolation.todays_meals], ["早餐", "午餐", "晚餐"]
        )
        self.assertContains(response, "C-101")

    def test_it_lists_open_help_requests_the_overdue_first(self):
        response = self.page()
        requests = response.context["page"].help_requests
        self.assertEqual([item.pk for item in requests], [self.overdue.pk, self.fresh.pk])
        self.assertEqual([item.overdue for item in requests], [True, False])
        self.assertContains(response, 'data-testid="overdue"', count=1)

    def test_it_lists_the_students_absent_twice_this_week(self):
        absentees = self.page().context["page"].absentees
        self.assertEqual([entry.student.name for entry in absentees], ["张三"])
        self.assertEqual(len(absentees[0].lessons), 2)

    def test_it_lists_the_graduates_still_seeking_work(self):
        page = self.page().context["page"]
        self.assertEqual([graduate.person.name for graduate in page.seeking], ["吴五"])
        self.assertEqual(page.seeking_count, 1)

    def test_without_an_incident_the_rest_is_still_shown(self):
        self.incident.closed_at = beijing(2022, 4, 11, 18, 0)
        self.incident.save(update_fields=["closed_at"])
        response = self.page()
        self.assertContains(response, 'data-testid="no-incident"')
        self.assertNotContains(response, 'data-testid="missing"')
        self.assertContains(response, 'data-testid="isolated"')
        self.assertContains(response, 'data-testid="help-requests"')

    def test_sections_with_nothing_in_them_are_not_shown(self):
        counsellor = make_person("T1009", "孙老师", Person.Kind.TEACHER, unit=self.college)
        quiet = AdminClass.objects.create(name="计科2003", unit=self.college, counsellor=counsellor)
        check_in(make_person("2020301", "刘一", admin_class=quiet), self.incident)
        self.login(make_user(counsellor))
        response = self.client.get(URL)
        self.assertContains(response, "Everyone has checked in.")
        self.assertContains(response, "No one reported anything abnormal today.")
        for section in ("isolated", "help-requests", "absentees", "seeking", "remind-all"):
            self.assertNotContains(response, f'data-testid="{section}"')


class ScopeTests(MorningTestCase):
    def test_counsellor_b_sees_none_of_counsellor_as_students(self):
        response = self.page(self.counsellor_b_user)
        page = response.context["page"]
        self.assertEqual([row.person.name for row in page.missing], ["李四"])
        self.assertEqual([row.person.name for row in page.abnormal], ["王五"])
        self.assertEqual(page.isolated, [])
        self.assertEqual([item.requester.name for item in page.help_requests], ["李四"])
        self.assertEqual([entry.student.name for entry in page.absentees], ["李四"])
        self.assertEqual([graduate.person.name for graduate in page.seeking], ["李四"])
        for name in ("张三", "钱一", "孙二", "李三", "周四", "吴五", "计科2001"):
            self.assertNotContains(response, name)
        # And their pages are out of reach.
        self.assertEqual(
            self.client.get(reverse("people:person_detail", args=[self.student_a.pk])).status_code,
            404,
        )

    def test_a_leader_who_counsels_a_class_sees_that_class_only(self):
        self.counsellor_b_user.grant(Role.LEADER)
        page = self.page(self.counsellor_b_user).context["page"]
        self.assertEqual([row.person.name for row in page.missing], ["李四"])

    def test_anyone_who_counsels_no_class_gets_403(self):
        for user in (self.student, self.volunteer, self.teacher, self.leader, self.admin):
            self.login(user)
            self.assertEqual(self.client.get(URL).status_code, 403, user)
            self.assertEqual(self.client.post(REMIND, {"slot": "x"}).status_code, 403, user)
        self.assertFalse(Message.objects.filter(kind=REMINDER).exists())

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        self.assertRedirects(self.client.get(URL), f"{reverse('accounts:login')}?next={URL}")

    def test_opening_it_is_recorded(self):
        self.page()
        entry = LogEntry.objects.get(kind="home.morning_viewed")
        self.assertEqual(entry.actor_id, self.counsellor_a_user.pk)
        self.assertEqual(entry.additional_data["missing"], 5)

    def test_the_counsellors_home_leads_to_it(self):
        self.login(self.counsellor_a_user)
        self.assertContains(self.client.get(reverse("home:home")), f'href="{URL}"')
        self.login(self.student)
        self.assertNotContains(self.client.get(reverse("home:home")), f'href="{URL}"')


class RemindAllTests(MorningTestCase):
    def reminded(self) -> list[str]:
        messages = Message.objects.filter(kind=REMINDER).order_by("recipient__number")
        return list(messages.values_list("recipient__name", flat=True))

    def tap(self, page=None):
        action, fields = read_form(page or self.page(), "remind-form")
        return self.client.post(action, fields, follow=True)

    def test_one_tap_reminds_every_missing_student_of_the_counsellors_classes(self):
        response = self.tap()
        self.assertRedirects(response, URL)
        self.assertContains(response, "5 students reminded.")
        self.assertEqual(self.reminded(), ["张三", "钱一", "孙二", "李三", "周四"])
        message = Message.objects.get(recipient=self.zhou)
        self.assertEqual(message.link, reverse("checkins:today"))
        self.assertEqual(
            message.key, f"reminder:{self.incident.pk}:2022-04-12:09:30:{self.zhou.pk}"
        )
        entry = LogEntry.objects.get(kind="checkins.reminded")
        self.assertEqual(
            (entry.additional_data["sent"], entry.additional_data["slot"]), (5, "2022-04-12:09:30")
        )

    def test_the_page_says_when_and_how_many_and_a_second_tap_sends_nothing(self):
        response = self.tap()
        self.assertContains(response, "Reminded 5 students (the last at 09:00) in this slot.")
        self.assertContains(response, 'data-testid="remind-all-done"')
        self.assertContains(response, "The next slot opens at 10:00.")
        # The page's button is gone; the same post again reminds no one twice.
        slot = response.context["page"].reminder.slot.key_prefix
        again = self.client.post(REMIND, {"slot": slot}, follow=True)
        self.assertContains(again, "Everyone missing has already been reminded in this slot.")
        self.assertEqual(Message.objects.filter(kind=REMINDER).count(), 5)

    def test_the_scheduled_reminder_of_the_slot_does_not_remind_them_again(self):
        self.tap()
        tapped = set(Message.objects.values_list("pk", flat=True))
        with freeze_time(beijing(2022, 4, 12, 9, 30, 30)):
            send_due_reminders.call()
        scheduled = Message.objects.exclude(pk__in=tapped)
        # The job reminds everyone else still missing (李四, and the staff),
        # and nobody of class A, whom the counsellor's tap reminded in its slot.
        self.assertIn(self.student_b.pk, scheduled.values_list("recipient_id", flat=True))
        self.assertFalse(scheduled.filter(recipient__admin_class=self.class_a).exists())
        self.assertEqual(Message.objects.filter(recipient=self.student_a).count(), 1)

    def test_after_the_scheduled_reminder_the_tap_reaches_only_the_newly_missing(self):
        with freeze_time(beijing(2022, 4, 12, 9, 30, 30)):
            send_due_reminders.call()
            response = self.page()
            self.assertContains(response, "Reminded 5 students (the last at 09:30) in this slot.")
            self.assertNotContains(response, 'data-testid="remind-all"')

    @override_settings(LANGUAGE_CODE="en")
    def test_the_next_slot_reminds_those_still_missing_again(self):
        self.tap()
        check_in(self.student_a, self.incident)
        with freeze_time(beijing(2022, 4, 12, 10, 5)):
            response = self.tap()
            self.assertContains(response, "4 students reminded.")
        self.assertEqual(Message.objects.filter(recipient=self.zhou).count(), 2)
        self.assertEqual(Message.objects.filter(recipient=self.student_a).count(), 1)
        late = Message.objects.filter(recipient=self.zhou).latest("pk")
        self.assertIn("has passed", late.body)

    def test_a_page_left_open_past_its_slot_sends_nothing(self):
        page = self.page()
        with freeze_time(beijing(2022, 4, 12, 10, 1)):
            response = self.tap(page)
        self.assertContains(response, "The reminder slot has changed since the page was opened")
        self.assertFalse(Message.objects.filter(kind=REMINDER).exists())

    def test_counsellor_b_reminds_only_class_b(self):
        self.login(self.counsellor_b_user)
        self.tap(self.client.get(URL))
        self.assertEqual(self.reminded(), ["李四"])


class QueryCountTests(IncidentHomeTestCase):
    """Everything the page shows, for a class of two and a class of twenty."""

    def populate(self, groups: int) -> None:
        data.meal_slots()
        missing, absent = [], []
        for n in range(groups):
            number = f"{Person.objects.count():07d}"
            people = [
                make_person(
                    f"Q{number}{k}", f"学生{n}{k}", admin_class=self.class_a, unit=self.college
                )
                for k in range(2)
            ]
            silent, unwell = people
            check_in(unwell, self.incident, temperature=Decimal("38.0"), symptoms=["fever"])
            data.isolate(silent, self.counsellor_a_user, f"{n}")
            data.ask_for_help(unwell, make_user(unwell), hours_ago=30)
            data.graduate(unwell)
            Readiness.objects.create(person=silent, no_device=True)
            missing.append(silent)
            absent.append(unwell)
        data.absent_twice(absent, MONDAY)

    def count(self) -> int:
        self.login(self.counsellor_a_user)
        self.client.get(URL)  # the session and the caches settled
        with CaptureQueriesContext(connection) as queries:
            self.client.get(URL)
        return len(queries)

    def test_the_page_takes_as_many_queries_for_twenty_students_as_for_two(self):
        self.populate(1)
        small = self.count()
        self.assertLessEqual(small, 25)
        self.populate(9)
        with self.assertNumQueries(small):
            response = self.client.get(URL)
        page = response.context["page"]
        self.assertEqual(len(page.isolated), 10)
        self.assertEqual(len(page.abnormal), 10)
        self.assertEqual(len(page.absentees), 10)
