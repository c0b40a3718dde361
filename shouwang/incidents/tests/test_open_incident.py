import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import default_plan_template, open_incident
from shouwang.incidents.forms import OpenIncidentForm
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import Unit
from shouwang.test import BaseTestCase


@freeze_time("2022-04-02 09:00:00+08:00")
class OpenIncidentTestCase(BaseTestCase):
    url = reverse("incidents:incident_open")

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def data(self, **overrides):
        data = {
            "title": "校园封控",
            "level": "2",
            "started_at": "2022-04-02T08:00",
            "units": [self.college.pk],
            "reporters": "everyone",
            "deadline": "10:00",
            "reminder_times": "08:00, 09:30",
            "retention_days": "30",
            "template": "",
        }
        data.update(overrides)
        # As the form posts it once its coverage has been shown.
        units = Unit.objects.filter(pk__in=data["units"])
        key = OpenIncidentForm.coverage_key(units, str(data["reporters"]))
        data.setdefault("previewed", key)
        return data

    def test_it_opens_an_incident_with_its_regime(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data())
        incident = Incident.objects.get()
        self.assertRedirects(response, incident.get_absolute_url())
        self.assertEqual(incident.title, "校园封控")
        self.assertEqual(incident.level, Incident.Level.II)
        self.assertEqual(incident.started_at, beijing(2022, 4, 2, 8, 0))
        self.assertEqual(list(incident.units.all()), [self.college])
        self.assertEqual(incident.deadline, dt.time(10, 0))
        self.assertEqual(incident.reminder_times, ["08:00", "09:30"])
        self.assertEqual(incident.retention_days, 30)
        self.assertEqual(incident.opened_by, self.leader)
        self.assertTrue(incident.is_open)

    def test_it_refuses_to_cover_people_an_open_incident_already_covers(self):
        # An admin: the university lies outside the college leader's reach.
        self.login(self.admin)
        self.client.post(self.url, self.data(title="并州疫情"))
        # The university contains the college: its people would report twice.
        response = self.client.post(self.url, self.data(units=[self.university.pk]))
        self.assertContains(response, "并州疫情")
        self.assertEqual(Incident.objects.count(), 1)

    def test_a_closed_incident_leaves_its_units_free(self):
        self.login(self.leader)
        self.client.post(self.url, self.data(title="并州疫情"))
        Incident.objects.update(closed_at=clock.now())
        self.client.post(self.url, self.data(title="洪水"))
        self.assertEqual(Incident.objects.filter(closed_at__isnull=True).get().title, "洪水")

    def test_it_copies_the_templates_tasks_due_from_the_start(self):
        template = default_plan_template()
        self.login(self.admin)
        self.client.post(self.url, self.data(template=template.pk))
        incident = Incident.objects.get()
        tasks = list(incident.tasks.all())
        self.assertEqual(
            [task.title for task in tasks], [item.title for item in template.tasks.all()]
        )
        start = beijing(2022, 4, 2, 8, 0)
        self.assertEqual(tasks[0].title, "启动应急预案并成立工作专班")
        self.assertEqual(tasks[0].due_at, start + dt.timedelta(hours=1))
        online = next(task for task in tasks if task.title == "启动线上教学")
        self.assertEqual(online.due_at, start + dt.timedelta(days=3))
        self.assertTrue(all(task.owner is None and not task.is_done for task in tasks))

    def test_it_records_who_opened_it_in_the_audit_log(self):
        self.login(self.leader)
        self.client.post(self.url, self.data(template=default_plan_template().pk))
        incident = Incident.objects.get()
        entry = LogEntry.objects.get_for_object(incident).get(kind="incidents.opened")
        self.assertEqual(entry.actor, self.leader)
        self.assertEqual(entry.additional_data["units"], [self.college.pk])
        self.assertEqual(entry.additional_data["template"], "校园封控应急预案")
        self.assertEqual(entry.additional_data["deadline"], "10:00")
        self.assertEqual(entry.additional_data["tasks"], incident.tasks.count())

    def test_it_sorts_reminder_times_and_keeps_each_once(self):
        self.login(self.leader)
        self.client.post(self.url, self.data(reminder_times="9:30，08:00 09:30、08:00"))
        self.assertEqual(Incident.objects.get().reminder_times, ["08:00", "09:30"])

    def test_it_accepts_no_reminders(self):
        self.login(self.leader)
        self.client.post(self.url, self.data(reminder_times=""))
        self.assertEqual(Incident.objects.get().reminder_times, [])

    def test_it_rejects_a_reminder_that_is_not_a_time(self):
        self.login(self.leader)
        for bad in ("8点", "25:00", "08:60", "0800", "08:00, abc"):
            with self.subTest(bad=bad):
                response = self.client.post(self.url, self.data(reminder_times=bad))
                self.assertEqual(response.status_code, 200)
                self.assertIn("reminder_times", response.context["form"].errors)
                self.assertContains(response, "Not a time of day")
        self.assertFalse(Incident.objects.exists())

    def test_it_rejects_a_reminder_at_or_after_the_deadline(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data(reminder_times="08:00, 10:00, 11:00"))
        self.assertEqual(
            response.context["form"].errors["reminder_times"],
            ["Reminders must come before the deadline (10:00): 10:00, 11:00"],
        )
        self.assertFalse(Incident.objects.exists())

    def test_it_rejects_a_missing_or_malformed_deadline(self):
        self.login(self.leader)
        for bad in ("", "25:00", "ten"):
            with self.subTest(bad=bad):
                response = self.client.post(self.url, self.data(deadline=bad))
                self.assertIn("deadline", response.context["form"].errors)
        self.assertFalse(Incident.objects.exists())

    def test_it_rejects_an_incident_without_units(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data(units=[]))
        self.assertEqual(response.context["form"].errors["units"], ["Choose at least one unit."])
        self.assertFalse(Incident.objects.exists())

    def test_a_form_with_errors_keeps_the_chosen_units(self):
        self.login(self.admin)
        response = self.client.post(self.url, self.data(reminder_times="11:00"))
        self.assertContains(
            response,
            f'value="{self.college.pk}" class="form-check-input" id="id_units_1" checked',
        )

    def test_it_rejects_a_start_in_the_future(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data(started_at="2022-04-02T09:30"))
        self.assertIn("started_at", response.context["form"].errors)
        self.assertFalse(Incident.objects.exists())

    def test_it_shows_the_form_with_units_and_templates(self):
        default_plan_template()
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, "信息学院")
        self.assertContains(response, "校园封控应急预案")
        self.assertContains(response, 'value="2022-04-02T09:00"')

    def test_a_counsellor_may_not_open_one(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, self.data()).status_code, 403)
        self.assertFalse(Incident.objects.exists())

    def test_a_student_does_not_find_the_page(self):
        self.login(self.student)
        self.assertEqual(self.client.post(self.url, self.data()).status_code, 404)


class OpenIncidentActionTestCase(BaseTestCase):
    def test_it_refuses_an_incident_without_units(self):
        with self.assertRaises(ValidationError):
            open_incident(title="x", units=[], acting_user=self.leader)
        self.assertFalse(Incident.objects.exists())

    def test_it_refuses_reminders_after_the_deadline(self):
        with self.assertRaises(ValidationError) as raised:
            open_incident(
                title="x",
                units=[self.college],
                deadline=dt.time(9, 0),
                reminder_times=["08:00", "09:00"],
                acting_user=self.leader,
            )
        self.assertIn("reminder_times", raised.exception.message_dict)
        self.assertFalse(Incident.objects.exists())

    def test_it_tidies_reminder_times(self):
        incident = open_incident(
            title="x",
            units=[self.college],
            reminder_times=["9:30", "08:00", "09:30"],
            acting_user=self.leader,
        )
        self.assertEqual(incident.reminder_times, ["08:00", "09:30"])
