from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.incidents.actions import (
    close_incident,
    complete_task,
    default_plan_template,
    open_incident,
    record_meeting,
)
from shouwang.incidents.models import Incident, PlanTask
from shouwang.lib.clock import beijing
from shouwang.test import BaseTestCase


@freeze_time("2022-04-03 09:00:00+08:00")
class IncidentDetailTestCase(BaseTestCase):
    def setUp(self):
        self.incident = open_incident(
            title="校园封控",
            units=[self.college],
            started_at=beijing(2022, 4, 2, 8, 0),
            reporters=Incident.Reporters.STUDENTS,
            reminder_times=["08:00", "09:30"],
            template=default_plan_template(),
            acting_user=self.leader,
        )
        self.url = self.incident.get_absolute_url()

    def test_it_shows_the_regime(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertContains(response, "校园封控")
        self.assertContains(response, 'data-testid="deadline">10:00<')
        self.assertContains(response, 'data-testid="reminders">08:00, 09:30<')
        self.assertEqual(response.context["expected_count"], 3)

    def test_it_marks_overdue_tasks_and_shows_done_ones_with_their_note(self):
        done = self.incident.tasks.get(title="启动应急预案并成立工作专班")
        complete_task(done, note="成立工作专班", acting_user=self.leader)
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        # Due at 09:00 and 10:00 on 4月2日: one done, one overdue; 启动线上教学 is due later.
        self.assertContains(response, 'data-testid="done"', count=1)
        self.assertContains(response, 'data-testid="note">成立工作专班<')
        overdue = [task for task in response.context["tasks"] if task.is_overdue]
        self.assertIn("召开专题会议研究部署", [task.title for task in overdue])
        self.assertNotIn("启动线上教学", [task.title for task in overdue])
        self.assertContains(response, 'data-testid="overdue"', count=len(overdue))

    def test_a_counsellor_sees_no_management_and_no_tick_forms_for_others_tasks(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertNotContains(
            response, reverse("incidents:incident_close", args=[self.incident.pk])
        )
        self.assertNotContains(response, 'name="note"')

    def test_a_leader_sees_the_management_forms(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, reverse("incidents:incident_close", args=[self.incident.pk]))
        self.assertContains(
            response, reverse("incidents:incident_settings", args=[self.incident.pk])
        )
        self.assertContains(response, 'name="note"', count=self.incident.tasks.count())

    def test_a_closed_incident_offers_nothing_to_change(self):
        close_incident(self.incident, acting_user=self.leader)
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertNotContains(response, 'name="note"')
        self.assertNotContains(response, reverse("incidents:meeting_new", args=[self.incident.pk]))
        self.assertNotContains(response, 'data-testid="overdue"')

    def test_a_student_does_not_find_it(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_its_query_count_does_not_grow_with_tasks_and_meetings(self):
        self.login(self.leader)
        record_meeting(
            self.incident,
            held_at=beijing(2022, 4, 2, 9, 0),
            title="首次会议",
            decisions=["决定"],
            acting_user=self.leader,
        )
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for n, task in enumerate(self.incident.tasks.all()):
            task.owner = self.counsellor_a if n % 2 else self.counsellor_b
            task.save(update_fields=["owner"])
            complete_task(task, note=f"完成{n}", acting_user=self.counsellor_a_user)
        PlanTask.objects.create(incident=self.incident, title="另一项", owner=self.leader_person)
        for n in range(5):
            record_meeting(
                self.incident,
                held_at=beijing(2022, 4, 2, 10 + n, 0),
                title=f"会议{n}",
                decisions=["决定"],
                acting_user=self.admin if n % 2 else self.leader,
            )
        with self.assertNumQueries(len(few)):
            response = self.client.get(self.url)
        self.assertContains(response, "会议4")
        self.assertContains(response, "完成3")
