import datetime as dt

from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import IncidentClosed, close_incident, open_incident
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.test import BaseTestCase

CLOSED_AT = beijing(2022, 4, 16, 18, 0)


class CloseIncidentTestCase(BaseTestCase):
    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        with freeze_time("2022-04-02 08:00:00+08:00"):
            self.incident = open_incident(
                title="校园封控", units=[self.college], retention_days=30, acting_user=self.leader
            )
        self.url = reverse("incidents:incident_close", args=[self.incident.pk])

    @freeze_time(CLOSED_AT)
    def test_it_closes_the_incident_and_starts_the_retention_clock(self):
        self.login(self.leader)
        response = self.client.post(self.url)
        self.assertRedirects(response, self.incident.get_absolute_url())
        self.incident.refresh_from_db()
        self.assertFalse(self.incident.is_open)
        self.assertEqual(self.incident.closed_at, CLOSED_AT)
        self.assertEqual(self.incident.closed_by, self.leader)
        self.assertEqual(self.incident.purge_due_at(), CLOSED_AT + dt.timedelta(days=30))
        self.assertFalse(Incident.objects.open().exists())

    def test_an_open_incident_has_no_purge_date(self):
        self.assertIsNone(self.incident.purge_due_at())

    @freeze_time(CLOSED_AT)
    def test_it_records_the_close_in_the_audit_log(self):
        self.login(self.admin)
        self.client.post(self.url)
        entry = LogEntry.objects.get_for_object(self.incident).get(kind="incidents.closed")
        self.assertEqual(entry.actor, self.admin)
        due = dt.datetime.fromisoformat(entry.additional_data["purge_due_at"])
        self.assertEqual(due, CLOSED_AT + dt.timedelta(days=30))

    def test_closing_twice_keeps_the_first_close(self):
        self.login(self.leader)
        with freeze_time(CLOSED_AT):
            self.client.post(self.url)
        self.login(self.admin)
        with freeze_time(CLOSED_AT + dt.timedelta(hours=1)):
            response = self.client.post(self.url, follow=True)
        self.assertContains(response, "already closed")
        self.incident.refresh_from_db()
        self.assertEqual(self.incident.closed_at, CLOSED_AT)
        self.assertEqual(self.incident.closed_by, self.leader)
        entries = LogEntry.objects.get_for_object(self.incident)
        self.assertEqual(entries.filter(kind="incidents.closed").count(), 1)

    def test_a_stale_copy_cannot_close_it_again(self):
        stale = Incident.objects.get(pk=self.incident.pk)
        close_incident(self.incident, acting_user=self.leader)
        with self.assertRaises(IncidentClosed):
            close_incident(stale, acting_user=self.admin)

    def test_it_refuses_a_get(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertTrue(Incident.objects.get().is_open)

    def test_a_counsellor_may_not_close_it(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertTrue(Incident.objects.get().is_open)

    def test_a_closed_incident_shows_when_its_detail_is_purged(self):
        with freeze_time(CLOSED_AT):
            close_incident(self.incident, acting_user=self.leader)
        self.login(self.counsellor_a_user)
        response = self.client.get(self.incident.get_absolute_url())
        self.assertContains(response, 'data-testid="purge">due May 16, 2022')
        self.assertNotContains(response, 'data-testid="close"')
