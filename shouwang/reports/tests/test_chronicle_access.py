"""Who reaches which chronicle: leaders over their units and admins; a
chronicle of another college is 404; publishing takes the bulletin's right."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from shouwang.bulletin.models import Article
from shouwang.reports import actions
from shouwang.reports.models import Chronicle

from .chronicle_base import ChronicleTestCase, open_incident


class ChronicleAccessTestCase(ChronicleTestCase):
    chronicle: Chronicle
    chronicle_b: Chronicle

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()
        cls.chronicle = actions.draft(
            unit=cls.college, incident=cls.incident, acting_user=cls.leader
        )
        incident_b = open_incident(cls, "会计学院封控")
        incident_b.units.set([cls.college_b])
        cls.chronicle_b = actions.draft(
            unit=cls.college_b, incident=incident_b, acting_user=cls.leader_b
        )

    def test_a_leader_lists_the_chronicles_of_their_units_only(self):
        self.login(self.leader)
        response = self.client.get(reverse("reports:chronicle_list"))
        self.assertContains(response, self.chronicle.get_absolute_url())
        self.assertNotContains(response, self.chronicle_b.get_absolute_url())

    def test_a_chronicle_out_of_reach_is_not_found(self):
        self.login(self.leader)
        for name in ("chronicle", "chronicle_docx", "chronicle_pdf"):
            with self.subTest(name=name):
                response = self.client.get(reverse(f"reports:{name}", args=[self.chronicle_b.pk]))
                self.assertEqual(response.status_code, 404)
        response = self.client.post(
            reverse("reports:chronicle_publish", args=[self.chronicle_b.pk])
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Article.objects.exists())

    def test_the_university_leader_and_the_admin_reach_both(self):
        for user in (self.university_leader, self.admin):
            self.login(user)
            for chronicle in (self.chronicle, self.chronicle_b):
                with self.subTest(user=user.username, chronicle=chronicle.pk):
                    response = self.client.get(chronicle.get_absolute_url())
                    self.assertEqual(response.status_code, 200)

    def test_counsellors_and_students_may_not_use_the_chronicles(self):
        for user in (self.counsellor_a_user, self.student, self.teacher):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(
                    self.client.get(reverse("reports:chronicle_list")).status_code, 403
                )
                self.assertEqual(
                    self.client.get(self.chronicle.get_absolute_url()).status_code, 403
                )

    def test_publishing_takes_the_bulletins_right_to_write(self):
        self.login(self.leader)
        with mock.patch("shouwang.reports.access.can_write_articles", return_value=False):
            page = self.client.get(self.chronicle.get_absolute_url())
            response = self.client.post(
                reverse("reports:chronicle_publish", args=[self.chronicle.pk])
            )
            refresh = self.client.post(
                reverse("reports:chronicle_refresh", args=[self.chronicle.pk])
            )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(refresh.status_code, 403)
        self.assertNotContains(page, reverse("reports:chronicle_publish", args=[self.chronicle.pk]))
        self.assertFalse(Article.objects.exists())
        self.chronicle.refresh_from_db()
        self.assertFalse(self.chronicle.is_published)

    def test_the_menu_leads_leaders_to_the_chronicles(self):
        self.login(self.leader)
        response = self.client.get(reverse("home:home"))
        self.assertContains(response, reverse("reports:chronicle_list"))
