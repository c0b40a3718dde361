"""The terms and their school calendar (校历): holidays and swapped working days."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import translation

from shouwang.accounts.models import Role, User
from shouwang.core.calendar import is_working_day
from shouwang.core.models import CalendarDay, LogEntry
from shouwang.teaching.audit import TeachingEvent
from shouwang.teaching.models import Term
from shouwang.test import make_person, make_user

from .base import QINGMING, SWAPPED, TeachingTestCase


class TermPagesTestCase(TeachingTestCase):
    office: User

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office = make_user(make_person("S0200", "郑教务", "staff", unit=cls.college))
        cls.office.grant(Role.TEACHING_OFFICE)

    def setUp(self):
        super().setUp()
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def audit_entries(self):
        return LogEntry.objects.filter(kind=TeachingEvent.TERM_SAVED.value)


class TermListTestCase(TermPagesTestCase):
    url = reverse("teaching:term_list")

    def test_the_teaching_office_sees_every_term_with_its_dates(self):
        Term.objects.create(name="2021-2022-1", first_monday=dt.date(2021, 8, 30), weeks=18)
        self.login(self.office)
        with self.assertNumQueries(5):
            response = self.client.get(self.url)
        self.assertContains(response, "2021-2022-2")
        self.assertContains(response, "2022-02-28 – 2022-07-03")
        self.assertContains(response, "2021-2022-1")

    def test_others_are_refused_and_anonymous_visitors_sent_to_log_in(self):
        for user in (self.student, self.counsellor_a_user, self.volunteer):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertRedirects(
            self.client.get(self.url), f"{reverse('accounts:login')}?next={self.url}"
        )


class TermNewTestCase(TermPagesTestCase):
    url = reverse("teaching:term_new")

    def test_a_term_is_created_and_the_log_says_so(self):
        self.login(self.office)
        response = self.client.post(
            self.url, {"name": "2022-2023-1", "first_monday": "2022-08-29", "weeks": "18"}
        )
        term = Term.objects.get(name="2022-2023-1")
        self.assertRedirects(response, reverse("teaching:term_edit", args=[term.pk]))
        self.assertEqual(
            (term.first_monday, term.last_day), (dt.date(2022, 8, 29), dt.date(2023, 1, 1))
        )
        entry = self.audit_entries().get()
        self.assertEqual(entry.actor, self.office)

    def test_a_term_starts_on_a_monday(self):
        self.login(self.leader)
        response = self.client.post(
            self.url, {"name": "2022-2023-1", "first_monday": "2022-08-30", "weeks": "18"}
        )
        self.assertContains(response, "A term starts on a Monday.")
        self.assertFalse(Term.objects.filter(name="2022-2023-1").exists())

    def test_a_name_is_used_once(self):
        self.login(self.leader)
        response = self.client.post(
            self.url, {"name": "2021-2022-2", "first_monday": "2022-08-29", "weeks": "18"}
        )
        self.assertContains(response, "already exists")


class TermEditTestCase(TermPagesTestCase):
    def url(self):
        return reverse("teaching:term_edit", args=[self.term.pk])

    def test_the_page_lists_the_terms_holidays_and_swapped_working_days(self):
        self.login(self.office)
        response = self.client.get(self.url())
        self.assertContains(response, "2022-04-04 Mon · 清明节")
        self.assertContains(response, "2022-04-24 Sun · 调休")
        self.assertContains(response, "working day (swapped)")
        self.assertContains(response, 'value="2021-2022-2"')

    def test_the_weeks_are_changed(self):
        self.login(self.office)
        response = self.client.post(
            self.url(), {"name": "2021-2022-2", "first_monday": "2022-02-28", "weeks": "20"}
        )
        self.assertRedirects(response, self.url())
        self.term.refresh_from_db()
        self.assertEqual(self.term.weeks, 20)
        self.assertEqual(self.audit_entries().get().additional_data["weeks"], 20)

    def test_an_unknown_term_is_not_found(self):
        self.login(self.admin)
        self.assertEqual(
            self.client.get(reverse("teaching:term_edit", args=[self.term.pk + 99])).status_code,
            404,
        )


class CalendarDayTestCase(TermPagesTestCase):
    def add_url(self):
        return reverse("teaching:calendar_day_new", args=[self.term.pk])

    def test_a_holiday_is_added_and_is_no_working_day(self):
        self.login(self.office)
        response = self.client.post(
            self.add_url(), {"date": "2022-05-02", "kind": "holiday", "name": "劳动节"}
        )
        self.assertRedirects(response, reverse("teaching:term_edit", args=[self.term.pk]))
        self.assertFalse(is_working_day(dt.date(2022, 5, 2)))
        self.assertEqual(
            self.audit_entries().get().additional_data["calendar_day_added"], "2022-05-02"
        )

    def test_a_swapped_working_day_falls_on_a_weekend(self):
        self.login(self.office)
        response = self.client.post(
            self.add_url(), {"date": "2022-05-06", "kind": "working_day", "name": "调休"}
        )
        self.assertContains(response, "A swapped working day (调休) falls on a weekend.")
        self.client.post(
            self.add_url(), {"date": "2022-05-07", "kind": "working_day", "name": "调休"}
        )
        self.assertTrue(is_working_day(dt.date(2022, 5, 7)))

    def test_a_day_outside_the_term_or_already_listed_is_refused(self):
        self.login(self.office)
        response = self.client.post(
            self.add_url(), {"date": "2022-08-01", "kind": "holiday", "name": "暑假"}
        )
        self.assertContains(response, "The day is not in the term")
        response = self.client.post(
            self.add_url(), {"date": QINGMING[0].isoformat(), "kind": "holiday", "name": "清明节"}
        )
        self.assertContains(response, "already exists")

    def test_the_form_page_opens_on_its_own(self):
        self.login(self.office)
        self.assertContains(self.client.get(self.add_url()), 'type="date"')

    def test_a_day_is_removed_and_is_again_what_its_weekday_says(self):
        self.login(self.office)
        day = CalendarDay.objects.get(date=SWAPPED)
        url = reverse("teaching:calendar_day_delete", args=[self.term.pk, day.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url)
        self.assertRedirects(response, reverse("teaching:term_edit", args=[self.term.pk]))
        self.assertFalse(is_working_day(SWAPPED))
        self.assertEqual(
            self.audit_entries().get().additional_data["calendar_day_removed"], "2022-04-24"
        )

    def test_a_day_of_another_term_is_not_removed_through_this_one(self):
        other = Term.objects.create(name="2022-2023-1", first_monday=dt.date(2022, 8, 29), weeks=18)
        day = CalendarDay.objects.get(date=SWAPPED)
        self.login(self.office)
        url = reverse("teaching:calendar_day_delete", args=[other.pk, day.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(CalendarDay.objects.filter(pk=day.pk).exists())

    def test_a_student_may_not_change_the_calendar(self):
        day = CalendarDay.objects.get(date=SWAPPED)
        self.login(self.student)
        url = reverse("teaching:calendar_day_delete", args=[self.term.pk, day.pk])
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertEqual(self.client.post(self.add_url(), {}).status_code, 403)
