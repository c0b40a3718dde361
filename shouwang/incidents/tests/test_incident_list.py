from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.incidents.actions import close_incident, default_plan_template, open_incident
from shouwang.lib.clock import beijing
from shouwang.people.models import Unit
from shouwang.test import BaseTestCase


def opened(case, title: str, day: int, **fields):
    return open_incident(
        title=title,
        units=[case.college],
        started_at=beijing(2022, 3, day, 8, 0),
        acting_user=case.leader,
        **fields,
    )


@freeze_time("2022-04-03 09:00:00+08:00")
class IncidentListTestCase(BaseTestCase):
    url = reverse("incidents:incident_list")

    def test_it_lists_open_incidents_first(self):
        old_flood = opened(self, "防汛", 1)
        close_incident(old_flood, acting_user=self.leader)
        lockdown = opened(self, "校园封控", 2)
        later = opened(self, "暴雪", 20)
        close_incident(later, acting_user=self.leader)
        self.login(self.counsellor_b_user)
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["incidents"]), [lockdown, later, old_flood])
        self.assertContains(response, 'data-testid="state"', count=3)

    def test_it_counts_done_and_overdue_tasks(self):
        incident = opened(self, "校园封控", 30, template=default_plan_template())
        self.login(self.leader)
        response = self.client.get(self.url)
        row = response.context["incidents"][0]
        self.assertEqual(row.task_count, incident.tasks.count())
        self.assertEqual(row.done_count, 0)
        overdue = [task for task in incident.tasks.all() if task.is_overdue]
        self.assertEqual(row.overdue_count, len(overdue))
        self.assertGreater(len(overdue), 0)

    def test_only_managers_are_offered_to_open_one(self):
        self.login(self.counsellor_a_user)
        self.assertNotContains(self.client.get(self.url), 'data-testid="open-incident"')
        self.login(self.leader)
        self.assertContains(self.client.get(self.url), 'data-testid="open-incident"')

    def test_students_and_volunteers_do_not_find_it(self):
        for user in (self.student, self.volunteer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_its_query_count_does_not_grow_with_the_incidents_listed(self):
        opened(self, "校园封控", 1, template=default_plan_template())
        self.leader_person.refresh_from_db()
        task = opened(self, "x", 2).tasks.create(title="t", owner=self.counsellor_a)
        self.login(self.counsellor_a_user)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        department = Unit.objects.create(
            name="计算机系", kind=Unit.Kind.DEPARTMENT, parent=self.college
        )
        for n in range(10):
            incident = opened(self, f"事件{n}", 3 + n, template=default_plan_template())
            incident.units.add(department)
            incident.tasks.create(title=f"任务{n}", owner=self.counsellor_a)
            if n % 2:
                close_incident(incident, acting_user=self.leader)
        with self.assertNumQueries(len(few)):
            response = self.client.get(self.url)
        self.assertContains(response, "事件9")
        self.assertContains(response, task.title)
