"""The careers home for each of its users, the list of graduates with its
filters, and a graduate's page: each user sees their own graduates only."""

from __future__ import annotations

from django.urls import reverse

from shouwang.careers import actions
from shouwang.careers.models import Destination, Difficulty, Employer, Graduate
from shouwang.people.models import Person
from shouwang.test import make_person, make_user

from .outcomes import OutcomesTestCase, make_graduate, place, report

D = Destination


class HomeTests(OutcomesTestCase):
    def home(self, user):
        self.login(user)
        return self.client.get(reverse("careers:index"))

    def test_a_graduate_sees_their_own_record_and_history(self):
        place(self.graduate_a, D.SEEKING, self.counsellor_a_user)
        report(self.graduate_a, D.AGREEMENT, self.student, "太原银行")
        actions.record_offer(self.graduate_a, self.employer, acting_user=self.office)
        response = self.home(self.student)
        self.assertContains(response, 'data-testid="own"')
        self.assertContains(response, 'data-testid="pending"')
        self.assertContains(response, "太原银行")
        self.assertContains(response, self.employer.name)
        self.assertEqual(len(response.context["reports"]), 2)
        # Nothing of the others': no overview, no queue.
        self.assertNotContains(response, 'data-testid="overview"')
        self.assertNotContains(response, "王六")

    def test_a_graduating_student_not_yet_in_a_cohort_is_told_so(self):
        person = make_person(
            "2020050", "晚到", unit=self.college, admin_class=self.class_a, graduating=True
        )
        response = self.home(make_user(person))
        self.assertContains(response, 'data-testid="not-enrolled"')

    def test_a_student_not_graduating_has_no_careers_home(self):
        self.assertEqual(self.home(self.student_b_user).status_code, 403)

    def test_a_counsellor_sees_their_classes_and_the_reports_to_confirm(self):
        report(self.graduate_a, D.SEEKING, self.student)
        report(self.graduate_b, D.SEEKING, self.graduate_b_user)
        response = self.home(self.counsellor_a_user)
        self.assertContains(response, 'data-testid="overview"')
        self.assertEqual(response.context["summary"].rate.graduates, 1)
        queue = [pending.graduate for pending in response.context["to_confirm"]]
        self.assertEqual(queue, [self.graduate_a])
        self.assertContains(response, reverse("careers:seeking"))

    def test_the_office_sees_the_cohort_and_every_report_waiting(self):
        report(self.graduate_a, D.SEEKING, self.student)
        report(self.graduate_b, D.SEEKING, self.graduate_b_user)
        response = self.home(self.office)
        self.assertEqual(response.context["summary"].rate.graduates, 2)
        self.assertEqual(response.context["to_confirm_count"], 2)
        self.assertContains(response, reverse("careers:cohort"))

    def test_the_leader_sees_how_many_wait_but_confirms_none(self):
        report(self.graduate_a, D.SEEKING, self.student)
        response = self.home(self.leader)
        self.assertEqual(response.context["to_confirm_count"], 1)
        self.assertNotContains(response, 'data-testid="confirm"')


