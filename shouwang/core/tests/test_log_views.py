"""The audit log's views do not reveal referrals: an admin's log in /admin/
neither lists nor counts nor filters by a referral's entries, and a leader
has no log to read."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from shouwang.core import audit
from shouwang.core.models import LogEntry
from shouwang.counselling.audit import CounsellingEvent
from shouwang.counselling.models import Referral, ReferralNote
from shouwang.counselling.tests.base import ReferralTestCase


class LogViewsTestCase(ReferralTestCase):
    changelist = reverse("admin:core_logentry_changelist")

    def setUp(self):
        super().setUp()
        # The counsellor and the support worker work the referral; someone
        # also opens a person's page.
        self.login(self.counsellor_a_user)
        self.client.get(self.referral.get_absolute_url())
        self.client.get(reverse("counselling:referral_list"))
        self.login(self.support)
        self.client.get(self.referral.get_absolute_url())
        self.login(self.leader)
        self.client.get(reverse("people:person_detail", args=[self.student_a.pk]))
        referral_types = ContentType.objects.get_for_models(Referral, ReferralNote).values()
        self.referral_entries = LogEntry.objects.filter(content_type__in=referral_types)
        self.assertEqual(self.referral_entries.count(), 3)
        self.shown = LogEntry.objects.exclude(content_type__in=referral_types).count()

    def test_the_admins_log_neither_lists_nor_counts_referral_entries(self):
        self.login(self.admin)
        response = self.client.get(self.changelist)
        self.assertEqual(response.status_code, 200)
        changelist = response.context["cl"]
        self.assertEqual(changelist.result_count, self.shown)
        self.assertEqual(changelist.full_result_count, self.shown)
        self.assertNotIn(self.referral_entries[0], list(changelist.result_list))
        text = response.content.decode()
        for trace in ("referral", "转介", f"#{self.referral.pk}"):
            self.assertNotIn(trace, text)

    def test_the_resource_type_filter_names_no_referral(self):
        self.login(self.admin)
        response = self.client.get(self.changelist)
        self.assertNotContains(response, "referral")
        referral_type = ContentType.objects.get_for_model(Referral)
        response = self.client.get(self.changelist, {"resource_type": referral_type.pk})
        self.assertEqual(response.context["cl"].result_count, 0)

    def test_searching_the_log_finds_no_referral(self):
        self.login(self.admin)
        response = self.client.get(self.changelist, {"q": f"#{self.referral.pk}"})
        self.assertNotIn(self.referral_entries[0], list(response.context["cl"].result_list))

    def test_a_referral_entry_is_not_found_in_the_admin(self):
        self.login(self.admin)
        entry = self.referral_entries.first()
        assert entry is not None
        url = reverse("admin:core_logentry_change", args=[entry.pk])
        self.assertEqual(self.client.get(url).status_code, 302)  # "does not exist" redirect
        self.assertNotContains(self.client.get(url, follow=True), f"#{self.referral.pk}")

    def test_a_leader_has_no_log_to_read(self):
        self.login(self.leader)
        response = self.client.get(self.changelist)
        self.assertRedirects(
            response, f"{reverse('admin:login')}?next={self.changelist}", target_status_code=200
        )

    def test_other_entries_are_still_listed(self):
        self.login(self.admin)
        response = self.client.get(self.changelist)
        self.assertContains(response, "张三 (2020001)")
        entry = LogEntry.objects.get(kind="people.person_viewed")
        url = reverse("admin:core_logentry_change", args=[entry.pk])
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_log_names_each_kind_in_chinese_and_is_filtered_by_it(self):
        self.login(self.admin)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        response = self.client.get(self.changelist)
        self.assertContains(response, "查看个人页面")
        response = self.client.get(self.changelist, {"kind": "people.person_viewed"})
        self.assertEqual(response.context["cl"].result_count, 1)
        entry = LogEntry.objects.get(kind="people.person_viewed")
        url = reverse("admin:core_logentry_change", args=[entry.pk])
        self.assertContains(self.client.get(url), "查看个人页面")

    def test_an_entry_recorded_for_a_referral_is_hidden_too(self):
        audit.record(CounsellingEvent.REFERRAL_VIEWED, self.referral, acting_user=self.support)
        self.login(self.admin)
        response = self.client.get(self.changelist)
        self.assertEqual(response.context["cl"].result_count, self.shown)
