import datetime as dt

from django.urls import reverse

from shouwang.incidents.actions import DEFAULT_TEMPLATE, default_plan_template
from shouwang.incidents.models import PlanTemplate, PlanTemplateTask
from shouwang.test import BaseTestCase


class DefaultPlanTemplateTestCase(BaseTestCase):
    def test_it_holds_the_lockdown_plans_tasks_in_order(self):
        template = default_plan_template()
        self.assertEqual(template.name, "校园封控应急预案")
        titles = [task.title for task in template.tasks.all()]
        for title in (
            "启动应急预案并成立工作专班",
            "召开专题会议研究部署",
            "全员排查在校外师生健康状况",
            "落实隔离学生一日三餐",
            "启动线上教学",
        ):
            self.assertIn(title, titles)
        self.assertEqual(titles[:2], ["启动应急预案并成立工作专班", "召开专题会议研究部署"])
        self.assertTrue(all(task.due_after > dt.timedelta(0) for task in template.tasks.all()))

    def test_calling_it_again_changes_nothing(self):
        first = default_plan_template()
        count = first.tasks.count()
        self.assertEqual(default_plan_template(), first)
        self.assertEqual(PlanTemplate.objects.count(), 1)
        self.assertEqual(PlanTemplateTask.objects.count(), count)

    def test_an_edited_template_is_kept_as_it_is(self):
        template = default_plan_template()
        template.tasks.filter(title="启动线上教学").delete()
        default_plan_template()
        self.assertFalse(
            PlanTemplate.objects.get(name=DEFAULT_TEMPLATE).tasks.filter(title="启动线上教学")
        )


class PlanTemplateAdminTestCase(BaseTestCase):
    def test_an_admin_edits_a_templates_tasks_inline(self):
        template = default_plan_template()
        self.login(self.admin)
        response = self.client.get(
            reverse("admin:incidents_plantemplate_change", args=[template.pk])
        )
        self.assertContains(response, "召开专题会议研究部署")
        self.assertContains(response, 'name="tasks-TOTAL_FORMS"')

    def test_an_admin_adds_a_template_with_its_tasks(self):
        self.login(self.admin)
        response = self.client.post(
            reverse("admin:incidents_plantemplate_add"),
            {
                "name": "防汛应急预案",
                "tasks-TOTAL_FORMS": "2",
                "tasks-INITIAL_FORMS": "0",
                "tasks-0-position": "1",
                "tasks-0-title": "转移低洼处物资",
                "tasks-0-due_after": "2:00:00",
                "tasks-1-position": "2",
                "tasks-1-title": "排查宿舍楼安全",
                "tasks-1-due_after": "1 00:00:00",
            },
        )
        self.assertEqual(response.status_code, 302)
        template = PlanTemplate.objects.get(name="防汛应急预案")
        self.assertEqual(
            [(task.title, task.due_after) for task in template.tasks.all()],
            [("转移低洼处物资", dt.timedelta(hours=2)), ("排查宿舍楼安全", dt.timedelta(days=1))],
        )

    def test_incidents_are_read_only_in_the_admin(self):
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("admin:incidents_incident_add")).status_code, 403)