class GraduateListTests(OutcomesTestCase):
    master: Graduate

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.master = make_graduate(cls, "2022001", "马硕", cls.class_b, level="master")
        place(cls.graduate_b, D.FURTHER_STUDY, cls.counsellor_b_user)
        actions.set_difficulty(cls.master, Difficulty.DISABILITY, acting_user=cls.office)
        report(cls.graduate_a, D.SEEKING, cls.student)

    def names(self, user=None, **query):
        self.login(user or self.leader)
        response = self.client.get(reverse("careers:graduate_list"), query)
        return {graduate.person.name for graduate in response.context["page"]}

    def test_it_lists_the_users_graduates(self):
        self.assertEqual(self.names(), {"张三", "王六", "马硕"})
        self.assertEqual(self.names(self.counsellor_a_user), {"张三"})
        self.assertEqual(self.names(self.counsellor_b_user), {"王六", "马硕"})

    def test_it_filters(self):
        self.assertEqual(self.names(admin_class="计科2001"), {"张三"})
        self.assertEqual(self.names(major="信息管理与信息系统"), {"王六", "马硕"})
        self.assertEqual(self.names(level="master"), {"马硕"})
        self.assertEqual(self.names(group="study"), {"王六"})
        self.assertEqual(self.names(difficulty="yes"), {"马硕"})
        self.assertEqual(self.names(difficulty=Difficulty.FAMILY_INCOME), set())
        self.assertEqual(self.names(pending="on"), {"张三"})
        self.assertEqual(self.names(cohort="2024", group="not_placed"), {"张三", "马硕"})

    def test_a_counsellor_is_offered_their_own_classes_only(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("careers:graduate_list"))
        self.assertEqual(
            [value for value, _label in response.context["form"].fields["admin_class"].choices],
            ["", "计科2001"],
        )

    def test_the_list_asks_the_same_queries_however_many_graduates(self):
        self.login(self.leader)
        url = reverse("careers:graduate_list")
        self.client.get(url)
        with self.assertNumQueries(10):
            self.client.get(url)
        for n in range(5):
            make_graduate(self, f"202101{n}", f"新{n}", self.class_b)
        with self.assertNumQueries(10):
            self.client.get(url)


class GraduatePageTests(OutcomesTestCase):
    def get(self, user, graduate=None):
        self.login(user)
        return self.client.get((graduate or self.graduate_a).get_absolute_url())

    def test_the_graduate_their_counsellor_the_leader_and_the_office_see_it(self):
        for user in (self.student, self.counsellor_a_user, self.leader, self.office, self.admin):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 200)

    def test_another_counsellor_or_graduate_gets_404(self):
        for user in (self.counsellor_b_user, self.graduate_b_user, self.teacher, self.volunteer):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)

    def test_another_colleges_counsellor_and_leader_get_404(self):
        self.create_other_college()
        for user in (self.counsellor_c_user, self.leader_b):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)
        self.assertEqual(self.get(self.university_leader).status_code, 200)

    def test_it_shows_the_offers_read_only(self):
        other = actions.save_employer(Employer(name="晋商银行"), acting_user=self.office)
        actions.record_offer(self.graduate_a, other, acting_user=self.office)
        response = self.get(self.counsellor_a_user)
        self.assertContains(response, "晋商银行")
        self.assertNotContains(response, "/offers/")

    def test_the_counsellor_has_the_forms_the_leader_only_reads(self):
        self.assertContains(self.get(self.counsellor_a_user), 'data-testid="follow-up-form"')
        leader_page = self.get(self.leader)
        self.assertNotContains(leader_page, 'data-testid="follow-up-form"')
        self.assertContains(leader_page, 'data-testid="follow-ups"')


class CohortTests(OutcomesTestCase):
    def test_the_office_takes_the_cohort_from_the_roster(self):
        Person.objects.filter(pk=self.student_b.pk).update(graduating=True)
        self.login(self.office)
        page = self.client.get(reverse("careers:cohort"))
        self.assertEqual(page.context["not_enrolled"], 1)
        response = self.client.post(reverse("careers:cohort"), {"cohort": "2024"}, follow=True)
        self.assertContains(response, "1 graduates added to the 2024 cohort.")
        self.assertTrue(Graduate.objects.filter(person=self.student_b, cohort=2024).exists())
        again = self.client.post(reverse("careers:cohort"), {"cohort": "2024"}, follow=True)
        self.assertContains(again, "0 graduates added to the 2024 cohort.")

    def test_a_year_that_is_not_one_is_refused(self):
        self.login(self.office)
        response = self.client.post(reverse("careers:cohort"), {"cohort": "24"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)

    def test_only_the_office_and_admins_take_a_cohort(self):
        for user, status in ((self.admin, 200), (self.leader, 403), (self.counsellor_a_user, 403)):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(reverse("careers:cohort")).status_code, status)
