from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.core.models import LogEntry
from shouwang.incidents.actions import close_incident, open_incident, record_meeting
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


@freeze_time("2022-04-20 12:00:00+08:00")
class CollegeMeetingTestCase(BaseTestCase):
    """The college's own meeting, held online for no incident: the work-promotion meeting."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.data = {
            "held_at": "2022-04-20T09:00",
            "title": "学院工作推进会",
            "attendees": "学院党政班子成员、各系主任",
            "is_online": "on",
            "decisions": "1. 细化重点工作举措\n2、线上双选会于5月前举办\n（三）毕业答辩改为线上",
        }

    def record(self) -> Meeting:
        self.login(self.leader)
        response = self.client.post(reverse("incidents:meeting_new_college"), self.data)
        meeting = Meeting.objects.get(incident=None)
        self.assertRedirects(response, meeting.get_absolute_url())
        return meeting

    def test_a_leader_records_an_online_meeting_without_an_incident(self):
        meeting = self.record()
        self.assertIsNone(meeting.incident)
        self.assertTrue(meeting.is_online)
        self.assertEqual(meeting.held_at, beijing(2022, 4, 20, 9))
        self.assertEqual(
            list(meeting.decisions.values_list("number", "text")),
            [(1, "细化重点工作举措"), (2, "线上双选会于5月前举办"), (3, "毕业答辩改为线上")],
        )
        entry = LogEntry.objects.get_for_object(meeting).get(kind="incidents.meeting_recorded")
        self.assertEqual(entry.actor, self.leader)

    def test_its_page_shows_each_decision_as_a_numbered_row(self):
        meeting = self.record()
        self.login(self.teacher)
        response = self.client.get(meeting.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="online"')
        self.assertNotContains(response, 'data-testid="incident"')
        rows = [(d.number, d.text) for d in response.context["decisions"]]
        self.assertEqual(
            rows,
            [(1, "细化重点工作举措"), (2, "线上双选会于5月前举办"), (3, "毕业答辩改为线上")],
        )
        for number, text in rows:
            self.assertContains(response, f'data-number="{number}"')
            self.assertContains(response, text)

    def test_staff_of_every_college_see_it_students_do_not(self):
        meeting = self.record()
        for user in (self.counsellor_a_user, self.teacher, self.leader_b, self.counsellor_c_user):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 200)
                listed = self.client.get(reverse("incidents:meeting_list"))
                self.assertEqual([m.pk for m in listed.context["meetings"]], [meeting.pk])
        for user in (self.student, self.volunteer, self.student_c_user):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 404)
                self.assertEqual(
                    self.client.get(reverse("incidents:meeting_list")).status_code, 404
                )

    def test_an_incidents_meeting_goes_with_the_incident(self):
        incident = open_incident(title="校园封控", units=[self.college], acting_user=self.leader)
        meeting = record_meeting(
            incident,
            held_at=beijing(2022, 4, 20, 8),
            title="召开专题会议研究部署",
            decisions=["启动应急预案"],
            acting_user=self.leader,
        )
        college = self.record()
        self.login(self.counsellor_a_user)
        listed = self.client.get(reverse("incidents:meeting_list"))
        self.assertEqual([m.pk for m in listed.context["meetings"]], [college.pk, meeting.pk])
        self.assertContains(self.client.get(meeting.get_absolute_url()), incident.title)
        # The other college's leader sees no incident of this college, nor its meetings.
        self.login(self.leader_b)
        listed = self.client.get(reverse("incidents:meeting_list"))
        self.assertEqual([m.pk for m in listed.context["meetings"]], [college.pk])
        self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 404)

    def test_a_counsellor_may_not_record_one(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(reverse("incidents:meeting_new_college"), self.data)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Meeting.objects.exists())

    def test_the_list_offers_recording_to_leaders_only(self):
        self.login(self.leader)
        self.assertContains(
            self.client.get(reverse("incidents:meeting_list")), 'data-testid="record-meeting"'
        )
        self.login(self.teacher)
        self.assertNotContains(
            self.client.get(reverse("incidents:meeting_list")), 'data-testid="record-meeting"'
        )
