"""Employers and positions: run by the office, leaders and admins, browsed by
everyone; an employer's contact for the runners only, its phone masked until
asked for, and every look at it recorded."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.careers import actions
from shouwang.careers.audit import CareersEvent
from shouwang.careers.models import Employer, Graduate, Position
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.people.models import Person

from .base import CareersTestCase

PHONE = "13912340000"


class EmployersTestCase(CareersTestCase):
    def setUp(self):
        # Assert on English source strings: the Chinese catalogue is written last.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        Employer.objects.filter(pk=self.employer.pk).update(
            contact_name="王经理", contact_phone=PHONE, contact_email="hr@example.com"
        )

    def contact_reads(self):
        return LogEntry.objects.filter(kind=CareersEvent.EMPLOYER_CONTACT_READ.value)

    def add_position(self, title: str, majors=(), **fields) -> Position:
        return actions.save_position(
            Position(employer=self.employer, title=title, **fields), majors, acting_user=self.office
        )


class EmployerListTests(EmployersTestCase):
    def test_the_office_sees_the_contacts_with_phones_masked(self):
        self.login(self.office)
        response = self.client.get(reverse("careers:employer_list"))
        self.assertContains(response, "太原软件科技有限公司")
        self.assertContains(response, "王经理")
        self.assertContains(response, "139****0000")
        self.assertNotContains(response, PHONE)
        self.assertFalse(self.contact_reads().exists())

    def test_a_graduate_browses_the_employers_without_their_contacts(self):
        self.login(self.student)
        response = self.client.get(reverse("careers:employer_list"))
        self.assertContains(response, "太原软件科技有限公司")
        self.assertNotContains(response, "王经理")
        self.assertNotContains(response, "139****0000")

    def test_it_counts_each_employers_open_positions(self):
        self.add_position("测试工程师", deadline=clock.today() - dt.timedelta(days=1))
        self.login(self.office)
        response = self.client.get(reverse("careers:employer_list"))
        self.assertEqual(response.context["page"][0].open_positions, 1)

    def test_it_searches_by_name(self):
        actions.save_employer(Employer(name="北京数据有限公司"), acting_user=self.office)
        self.login(self.leader)
        response = self.client.get(reverse("careers:employer_list"), {"q": "北京"})
        self.assertEqual([e.name for e in response.context["page"]], ["北京数据有限公司"])


class EmployerDetailTests(EmployersTestCase):
    def test_a_graduate_sees_the_employer_and_its_positions_but_not_its_contact(self):
        self.login(self.student)
        response = self.client.get(self.employer.get_absolute_url())
        self.assertContains(response, "Java开发工程师")
        self.assertNotContains(response, "王经理")
        self.assertNotContains(response, "hr@example.com")
        self.assertNotContains(response, "139****0000")
        self.assertNotContains(response, 'data-testid="employer-edit"')

    def test_a_runner_sees_the_contact_with_the_phone_masked(self):
        self.login(self.leader)
        response = self.client.get(self.employer.get_absolute_url())
        self.assertContains(response, "王经理")
        self.assertContains(response, "hr@example.com")
        self.assertContains(response, "139****0000")
        self.assertNotContains(response, PHONE)

    def test_the_full_number_is_shown_for_a_reason_that_is_recorded(self):
        self.login(self.office)
        url = reverse("careers:employer_contact", args=[self.employer.pk])
        response = self.client.post(url, {"reason": "确认双选会参会时间"})
        self.assertContains(response, PHONE)
        read = self.contact_reads().get()
        self.assertEqual(read.actor, self.office)
        self.assertEqual(read.additional_data["reason"], "确认双选会参会时间")

    def test_no_reason_no_number(self):
        self.login(self.office)
        url = reverse("careers:employer_contact", args=[self.employer.pk])
        response = self.client.post(url, {"reason": ""})
        self.assertNotContains(response, PHONE)
        self.assertFalse(self.contact_reads().exists())

    def test_a_graduate_cannot_ask_for_the_number(self):
        self.login(self.student)
        url = reverse("careers:employer_contact", args=[self.employer.pk])
        response = self.client.post(url, {"reason": "想联系"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.contact_reads().exists())


class EmployerFormTests(EmployersTestCase):
    def test_the_office_adds_an_employer(self):
        self.login(self.office)
        response = self.client.post(
            reverse("careers:employer_form"),
            {
                "name": "山西数智科技有限公司",
                "sector": "信息技术",
                "city": "太原",
                "contact_name": "李老师",
                "contact_phone": "139 1234 5678",
                "contact_email": "",
            },
        )
        employer = Employer.objects.get(name="山西数智科技有限公司")
        self.assertRedirects(response, employer.get_absolute_url())
        self.assertEqual(employer.contact_phone, "13912345678")
        self.assertTrue(
            LogEntry.objects.get_for_object(employer)
            .filter(kind=CareersEvent.EMPLOYER_SAVED.value)
            .exists()
        )

    def test_a_bad_phone_is_refused_and_nothing_is_lost(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("careers:employer_form"),
            {"name": "山西数智科技有限公司", "contact_phone": "call me"},
        )
        self.assertContains(response, "This does not look like a phone number.")
        self.assertContains(response, "山西数智科技有限公司")
        self.assertFalse(Employer.objects.filter(name="山西数智科技有限公司").exists())

    def test_the_same_name_twice_is_refused(self):
        self.login(self.office)
        response = self.client.post(reverse("careers:employer_form"), {"name": self.employer.name})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Employer.objects.filter(name=self.employer.name).count(), 1)

    def test_opening_the_edit_form_is_a_read_of_the_contact(self):
        self.login(self.office)
        response = self.client.get(reverse("careers:employer_edit", args=[self.employer.pk]))
        self.assertContains(response, PHONE)
        self.assertEqual(self.contact_reads().get().additional_data["reason"], "edit")

    def test_a_graduate_may_not_add_or_edit_employers(self):
        self.login(self.student)
        self.assertEqual(self.client.get(reverse("careers:employer_form")).status_code, 403)
        edit = reverse("careers:employer_edit", args=[self.employer.pk])
        self.assertEqual(self.client.post(edit, {"name": "改名"}).status_code, 403)
        self.assertFalse(self.contact_reads().exists())
        self.assertEqual(Employer.objects.get(pk=self.employer.pk).name, "太原软件科技有限公司")


class PositionFormTests(EmployersTestCase):
    def test_the_majors_offered_are_the_rosters_programmes(self):
        self.login(self.office)
        response = self.client.get(reverse("careers:position_form"), {"employer": self.employer.pk})
        choices = [value for value, _label in response.context["form"].fields["majors"].choices]
        self.assertEqual(choices, ["信息管理与信息系统", "计算机科学与技术"])
        self.assertEqual(response.context["form"].initial["employer"], str(self.employer.pk))

    def test_the_office_adds_a_position_for_some_majors(self):
        self.login(self.office)
        response = self.client.post(
            reverse("careers:position_form"),
            {
                "employer": self.employer.pk,
                "title": "数据分析师",
                "city": "北京",
                "salary_min": "8000",
                "salary_max": "12000",
                "openings": "2",
                "deadline": "2030-06-30",
                "majors": ["信息管理与信息系统", "计算机科学与技术"],
            },
        )
        position = Position.objects.get(title="数据分析师")
        self.assertRedirects(response, position.get_absolute_url())
        self.assertEqual(
            sorted(position.majors.values_list("programme", flat=True)),
            ["信息管理与信息系统", "计算机科学与技术"],
        )

    def test_no_major_chosen_is_every_major(self):
        self.login(self.leader)
        self.client.post(
            reverse("careers:position_form"),
            {"employer": self.employer.pk, "title": "管培生", "openings": "10"},
        )
        position = Position.objects.get(title="管培生")
        self.assertFalse(position.majors.exists())
        response = self.client.get(position.get_absolute_url())
        self.assertContains(response, "every major")

    def test_editing_changes_the_majors(self):
        self.login(self.office)
        url = reverse("careers:position_edit", args=[self.position.pk])
        self.assertEqual(
            self.client.get(url).context["form"].initial["majors"], ["计算机科学与技术"]
        )
        self.client.post(
            url,
            {
                "employer": self.employer.pk,
                "title": "Java开发工程师",
                "openings": "5",
                "majors": ["信息管理与信息系统"],
            },
        )
        self.assertEqual(
            list(self.position.majors.values_list("programme", flat=True)), ["信息管理与信息系统"]
        )

    def test_a_salary_range_ending_below_its_start_is_refused(self):
        self.login(self.office)
        response = self.client.post(
            reverse("careers:position_form"),
            {
                "employer": self.employer.pk,
                "title": "运维工程师",
                "salary_min": "9000",
                "salary_max": "6000",
                "openings": "1",
            },
        )
        self.assertContains(response, "The salary range ends below its start.")
        self.assertFalse(Position.objects.filter(title="运维工程师").exists())

    def test_a_graduate_may_not_add_positions(self):
        self.login(self.student)
        response = self.client.post(
            reverse("careers:position_form"),
            {"employer": self.employer.pk, "title": "自己加的岗位", "openings": "1"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Position.objects.filter(title="自己加的岗位").exists())


class PositionListTests(EmployersTestCase):
    def titles(self, response) -> list[str]:
        return [position.title for position in response.context["page"]]

    def test_a_graduate_sees_the_positions_for_their_major_first(self):
        self.add_position("信息系统分析员", ["信息管理与信息系统"])
        self.add_position("管培生")  # every major
        self.login(self.student)  # 张三, 计算机科学与技术
        response = self.client.get(reverse("careers:position_list"))
        self.assertEqual(self.titles(response), ["管培生", "Java开发工程师", "信息系统分析员"])
        self.assertContains(response, 'data-testid="for-me"', count=2)

    def test_for_my_major_leaves_out_the_others(self):
        self.add_position("信息系统分析员", ["信息管理与信息系统"])
        self.login(self.graduate_b_user)  # 王六, 信息管理与信息系统
        response = self.client.get(reverse("careers:position_list"), {"mine": "on"})
        self.assertEqual(self.titles(response), ["信息系统分析员"])

    def test_a_graduate_without_a_programme_of_their_own_has_their_classs(self):
        Person.objects.filter(pk=self.student_a.pk).update(programme="")
        self.login(self.student)  # class A: 计算机科学与技术
        response = self.client.get(reverse("careers:position_list"), {"mine": "on"})
        self.assertEqual(self.titles(response), ["Java开发工程师"])

    def test_it_filters_by_major_city_and_employer(self):
        self.add_position("信息系统分析员", ["信息管理与信息系统"], city="北京")
        other = actions.save_employer(
            Employer(name="北京数据有限公司", city="北京"), acting_user=self.office
        )
        actions.save_position(Position(employer=other, title="数据工程师"), acting_user=self.office)
        self.login(self.teacher)
        url = reverse("careers:position_list")
        self.assertEqual(
            self.titles(self.client.get(url, {"major": "信息管理与信息系统"})),
            ["数据工程师", "信息系统分析员"],
        )
        # A position with no city of its own is in its employer's.
        self.assertEqual(
            self.titles(self.client.get(url, {"city": "北京"})), ["数据工程师", "信息系统分析员"]
        )
        self.assertEqual(self.titles(self.client.get(url, {"employer": other.pk})), ["数据工程师"])
        self.assertEqual(self.titles(self.client.get(url, {"q": "Java"})), ["Java开发工程师"])

    def test_positions_past_their_deadline_are_left_out_unless_asked_for(self):
        self.add_position("过期岗位", deadline=clock.today() - dt.timedelta(days=1))
        self.add_position("今天截止", deadline=clock.today())
        self.login(self.student)
        url = reverse("careers:position_list")
        self.assertNotIn("过期岗位", self.titles(self.client.get(url)))
        self.assertIn("今天截止", self.titles(self.client.get(url)))
        response = self.client.get(url, {"show": "all"})
        self.assertIn("过期岗位", self.titles(response))
        self.assertContains(response, "closed")

    def test_it_comes_in_pages_asking_the_same_queries_whatever_their_number(self):
        self.login(self.student)
        url = reverse("careers:position_list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(30):
            self.add_position(f"岗位{n:02d}", ["计算机科学与技术"] if n % 2 else [])
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertEqual(len(many), len(few))
        self.assertEqual(len(response.context["page"]), 20)
        self.assertEqual(response.context["page"].paginator.count, 31)
        self.assertEqual(len(self.client.get(url, {"page": 2}).context["page"]), 11)

    def test_a_graduate_is_offered_the_digests_mute(self):
        self.login(self.student)
        response = self.client.get(reverse("careers:position_list"))
        self.assertContains(response, reverse("careers:digest_mute"))
        self.login(self.teacher)
        response = self.client.get(reverse("careers:position_list"))
        self.assertNotContains(response, reverse("careers:digest_mute"))
        self.assertNotIn("mine", response.context["form"].fields)


class DigestMuteTests(EmployersTestCase):
    def test_a_graduate_mutes_their_digest_and_turns_it_on_again(self):
        self.login(self.student)
        url = reverse("careers:digest_mute")
        self.assertContains(self.client.get(url), "You get the digest.")
        response = self.client.post(url, {"muted": "on"})
        self.assertRedirects(response, url)
        self.assertTrue(Graduate.objects.get(pk=self.graduate_a.pk).digest_muted)
        self.assertContains(self.client.get(url), "The digest is muted.")
        self.client.post(url, {"muted": ""})
        graduate = Graduate.objects.get(pk=self.graduate_a.pk)
        self.assertFalse(graduate.digest_muted)
        # What came while it was muted is not sent: it starts again from now.
        self.assertIsNotNone(graduate.digest_sent_at)

    def test_it_changes_only_the_graduates_own(self):
        self.login(self.student)
        self.client.post(reverse("careers:digest_mute"), {"muted": "on"})
        self.assertFalse(Graduate.objects.get(pk=self.graduate_b.pk).digest_muted)

    def test_who_is_no_graduate_has_no_digest(self):
        self.login(self.student_b_user)
        self.assertEqual(self.client.get(reverse("careers:digest_mute")).status_code, 404)
