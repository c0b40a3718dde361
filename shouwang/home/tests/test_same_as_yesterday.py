"""On an unchanged day the student's home page holds yesterday's answers and
one button: one tap from home to the check-in's receipt, through the check-in
page's own validation, audit and idempotency."""

import datetime as dt

from django.urls import reverse

from shouwang.checkins.models import CheckIn
from shouwang.checkins.tests.base import TODAY, YESTERDAY, check_in
from shouwang.core.models import LogEntry

from .base import IncidentHomeTestCase, read_form

HOME = reverse("home:home")
CHECKIN = reverse("checkins:today")


class OneTapTestCase(IncidentHomeTestCase):
    def setUp(self):
        super().setUp()
        self.accept_notice(self.student_a)
        self.login(self.student)
        self.yesterday = check_in(
            self.student_a,
            self.incident,
            YESTERDAY,
            location="home",
            province="14",
            city="1407",
            symptoms=["cough"],
            temperature="36.9",
            stayed_in_risk_area=True,
            note="在家隔离第三天",
        )

    def tap(self, home=None):
        action, data = read_form(home or self.client.get(HOME), "same-form")
        return self.client.post(action, data, follow=True)

    def test_the_home_page_shows_yesterdays_answers_and_one_button(self):
        response = self.client.get(HOME)
        self.assertContains(response, 'data-testid="submit-same"')
        self.assertContains(response, "Same as yesterday: submit")
        self.assertContains(response, "山西省 晋中市")
        self.assertContains(response, "在家隔离第三天")
        # A temperature is a reading of today: yesterday's is neither shown nor carried.
        self.assertNotContains(response, "36.9")
        self.assertContains(response, 'href="/checkin/?show=yesterday"')

    def test_one_tap_records_yesterdays_answers_for_today_and_shows_the_receipt(self):
        response = self.tap()
        self.assertRedirects(response, CHECKIN)
        self.assertContains(response, 'data-testid="receipt"')
        today = CheckIn.objects.get(person=self.student_a, date=TODAY)
        self.assertEqual(
            (today.location, today.province, today.city, today.symptoms, today.note),
            ("home", "14", "1407", ["cough"], "在家隔离第三天"),
        )
        self.assertTrue(today.stayed_in_risk_area)
        self.assertFalse(today.contact_with_case)
        self.assertIsNone(today.temperature)
        self.assertFalse(today.late)
        entry = LogEntry.objects.get_for_object(today).get()
        self.assertEqual(entry.kind, "checkins.submitted")
        self.assertTrue(entry.additional_data["same_as_yesterday"])

    def test_a_double_tap_records_one_checkin_once(self):
        home = self.client.get(HOME)
        self.tap(home)
        self.tap(home)
        today = CheckIn.objects.get(person=self.student_a, date=TODAY)
        self.assertEqual(LogEntry.objects.get_for_object(today).count(), 1)

    def test_a_home_page_left_open_updates_the_checkin_made_since(self):
        home = self.client.get(HOME)
        check_in(self.student_a, self.incident, TODAY, temperature="38.2", note="发烧")
        self.tap(home)
        today = CheckIn.objects.get(person=self.student_a, date=TODAY)
        self.assertEqual(
            (today.location, today.note, today.temperature), ("home", "在家隔离第三天", None)
        )

    def test_once_checked_in_the_home_page_shows_the_receipt_link_not_the_button(self):
        self.tap()
        response = self.client.get(HOME)
        self.assertNotContains(response, 'data-testid="submit-same"')
        self.assertContains(response, 'data-done="true"')

    def test_without_a_checkin_yesterday_the_home_page_links_to_the_form(self):
        self.yesterday.delete()
        response = self.client.get(HOME)
        self.assertNotContains(response, 'data-testid="submit-same"')
        self.assertContains(response, "Check in now")

    def test_a_checkin_two_days_ago_is_not_offered(self):
        CheckIn.objects.filter(pk=self.yesterday.pk).update(date=YESTERDAY - dt.timedelta(days=1))
        self.assertNotContains(self.client.get(HOME), 'data-testid="submit-same"')

    def test_answers_that_no_longer_pass_the_form_send_the_student_to_the_form(self):
        # At home, but in no province: the form asks where, yesterday's answer does not say.
        CheckIn.objects.filter(pk=self.yesterday.pk).update(province="", city="")
        response = self.client.get(HOME)
        self.assertNotContains(response, 'data-testid="submit-same"')
        self.assertContains(response, "Check in now")
        # The check-in page's "same as yesterday" opens the form to complete, too.
        page = self.client.get(CHECKIN, {"show": "same"})
        self.assertContains(page, 'data-testid="checkin-form"')
        self.assertNotContains(page, 'data-testid="confirm-same"')
        self.assertEqual(page.context["form"]["note"].value(), "在家隔离第三天")

    def test_before_the_privacy_notice_is_accepted_there_is_no_button(self):
        self.student_a.privacy_acceptances.all().delete()
        self.assertNotContains(self.client.get(HOME), 'data-testid="submit-same"')
