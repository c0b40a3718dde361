"""A leader's reach is their own unit and its sub-units; an admin's is everything.

Two colleges under one university: the college leader sees their college
only, the university leader and the admin see both.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from shouwang.accounts.models import Role, User
from shouwang.care import actions as care
from shouwang.care.models import Isolation
from shouwang.helpdesk.message_kinds import HELP
from shouwang.helpdesk.models import HelpRequest
from shouwang.helpdesk.tests.helpers import make_request
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notices.audience import Audience, reach_of
from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message, MessageDelivery
from shouwang.people.models import Person
from shouwang.screening.escalation import escalate_missing
from shouwang.screening.models import Flag
from shouwang.test import BaseTestCase, make_person, make_user
from shouwang.volunteers.access import teams_for_user
from shouwang.volunteers.models import Team


def fresh(user: User) -> User:
    return User.objects.select_related("person").get(pk=user.pk)


class ReachTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def status(self, user: User, url: str) -> int:
        self.login(user)
        return self.client.get(url).status_code


class ReachUnitIdsTestCase(ReachTestCase):
    def test_a_college_leader_reaches_their_college_and_nothing_above_or_beside_it(self):
        self.assertEqual(fresh(self.leader).reach_unit_ids, {self.college.pk})

    def test_a_university_leader_reaches_every_college_below(self):
        self.assertEqual(
            fresh(self.university_leader).reach_unit_ids,
            {self.university.pk, self.college.pk, self.college_b.pk},
        )

    def test_an_admin_reaches_everything(self):
        self.assertIsNone(fresh(self.admin).reach_unit_ids)

    def test_a_counsellor_reaches_no_unit(self):
        self.assertEqual(fresh(self.counsellor_a_user).reach_unit_ids, frozenset())

    def test_a_student_without_a_unit_belongs_to_their_class_s_unit(self):
        placed_by_class = make_person("2020102", "卫七", admin_class=self.class_c)
        reach = Person.objects.in_units(fresh(self.leader_b).reach_unit_ids or ())
        self.assertIn(placed_by_class, reach)
        self.assertNotIn(placed_by_class, Person.objects.in_units({self.college.pk}))


class PeopleTestCase(ReachTestCase):
    def test_a_leader_gets_404_on_another_college_s_person(self):
        url = reverse("people:person_detail", args=[self.student_c.pk])
        self.assertEqual(self.status(self.leader, url), 404)
        self.assertEqual(self.status(self.leader_b, url), 200)
        self.assertEqual(self.status(self.university_leader, url), 200)
        self.assertEqual(self.status(self.admin, url), 200)

    def test_a_leader_s_list_and_export_leave_out_another_college(self):
        self.login(self.leader)
        response = self.client.get(reverse("people:person_list"))
        self.assertContains(response, "张三")
        self.assertNotContains(response, "郑六")
        export = self.client.get(reverse("people:roster_export"))
        self.assertEqual(export.status_code, 200)
        self.login(self.university_leader)
        response = self.client.get(reverse("people:person_list"))
        self.assertContains(response, "张三")
        self.assertContains(response, "郑六")

    def test_a_leader_cannot_filter_by_another_college(self):
        self.login(self.leader)
        response = self.client.get(reverse("people:person_list"), {"unit": self.college_b.pk})
        self.assertIn("unit", response.context["filter"].form.errors)
        self.assertNotIn(self.student_c, list(response.context["page"]))

    def test_a_leader_s_home_counts_their_college(self):
        self.login(self.leader)
        totals = self.client.get(reverse("home:home")).context["totals"]
        self.assertEqual(totals["students"], 3)
        self.login(self.university_leader)
        totals = self.client.get(reverse("home:home")).context["totals"]
        self.assertEqual(totals["students"], 4)

    def test_a_leader_with_no_unit_reaches_only_themselves_and_is_told_why(self):
        unplaced = make_user(make_person("T0200", "无单位", Person.Kind.TEACHER))
        unplaced.grant(Role.LEADER)
        self.login(unplaced)
        response = self.client.get(reverse("home:home"))
        self.assertContains(response, "places you in no unit")
        response = self.client.get(reverse("people:person_list"))
        self.assertEqual(list(response.context["page"]), [unplaced.person])
        url = reverse("people:person_detail", args=[self.student_a.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class RecordsTestCase(ReachTestCase):
    """Another college's flag, isolation and help request are 404 to the college's leader."""

    incident: Incident
    flag_c: Flag
    isolation_c: Isolation
    help_c: HelpRequest

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = Incident.objects.create(title="全校封控", opened_by=cls.admin)
        cls.incident.units.add(cls.university)
        cls.flag_c = Flag.objects.create(
            person=cls.student_c, incident=cls.incident, date=clock.today(), reason="fever"
        )
        cls.isolation_c = care.place_in_isolation(
            cls.student_c,
            room=None,
            dorm_room=cls.room,
            reason="密切接触者",
            started_at=clock.now(),
            planned_end=clock.today(),
            acting_user=cls.counsellor_c_user,
        )
        cls.help_c = make_request(cls.student_c_user)

    def assert_only_outside_the_college(self, url: str) -> None:
        self.assertEqual(self.status(self.leader, url), 404)
        self.assertEqual(self.status(self.leader_b, url), 200)
        self.assertEqual(self.status(self.university_leader, url), 200)
        self.assertEqual(self.status(self.admin, url), 200)

    def test_a_flag(self):
        self.assert_only_outside_the_college(
            reverse("screening:flag_detail", args=[self.flag_c.pk])
        )

    def test_an_isolation(self):
        self.assert_only_outside_the_college(
            reverse("care:isolation_detail", args=[self.isolation_c.pk])
        )

    def test_a_help_request(self):
        self.assert_only_outside_the_college(
            reverse("helpdesk:request_detail", args=[self.help_c.pk])
        )

    def test_the_lists_leave_them_out(self):
        self.login(self.leader)
        for url in (
            reverse("screening:flag_list"),
            reverse("care:isolation_list"),
            reverse("helpdesk:overview"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "郑六")
        self.login(self.university_leader)
        self.assertContains(self.client.get(reverse("screening:flag_list")), "郑六")
        self.assertContains(self.client.get(reverse("care:isolation_list")), "郑六")


class IncidentsTestCase(ReachTestCase):
    def test_a_leader_opens_incidents_for_their_own_units_only(self):
        self.login(self.leader)
        response = self.client.get(reverse("incidents:incident_open"))
        units = list(response.context["form"].fields["units"].queryset)
        self.assertEqual(units, [self.college])

    def test_a_college_leader_sees_but_does_not_close_a_university_incident(self):
        incident = Incident.objects.create(title="全校封控", opened_by=self.admin)
        incident.units.add(self.university)
        self.login(self.leader)
        detail = reverse("incidents:incident_detail", args=[incident.pk])
        self.assertEqual(self.client.get(detail).status_code, 200)
        close = reverse("incidents:incident_close", args=[incident.pk])
        self.assertEqual(self.client.post(close).status_code, 403)
        self.login(self.university_leader)
        self.assertEqual(self.client.post(close).status_code, 302)

    def test_another_college_s_incident_is_404_to_a_college_leader(self):
        incident = Incident.objects.create(title="会计学院封控", opened_by=self.admin)
        incident.units.add(self.college_b)
        url = reverse("incidents:incident_detail", args=[incident.pk])
        self.assertEqual(self.status(self.leader, url), 404)
        self.assertEqual(self.status(self.leader_b, url), 200)
        self.assertEqual(self.status(self.university_leader, url), 200)


class NoticesTestCase(ReachTestCase):
    def test_a_leader_s_notice_to_everyone_reaches_their_college_only(self):
        everyone = Audience(everyone=True).resolve(reach_of(fresh(self.leader)))
        self.assertIn(self.student_a, everyone)
        self.assertNotIn(self.student_c, everyone)
        everyone = Audience(everyone=True).resolve(reach_of(fresh(self.university_leader)))
        self.assertIn(self.student_a, everyone)
        self.assertIn(self.student_c, everyone)

    def test_a_leader_cannot_name_another_college_s_person_or_unit(self):
        self.login(self.leader)
        response = self.client.get(reverse("notices:notice_new"))
        self.assertEqual(list(response.context["form"].fields["units"].queryset), [self.college])
        response = self.client.post(
            reverse("notices:notice_new"),
            {"title": "通知", "body": "正文", "people": self.student_c.number},
        )
        self.assertIn("people", response.context["form"].errors)


class MessagesTestCase(ReachTestCase):
    def test_each_leader_is_told_only_of_the_missing_people_they_reach(self):
        incident = Incident.objects.create(
            title="全校封控",
            started_at=clock.now() - dt.timedelta(days=2),
            opened_by=self.admin,
        )
        incident.units.add(self.university)
        escalate_missing(incident, clock.today())
        bodies = {
            message.recipient.number: message.body
            for message in Message.objects.filter(kind=ESCALATION)
        }
        college, college_b, university = (
            user.username for user in (self.leader, self.leader_b, self.university_leader)
        )
        self.assertIn("张三", bodies[college])
        self.assertNotIn("郑六", bodies[college])
        self.assertIn("郑六", bodies[college_b])
        self.assertNotIn("张三", bodies[college_b])
        self.assertIn("张三", bodies[university])
        self.assertIn("郑六", bodies[university])

    def test_a_help_request_with_no_handler_goes_to_a_leader_who_reaches_the_requester(self):
        self.class_c.counsellor = None
        self.class_c.save(update_fields=["counsellor"])
        help_request = make_request(fresh(self.student_c_user))
        self.assertIn(
            help_request.handler_id, {self.leader_b.person_id, self.university_leader.person_id}
        )


class TeamsAndOutboxTestCase(ReachTestCase):
    def test_a_leader_sees_the_teams_their_units_run(self):
        ours = Team.objects.create(
            name="信息学院志愿服务队", kind=Team.Kind.BRIGADE, unit=self.college
        )
        theirs = Team.objects.create(
            name="会计学院志愿服务队", kind=Team.Kind.BRIGADE, unit=self.college_b
        )
        for user, seen in [
            (self.leader, {ours}),
            (self.leader_b, {theirs}),
            (self.university_leader, {ours, theirs}),
            (self.admin, {ours, theirs}),
        ]:
            with self.subTest(user=user.username):
                self.assertEqual(set(teams_for_user(fresh(user))), seen)
        url = reverse("volunteers:team_detail", args=[theirs.pk])
        self.assertEqual(self.status(self.leader, url), 404)
        self.assertEqual(self.status(self.leader_b, url), 200)

    def test_a_leader_s_outbox_lists_only_their_units_recipients(self):
        for person, error in ((self.student_a, "信息学院"), (self.student_c, "会计学院")):
            message = Message.objects.create(
                recipient=person, kind=HELP, title="提醒", created_at=clock.now()
            )
            MessageDelivery.objects.create(
                message=message,
                channel="email",
                status=MessageDelivery.Status.FAILED,
                last_attempt_at=clock.now(),
                last_error=f"{error}: mailbox full",
            )
        self.login(self.leader)
        response = self.client.get(reverse("notify:undelivered"))
        self.assertContains(response, "信息学院: mailbox full")
        self.assertNotContains(response, "会计学院: mailbox full")
        self.login(self.admin)
        response = self.client.get(reverse("notify:undelivered"))
        self.assertContains(response, "会计学院: mailbox full")
