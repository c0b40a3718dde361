from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import close_incident, open_incident
from shouwang.incidents.models import Meeting
from shouwang.lib.clock import beijing
from shouwang.test import BaseTestCase


@freeze_time("2022-04-02 12:00:00+08:00")
class RecordMeetingTestCase(BaseTestCase):
    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.incident = open_incident(
            title="校园封控", units=[self.college], acting_user=self.leader
        )
        self.url = reverse("incidents:meeting_new", args=[self.incident.pk])
        self.data = {
            "held_at": "2022-04-02T10:30",
            "title": "召开专题会议研究部署",
            "attendees": "学院党委班子成员、辅导员",
            "decisions": "1. 启动应急预案\n2、全体师生每日10:00前完成健康打卡",
        }

    def test_a_leader_records_a_meeting_and_its_decisions(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data)
        self.assertRedirects(response, f"{self.incident.get_absolute_url()}#meetings")
        meeting = Meeting.objects.get()
        self.assertEqual(meeting.incident, self.incident)
        self.assertEqual(meeting.held_at, beijing(2022, 4, 2, 10, 30))
        self.assertEqual(meeting.recorded_by, self.leader)
        self.assertEqual(
            list(meeting.decisions.values_list("number", "text")),
            [(1, "启动应急预案"), (2, "全体师生每日10:00前完成健康打卡")],
        )
        entry = LogEntry.objects.get_for_object(meeting).get(kind="incidents.meeting_recorded")
        self.assertEqual(entry.actor, self.leader)

    def test_the_meeting_shows_in_the_incidents_log(self):
        self.login(self.leader)
        self.client.post(self.url, self.data)
        self.login(self.counsellor_b_user)
        response = self.client.get(self.incident.get_absolute_url())
        self.assertContains(response, "召开专题会议研究部署")
        self.assertContains(response, "全体师生每日10:00前完成健康打卡")

    def test_it_wants_decisions_and_a_past_time(self):
        self.login(self.leader)
        response = self.client.post(
            self.url, {**self.data, "decisions": "", "held_at": "2022-04-02T15:00"}
        )
        self.assertEqual(set(response.context["form"].errors), {"decisions", "held_at"})
        self.assertFalse(Meeting.objects.exists())

    def test_a_counsellor_may_not_record_one(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.post(self.url, self.data).status_code, 403)
        self.assertFalse(Meeting.objects.exists())

    def test_a_closed_incidents_log_is_final(self):
        close_incident(self.incident, acting_user=self.leader)
        self.login(self.leader)
        response = self.client.post(self.url, self.data)
        self.assertRedirects(response, self.incident.get_absolute_url())
        self.assertFalse(Meeting.objects.exists())
