"""Two people pressing the same button at once, on real connections: the
conditional UPDATE lets one of them win."""

import threading

from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import open_incident
from shouwang.incidents.models import PlanTask
from shouwang.test import Personas


class RaceTestCase(TransactionTestCase):
    def setUp(self):
        class Data(Personas):
            pass

        Data.create_personas()
        self.data = Data
        self.incident = open_incident(
            title="校园封控", units=[Data.college], acting_user=Data.leader
        )
        self.task = PlanTask.objects.create(
            incident=self.incident, title="落实隔离学生一日三餐", owner=Data.counsellor_a
        )

    def race(self, requests: list[tuple]) -> list[int]:
        """Each (user, url, data) posted from its own thread and connection."""
        start = threading.Barrier(len(requests))
        statuses: list[int] = []

        def post(user, url, data):
            try:
                client = Client()
                client.force_login(user)
                start.wait(timeout=10)
                statuses.append(client.post(url, data).status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=post, args=request) for request in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return statuses

    def test_the_owner_and_a_leader_ticking_at_once_record_one_note(self):
        url = reverse("incidents:task_detail", args=[self.incident.pk, self.task.pk])
        notes = {"甲": self.data.counsellor_a_user, "乙": self.data.leader, "丙": self.data.admin}
        statuses = self.race([(user, url, {"note": note}) for note, user in notes.items()])
        self.assertEqual(statuses, [302] * 3)
        self.task.refresh_from_db()
        self.assertIn(self.task.note, notes)
        self.assertEqual(self.task.done_by, notes[self.task.note])
        entries = LogEntry.objects.get_for_object(self.task)
        self.assertEqual(entries.filter(kind="incidents.task_done").count(), 1)

    def test_two_leaders_closing_at_once_close_it_once(self):
        url = reverse("incidents:incident_close", args=[self.incident.pk])
        statuses = self.race([(self.data.leader, url, {}), (self.data.admin, url, {})])
        self.assertEqual(statuses, [302] * 2)
        entries = LogEntry.objects.get_for_object(self.incident)
        self.assertEqual(entries.filter(kind="incidents.closed").count(), 1)
        self.incident.refresh_from_db()
        self.assertIn(self.incident.closed_by, [self.data.leader, self.data.admin])
