import datetime as dt

from django.conf import settings
from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import (
    IncidentClosed,
    change_regime,
    close_incident,
    open_incident,
)
from shouwang.incidents.models import Incident
from shouwang.test import BaseTestCase


class RegimeSettingsTestCase(BaseTestCase):
    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.incident = open_incident(
            title="校园封控",
            units=[self.college],
            reminder_times=["08:00"],
            acting_user=self.leader,
        )
        self.url = reverse("incidents:incident_settings", args=[self.incident.pk])

    def data(self, **overrides):
        data = {
            "reporters": "students",
            "deadline": "11:00",
            "reminder_times": "10:30, 08:00",
            "retention_days": "14",
        }
        data.update(overrides)
        return data

    def test_it_shows_the_current_regime(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="08:00"')
        self.assertContains(response, 'value="10:00"')

    def test_it_changes_the_regime_of_an_open_incident(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data())
        self.assertRedirects(response, self.incident.get_absolute_url())
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.reporters, Incident.Reporters.STUDENTS)
        self.assertEqual(self.incident.deadline, dt.time(11, 0))
        self.assertEqual(self.incident.reminder_times, ["08:00", "10:30"])
        self.assertEqual(self.incident.retention_days, 14)

    def test_it_audits_what_changed(self):
        self.login(self.admin)
        self.client.post(self.url, self.data(reporters="everyone", retention_days="30"))
        entry = LogEntry.objects.get_for_object(self.incident).get(kind="incidents.regime_changed")
        self.assertEqual(entry.actor, self.admin)
        self.assertEqual(
            entry.additional_data["changes"],
            {"deadline": ["10:00", "11:00"], "reminder_times": [["08:00"], ["08:00", "10:30"]]},
        )

    def test_saving_without_changes_writes_no_audit_row(self):
        self.login(self.leader)
        self.client.post(self.url, self.data())
        response = self.client.post(self.url, self.data())
        self.assertRedirects(response, self.incident.get_absolute_url())
        entries = LogEntry.objects.get_for_object(self.incident)
        self.assertEqual(entries.filter(kind="incidents.regime_changed").count(), 1)

    def test_it_rejects_a_reminder_after_the_new_deadline(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data(deadline="09:00"))
        self.assertIn("reminder_times", response.context["form"].errors)
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.deadline, dt.time(10, 0))

    def test_it_rejects_a_retention_out_of_bounds(self):
        self.login(self.leader)
        for bad in ("0", "366", "a week"):
            with self.subTest(bad=bad):
                response = self.client.post(self.url, self.data(retention_days=bad))
                self.assertIn("retention_days", response.context["form"].errors)

    def test_a_closed_incident_cannot_be_changed(self):
        close_incident(self.incident, acting_user=self.leader)
        self.login(self.leader)
        response = self.client.post(self.url, self.data(), follow=True)
        self.assertRedirects(response, self.incident.get_absolute_url())
        self.assertContains(response, "can no longer be changed")
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.reporters, Incident.Reporters.EVERYONE)

    def test_the_action_refuses_a_stale_open_copy(self):
        stale = Incident.objects.get(pk=self.incident.pk)
        close_incident(self.incident, acting_user=self.leader)
        with self.assertRaises(IncidentClosed):
            change_regime(stale, deadline=dt.time(11, 0), acting_user=self.leader)

    def test_a_counsellor_may_not_change_it(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.post(self.url, self.data()).status_code, 403)
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.reporters, Incident.Reporters.EVERYONE)
