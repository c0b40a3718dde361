"""Referrals leak nowhere else: not into exports, the person page, the
timeline, the home page, the JSON API, its schema or the Django admin.

Each test reads a page or file with a referral (taken on, with consent and a
note) present and asserts on its content. Pages the referring counsellor also
sees must read the same with and without the referral: nothing on them may
depend on one existing.
"""

import io
import re
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from shouwang.counselling.models import Referral
from shouwang.incidents.models import Incident
from shouwang.lib.spreadsheets import read_rows

from .base import NOTE, SUMMARY, ReferralTestCase

# What would give a referral away, in English and in Chinese.
TRACES = (
    SUMMARY,
    NOTE,
    "sleep problems",
    "睡眠问题",
    "referral",
    "Referral",
    "转介",
    "心理",
    "counselling",
    "psych",
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


class SecrecyTestCase(ReferralTestCase):
    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Referral.objects.filter(pk=cls.referral.pk).update(
            status=Referral.Status.IN_SUPPORT, supporter=cls.support
        )
        cls.incident = Incident.objects.create(title="校园封控", opened_by=cls.leader)
        cls.incident.units.add(cls.college)

    def assertNoTrace(self, text: str, who: str = "") -> None:
        for trace in TRACES:
            self.assertNotIn(trace, text, f"{who}: {trace!r}")

    def get(self, user, url: str, **query) -> str:
        self.login(user)
        response = self.client.get(url, query)
        self.assertEqual(response.status_code, 200, f"{url} as {user.username}")
        if response.get("Content-Type", "").startswith("application/vnd.openxml"):
            return str(read_rows(io.BytesIO(response.content), "export.xlsx"))
        return response.content.decode()

    def without_referral(self, user, url: str) -> tuple[str, str]:
        """The page with the referral present, and again without it."""
        with_it = CSRF.sub("", self.get(user, url))
        Referral.objects.all().delete()
        without = CSRF.sub("", self.get(user, url))
        return with_it, without

    def test_the_roster_export_holds_nothing(self):
        for user in (self.leader, self.admin):
            self.assertNoTrace(self.get(user, reverse("people:roster_export")), user.username)

    def test_the_roster_export_command_holds_nothing(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "roster.xlsx"
            call_command("export_roster", str(path), stdout=io.StringIO())
            self.assertNoTrace(str(read_rows(path)))

    def test_the_missing_list_and_its_export_hold_nothing(self):
        for user in (self.leader, self.admin):
            for name in ("compliance:missing_export", "compliance:missing", "compliance:overview"):
                self.assertNoTrace(self.get(user, reverse(name)), f"{name} {user.username}")
        export = self.get(self.counsellor_a_user, reverse("compliance:missing_export"))
        self.assertIn("张三", export)
        self.assertNoTrace(export)

    def test_the_counsellors_missing_list_reads_the_same_with_or_without_a_referral(self):
        with_it, without = self.without_referral(
            self.counsellor_a_user, reverse("compliance:missing")
        )
        self.assertEqual(with_it, without)

    def test_leaders_and_admins_see_nothing_on_the_person_page_or_timeline(self):
        for user in (self.leader, self.admin):
            for name in ("people:person_detail", "screening:timeline"):
                text = self.get(user, reverse(name, args=[self.student_a.pk]))
                self.assertNoTrace(text, f"{name} {user.username}")

    def test_the_counsellors_person_page_reads_the_same_with_or_without_a_referral(self):
        url = reverse("people:person_detail", args=[self.student_a.pk])
        with_it, without = self.without_referral(self.counsellor_a_user, url)
        self.assertEqual(with_it, without)
        self.assertNotIn(SUMMARY, with_it)

    def test_the_counsellors_timeline_reads_the_same_with_or_without_a_referral(self):
        url = reverse("screening:timeline", args=[self.student_a.pk])
        with_it, without = self.without_referral(self.counsellor_a_user, url)
        self.assertEqual(with_it, without)

    def test_home_pages_hold_nothing(self):
        for user in (self.leader, self.admin, self.student):
            self.assertNoTrace(self.get(user, reverse("home:home")), user.username)

    def test_the_student_is_shown_nothing_and_finds_nothing(self):
        for name in ("home:home", "notify:inbox", "checkins:today"):
            self.assertNoTrace(self.get(self.student, reverse(name)), name)
        url = reverse("counselling:referral_detail", args=[self.referral.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_api_and_its_schema_hold_nothing(self):
        for user in (self.leader, self.admin, self.counsellor_a_user):
            for name in ("api:openapi-json", "api:compliance"):
                self.assertNoTrace(self.get(user, reverse(name)), f"{name} {user.username}")
        self.assertNoTrace(self.get(self.student, reverse("api:checkin_me")), "checkin_me")

    def test_the_django_admin_has_no_referrals(self):
        self.assertNotIn("counselling", self.get(self.admin, reverse("admin:index")))
        response = self.client.get(f"/admin/counselling/referral/{self.referral.pk}/change/")
        self.assertEqual(response.status_code, 404)
        response = self.client.get("/admin/counselling/referralnote/")
        self.assertEqual(response.status_code, 404)

    def test_the_audit_log_in_the_admin_names_no_student(self):
        self.login(self.counsellor_a_user)
        self.client.get(self.referral.get_absolute_url())
        text = self.get(self.admin, reverse("admin:core_logentry_changelist"))
        self.assertNotIn(SUMMARY, text)
        self.assertNotIn(NOTE, text)
