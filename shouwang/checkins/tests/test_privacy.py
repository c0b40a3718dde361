"""The privacy notice comes before the first check-in; accepting it is recorded
once per version, and a changed retention period is a changed notice."""

import datetime as dt

from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn, PrivacyAcceptance
from shouwang.checkins.privacy import NOTICE_VERSION, notice_for, notice_version
from shouwang.core.models import LogEntry
from shouwang.people.models import Person

from .test_checkin import URL, CheckInTestCase, beijing, block

PRIVACY_URL = reverse("checkins:privacy")


@freeze_time(beijing(2022, 4, 15, 8, 31))
class PrivacyNoticeTestCase(CheckInTestCase):
    def accept_through_the_page(self):
        return self.client.post(PRIVACY_URL, {"version": notice_version(self.incident)})

    def test_the_first_visit_shows_the_notice_instead_of_the_form(self):
        self.login(self.student)
        response = self.client.get(URL)
        self.assertContains(response, 'data-testid="privacy-notice"')
        self.assertContains(response, f'data-version="{NOTICE_VERSION}-30d"')
        self.assertNotContains(response, 'data-testid="checkin-form"')

    def test_the_notice_says_what_why_who_and_until_when(self):
        self.login(self.student)
        notice = block(self.client.get(URL), **{"data-testid": "privacy-notice"})
        for heading in ("What is collected", "Why", "Who sees it", "When it is deleted"):
            self.assertIn(heading, notice)
        self.assertIn("赵璞", notice)  # the student's own counsellor
        self.assertIn("校园封控", notice)
        self.assertIn("30 days after the incident is closed", notice)

    def test_the_deletion_period_is_the_incidents(self):
        self.incident.retention_days = 1
        notice = notice_for(self.student_a, self.incident)
        self.assertEqual(notice.version, f"{NOTICE_VERSION}-1d")
        self.assertIn(
            "1 day after the incident is closed", dict(notice.sections)["When it is deleted"]
        )

    def test_a_person_without_a_counsellor_reads_who_else_sees_it(self):
        notice = notice_for(self.leader_person, self.incident)
        self.assertNotIn("counsellor,", dict(notice.sections)["Who sees it"])

    def test_a_submission_before_accepting_is_not_recorded(self):
        self.login(self.student)
        response = self.submit()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="privacy-notice"')
        self.assertFalse(CheckIn.objects.exists())

    def test_accepting_records_the_version_and_leads_to_the_form(self):
        self.login(self.student)
        response = self.accept_through_the_page()
        self.assertRedirects(response, URL)
        acceptance = PrivacyAcceptance.objects.get()
        self.assertEqual(acceptance.person, self.student_a)
        self.assertEqual(acceptance.version, f"{NOTICE_VERSION}-30d")
        self.assertEqual(acceptance.accepted_at, beijing(2022, 4, 15, 8, 31))
        self.assertEqual(LogEntry.objects.get_for_object(acceptance).count(), 1)
        self.assertContains(self.client.get(URL), 'data-testid="checkin-form"')

    def test_accepting_twice_records_it_once(self):
        self.login(self.student)
        self.accept_through_the_page()
        self.accept_through_the_page()
        self.assertEqual(PrivacyAcceptance.objects.count(), 1)

    def test_the_notice_stays_readable_and_says_when_it_was_accepted(self):
        self.login(self.student)
        self.accept_through_the_page()
        response = self.client.get(PRIVACY_URL)
        self.assertContains(response, 'data-testid="privacy-notice"')
        self.assertContains(response, 'data-testid="privacy-accepted"')
        self.assertNotContains(response, 'data-testid="accept-privacy"')

    def test_accepting_an_outdated_notice_accepts_nothing(self):
        self.login(self.student)
        response = self.client.post(PRIVACY_URL, {"version": "0-30d"}, follow=True)
        self.assertFalse(PrivacyAcceptance.objects.exists())
        self.assertContains(response, 'data-testid="accept-privacy"')
        self.assertContains(response, "The notice has changed")

    def test_a_longer_retention_asks_again(self):
        self.login(self.student)
        self.accept_through_the_page()
        self.incident.retention_days = 90
        self.incident.save(update_fields=["retention_days"])
        self.assertContains(self.client.get(URL), 'data-testid="privacy-notice"')
        self.accept_through_the_page()
        versions = set(PrivacyAcceptance.objects.values_list("version", flat=True))
        self.assertEqual(versions, {f"{NOTICE_VERSION}-30d", f"{NOTICE_VERSION}-90d"})

    def test_it_is_asked_once_not_every_day(self):
        self.login(self.student)
        self.accept_through_the_page()
        with freeze_time(beijing(2022, 4, 16, 8, 0)):
            self.assertContains(self.client.get(URL), 'data-testid="checkin-form"')

    def test_someone_outside_the_regime_cannot_accept(self):
        Person.objects.filter(pk=self.student_a.pk).update(status=Person.Status.AWAY)
        self.login(self.student)
        self.assertContains(self.client.get(PRIVACY_URL), 'data-testid="no-checkin"')
        self.assertEqual(self.accept_through_the_page().status_code, 403)
        self.assertFalse(PrivacyAcceptance.objects.exists())

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(PRIVACY_URL)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={PRIVACY_URL}")

    def test_the_acceptance_survives_the_days(self):
        self.accept()
        self.login(self.student)
        with freeze_time(beijing(2022, 4, 20, 8, 0)):
            self.submit()
        self.assertEqual(CheckIn.objects.get().date, dt.date(2022, 4, 20))
