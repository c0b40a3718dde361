"""A regime may ask for approved leave to be off campus: set when the
incident opens or later, shown with the regime, audited as a change of it."""

from django.conf import settings
from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import open_incident
from shouwang.test import BaseTestCase


class LeaveRequiredTestCase(BaseTestCase):
    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.incident = open_incident(
            title="校园封控", units=[self.college], acting_user=self.leader
        )
        self.url = reverse("incidents:incident_settings", args=[self.incident.pk])

    def test_it_is_off_by_default(self):
        self.assertFalse(self.incident.leave_required)

    def test_the_regime_form_turns_it_on_and_the_incident_shows_it(self):
        self.login(self.leader)
        self.assertContains(self.client.get(self.url), "off campus only with approved leave")
        data = {
            "reporters": "everyone",
            "deadline": "10:00",
            "reminder_times": "",
            "retention_days": "30",
            "leave_required": "on",
        }
        response = self.client.post(self.url, data)
        self.assertRedirects(response, self.incident.get_absolute_url())
        self.incident.refresh_from_db()
        self.assertTrue(self.incident.leave_required)
        entry = LogEntry.objects.get_for_object(self.incident).get(kind="incidents.regime_changed")
        self.assertEqual(entry.additional_data["changes"], {"leave_required": [False, True]})
        response = self.client.get(self.incident.get_absolute_url())
        self.assertContains(response, 'data-testid="leave-required">yes<')

    def test_an_incident_opens_with_it(self):
        incident = open_incident(
            title="洪水", units=[self.college], leave_required=True, acting_user=self.leader
        )
        self.assertTrue(incident.leave_required)
