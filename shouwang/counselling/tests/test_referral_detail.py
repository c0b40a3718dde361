from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.core.audit import access_log_for
from shouwang.core.models import LogEntry
from shouwang.counselling.models import Referral
from shouwang.people.models import Person
from shouwang.test import make_person

from .base import NOTE, SUMMARY, ReferralTestCase, make_referral


class ReferralDetailTestCase(ReferralTestCase):
    def url(self, referral=None) -> str:
        return reverse("counselling:referral_detail", args=[(referral or self.referral).pk])

    def test_the_referring_counsellor_reads_the_summary_and_the_notes(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url())
        self.assertContains(response, "张三")
        self.assertContains(response, SUMMARY)
        self.assertContains(response, NOTE)
        self.assertContains(response, "in person, verbally")

    def test_a_support_worker_reads_it_too(self):
        self.login(self.support)
        response = self.client.get(self.url())
        self.assertContains(response, SUMMARY)
        self.assertContains(response, NOTE)
        self.assertContains(response, "Take this referral on")

    def test_every_read_is_audited(self):
        self.login(self.counsellor_a_user)
        self.client.get(self.url())
        self.login(self.support)
        self.client.get(self.url())
        entries = access_log_for(self.referral).order_by("pk")
        self.assertEqual(
            [(entry.actor, entry.kind) for entry in entries],
            [
                (self.counsellor_a_user, "counselling.referral_viewed"),
                (self.support, "counselling.referral_viewed"),
            ],
        )
        self.assertEqual(entries[0].additional_data["notes"], 1)

    def test_the_audit_log_names_the_referral_not_the_student(self):
        self.login(self.counsellor_a_user)
        self.client.get(self.url())
        entry = access_log_for(self.referral).get()
        self.assertEqual(entry.object_repr, f"#{self.referral.pk}")
        self.assertNotIn("张三", str(entry.additional_data))

    def test_nobody_else_finds_it(self):
        for user in (self.counsellor_b_user, self.student, self.volunteer, self.leader, self.admin):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertFalse(LogEntry.objects.reads().exists())


class ReferralListTestCase(ReferralTestCase):
    url = reverse("counselling:referral_list")

    def test_a_counsellor_lists_their_own_referrals_only(self):
        other = make_referral(self.student_b, self.counsellor_b_user)
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertContains(response, self.referral.get_absolute_url())
        self.assertNotContains(response, other.get_absolute_url())
        self.assertNotContains(response, "李四")

    def test_a_support_worker_lists_everyones(self):
        other = make_referral(self.student_b, self.counsellor_b_user, consent=False)
        self.login(self.support)
        response = self.client.get(self.url)
        self.assertContains(response, self.referral.get_absolute_url())
        self.assertContains(response, other.get_absolute_url())
        self.assertContains(response, "consent not yet recorded")

    def test_the_most_urgent_come_first(self):
        urgent = make_referral(self.student_b, self.counsellor_b_user, urgency="urgent")
        routine = make_referral(self.volunteer_person, self.counsellor_b_user, urgency="routine")
        self.login(self.support)
        content = self.client.get(self.url).content.decode()
        positions = [
            content.index(f'data-testid="referral-{referral.pk}"')
            for referral in (urgent, self.referral, routine)
        ]
        self.assertEqual(positions, sorted(positions))

    def test_closed_referrals_wait_behind_their_tab(self):
        Referral.objects.filter(pk=self.referral.pk).update(status=Referral.Status.CLOSED)
        self.login(self.counsellor_a_user)
        self.assertNotContains(self.client.get(self.url), self.referral.get_absolute_url())
        response = self.client.get(self.url, {"status": "closed"})
        self.assertContains(response, self.referral.get_absolute_url())

    def test_the_list_shows_no_summary_and_each_row_shown_is_an_audited_read(self):
        self.login(self.support)
        response = self.client.get(self.url)
        self.assertNotContains(response, SUMMARY)
        entry = access_log_for(self.referral).get()
        self.assertEqual(entry.kind, "counselling.referral_listed")

    def test_leaders_and_admins_have_no_list(self):
        for user in (self.leader, self.admin, self.student, self.volunteer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404)

    def _queries(self) -> int:
        self.login(self.support)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(self.url).status_code, 200)
        return len(queries)

    def test_its_queries_grow_by_one_audit_row_per_referral(self):
        before = self._queries()
        for number in range(3):
            student = make_person(f"20200{number + 10}", "学生", admin_class=self.class_a)
            make_referral(student, self.counsellor_a_user)
        self.assertEqual(self._queries(), before + 3)
        self.assertEqual(Person.objects.filter(admin_class=self.class_a).count(), 4)
