from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import (
    IncidentClosed,
    TaskAlreadyDone,
    close_incident,
    complete_task,
    default_plan_template,
    open_incident,
)
from shouwang.incidents.models import PlanTask
from shouwang.lib.clock import beijing
from shouwang.test import BaseTestCase

NOW = beijing(2022, 4, 3, 9, 0)


@freeze_time(NOW)
class TaskTestCase(BaseTestCase):
    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.incident = open_incident(
            title="校园封控",
            units=[self.college],
            started_at=beijing(2022, 4, 2, 8, 0),
            template=default_plan_template(),
            acting_user=self.leader,
        )
        self.task = self.incident.tasks.get(title="落实隔离学生一日三餐")
        self.task.owner = self.counsellor_a
        self.task.save(update_fields=["owner"])

    def url(self, task=None, name="incidents:task_detail"):
        task = task or self.task
        return reverse(name, args=[self.incident.pk, task.pk])


class TickTaskTestCase(TaskTestCase):
    def test_its_owner_ticks_it_off_with_a_note(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(), {"note": "志愿者定时定点送餐"})
        self.assertRedirects(response, f"{self.incident.get_absolute_url()}#task-{self.task.pk}")
        self.task.refresh_from_db()
        self.assertEqual(self.task.done_at, NOW)
        self.assertEqual(self.task.done_by, self.counsellor_a_user)
        self.assertEqual(self.task.note, "志愿者定时定点送餐")

    def test_it_records_the_tick_in_the_audit_log(self):
        self.login(self.counsellor_a_user)
        self.client.post(self.url(), {"note": "已完成"})
        entry = LogEntry.objects.get_for_object(self.task).get(kind="incidents.task_done")
        self.assertEqual(entry.actor, self.counsellor_a_user)
        self.assertEqual(entry.additional_data["incident"], self.incident.pk)

    def test_a_leader_ticks_off_anyones_task(self):
        self.login(self.leader)
        self.client.post(self.url(), {"note": "已完成"})
        self.task.refresh_from_db()
        self.assertEqual(self.task.done_by, self.leader)

    def test_another_counsellor_may_not_tick_it(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.post(self.url(), {"note": "x"}).status_code, 403)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.task.refresh_from_db()
        self.assertFalse(self.task.is_done)

    def test_nobody_owns_an_unassigned_task(self):
        unowned = self.incident.tasks.get(title="启动线上教学")
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.post(self.url(unowned), {"note": "x"}).status_code, 403)

    def test_it_wants_a_note(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(), {"note": "  "})
        self.assertEqual(response.status_code, 200)
        self.assertIn("note", response.context["tick_form"].errors)
        self.task.refresh_from_db()
        self.assertFalse(self.task.is_done)

    def test_of_two_ticks_at_once_the_first_is_recorded(self):
        stale = PlanTask.objects.get(pk=self.task.pk)
        complete_task(self.task, note="第一", acting_user=self.counsellor_a_user)
        with self.assertRaises(TaskAlreadyDone):
            complete_task(stale, note="第二", acting_user=self.leader)
        self.task.refresh_from_db()
        self.assertEqual((self.task.note, self.task.done_by), ("第一", self.counsellor_a_user))
        entries = LogEntry.objects.get_for_object(self.task)
        self.assertEqual(entries.filter(kind="incidents.task_done").count(), 1)

    def test_a_second_tick_over_http_says_who_was_first(self):
        complete_task(self.task, note="第一", acting_user=self.leader)
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(), {"note": "第二"}, follow=True)
        self.assertContains(response, "Someone else ticked this task off first.")
        self.task.refresh_from_db()
        self.assertEqual(self.task.note, "第一")

    def test_an_htmx_tick_gets_the_task_row_back(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(), {"note": "已送餐"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, f'id="task-{self.task.pk}"')
        self.assertContains(response, 'data-testid="done"')
        self.assertContains(response, "已送餐")
        self.assertContains(response, "赵璞")

    def test_an_htmx_tick_without_a_note_gets_the_row_with_its_error(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(), {"note": ""}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'role="alert"')
        self.assertContains(response, '<details class="mt-2" open>')

    def test_a_closed_incidents_tasks_cannot_be_ticked(self):
        close_incident(self.incident, acting_user=self.leader)
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(), {"note": "迟到的记录"}, follow=True)
        self.assertContains(response, "can no longer be changed")
        self.task.refresh_from_db()
        self.assertFalse(self.task.is_done)
        with self.assertRaises(IncidentClosed):
            complete_task(self.task, note="x", acting_user=self.leader)

    def test_the_owner_sees_the_tick_form(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url())
        self.assertContains(response, 'name="note"')
        self.assertNotContains(
            response, reverse("incidents:task_assign", args=[self.incident.pk, self.task.pk])
        )


class AssignTaskTestCase(TaskTestCase):
    def test_a_leader_gives_a_task_its_owner_and_due_time(self):
        task = self.incident.tasks.get(title="启动线上教学")
        self.login(self.leader)
        response = self.client.post(
            self.url(task, "incidents:task_assign"),
            {"owner": self.counsellor_b.pk, "due_at": "2022-04-06T08:00"},
        )
        self.assertRedirects(response, f"{self.incident.get_absolute_url()}#task-{task.pk}")
        task.refresh_from_db()
        self.assertEqual(task.owner, self.counsellor_b)
        self.assertEqual(task.due_at, beijing(2022, 4, 6, 8, 0))
        entry = LogEntry.objects.get_for_object(task).get(kind="incidents.task_assigned")
        self.assertEqual(entry.additional_data["changes"]["owner"], [None, self.counsellor_b.pk])

    def test_a_task_is_owned_by_staff_not_students(self):
        self.login(self.leader)
        response = self.client.post(
            self.url(name="incidents:task_assign"), {"owner": self.student_a.pk, "due_at": ""}
        )
        self.assertIn("owner", response.context["assign_form"].errors)
        self.task.refresh_from_db()
        self.assertEqual(self.task.owner, self.counsellor_a)

    def test_its_owner_may_not_reassign_it(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(
            self.url(name="incidents:task_assign"), {"owner": self.counsellor_b.pk}
        )
        self.assertEqual(response.status_code, 403)

    def test_the_owner_finds_their_tasks_on_the_incident_list(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("incidents:incident_list"))
        self.assertContains(response, 'data-testid="my-tasks"')
        self.assertContains(response, self.url())


class AddTaskTestCase(TaskTestCase):
    def test_a_leader_adds_a_task_after_the_others(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("incidents:task_new", args=[self.incident.pk]),
            {"title": "统计毕业生就业意向", "owner": self.counsellor_a.pk, "due_at": ""},
        )
        task = self.incident.tasks.get(title="统计毕业生就业意向")
        self.assertRedirects(response, f"{self.incident.get_absolute_url()}#task-{task.pk}")
        self.assertEqual(list(self.incident.tasks.all())[-1], task)
        self.assertEqual(task.owner, self.counsellor_a)
        self.assertTrue(
            LogEntry.objects.get_for_object(task).filter(kind="incidents.task_added").exists()
        )

    def test_a_counsellor_may_not_add_one(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(
            reverse("incidents:task_new", args=[self.incident.pk]), {"title": "x"}
        )
        self.assertEqual(response.status_code, 403)
