"""Setting the judging up: the criteria and their weights, the judges, and the runners' page."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from shouwang.activities import actions, judging
from shouwang.activities.models import Activity, JudgeAssignment, JudgingCriterion
from shouwang.test import make_person

from .base_judging import JudgingTestCase


class CriteriaTests(JudgingTestCase):
    def test_the_weights_must_add_up_to_100(self):
        with self.assertRaises(ValidationError):
            judging.set_criteria(
                self.contest,
                [
                    JudgingCriterion(name="创意", weight=60),
                    JudgingCriterion(name="主题", weight=30),
                ],
                acting_user=self.organiser,
            )
        self.assertEqual(
            list(self.contest.criteria.values_list("name", "weight", "max_points")),
            [("主题契合", 30, 30), ("创意", 30, 30), ("艺术表现", 25, 25), ("完成度", 15, 15)],
        )

    def test_the_page_offers_a_contests_criteria_and_refuses_a_bad_total(self):
        self.contest.criteria.all().delete()
        self.login(self.organiser)
        url = reverse("activities:judging_criteria", args=[self.contest.pk])
        response = self.client.get(url)
        names = [form.initial["name"] for form in response.context["formset"].forms[:4]]
        self.assertEqual(names, ["主题契合", "创意", "艺术表现", "完成度"])
        data = {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "创意",
            "form-0-weight": "60",
            "form-0-max_points": "60",
            "form-1-name": "主题",
            "form-1-weight": "30",
            "form-1-max_points": "30",
        }
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "90")
        self.assertFalse(self.contest.criteria.exists())
        data["form-1-weight"] = "40"
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("activities:judging", args=[self.contest.pk]))
        self.assertEqual(
            list(self.contest.criteria.values_list("name", "weight")), [("创意", 60), ("主题", 40)]
        )

    def test_the_criteria_stay_once_a_point_is_given(self):
        self.sheet(self.supervisor_person, self.entry_a, [20, None, None, None])
        with self.assertRaises(ValidationError):
            judging.set_criteria(self.contest, judging.default_criteria(), acting_user=self.leader)


class JudgesTests(JudgingTestCase):
    def test_a_student_who_takes_part_may_not_judge(self):
        with self.assertRaisesMessage(ValidationError, "张三"):
            judging.set_judges(
                self.contest, [self.teacher_person, self.student_a], acting_user=self.organiser
            )
        self.assertEqual(
            set(self.contest.judges.all()), {self.supervisor_person, self.teacher_person}
        )

    def test_a_student_who_takes_no_part_may_judge(self):
        student = make_person("2020003", "周九", unit=self.college, admin_class=self.class_a)
        judging.set_judges(self.contest, [self.teacher_person, student], acting_user=self.organiser)
        self.assertEqual(set(self.contest.judges.all()), {self.teacher_person, student})

    def test_a_judge_who_scored_stays_and_one_who_leaves_takes_their_assignments(self):
        self.sheet(self.supervisor_person, self.entry_a, [20, None, None, None])
        judging.assign(self.contest, self.teacher_person, self.entry_e, acting_user=self.organiser)
        with self.assertRaisesMessage(ValidationError, "郭督导"):
            judging.set_judges(self.contest, [self.teacher_person], acting_user=self.organiser)
        judging.set_judges(self.contest, [self.supervisor_person], acting_user=self.organiser)
        self.assertFalse(JudgeAssignment.objects.filter(judge=self.teacher_person).exists())

    def test_the_judges_page_names_them_by_number_or_name(self):
        self.login(self.organiser)
        url = reverse("activities:judging_judges", args=[self.contest.pk])
        self.assertContains(self.client.get(url), "T1020")
        response = self.client.post(url, {"judges": "郭督导、T1001"})
        self.assertRedirects(response, reverse("activities:judging", args=[self.contest.pk]))
        self.assertEqual(
            set(self.contest.judges.all()), {self.supervisor_person, self.counsellor_a}
        )
        response = self.client.post(url, {"judges": "张三"}, follow=True)
        self.assertContains(response, "张三")
        self.assertEqual(self.contest.judges.count(), 2)


class JudgingPageTests(JudgingTestCase):
    def test_the_runners_see_each_judges_progress(self):
        self.sheet(self.supervisor_person, self.entry_a, 80)
        judging.assign(self.contest, self.supervisor_person, self.entry_e, acting_user=self.leader)
        judging.assign(self.contest, self.teacher_person, self.entry_e, acting_user=self.leader)
        for user in (self.organiser, self.leader, self.admin):
            self.login(user)
            response = self.client.get(reverse("activities:judging", args=[self.contest.pk]))
            rows = [
                (row["judge__name"], row["done"], row["assigned"])
                for row in response.context["progress"]
            ]
            self.assertEqual(rows, [("李明", 0, 1), ("郭督导", 1, 2)])

    def test_a_judge_or_a_student_may_not_run_it(self):
        for user in (self.supervisor, self.student, self.counsellor_a_user):
            self.login(user)
            response = self.client.get(reverse("activities:judging", args=[self.contest.pk]))
            self.assertEqual(response.status_code, 403)

    def test_an_activity_without_entries_has_nothing_to_judge(self):
        forum = actions.save_activity(
            Activity(
                title="青年先锋论坛",
                kind=Activity.Kind.FORUM,
                unit=self.college,
                organiser="学院团委",
                starts_on=self.contest.starts_on,
                ends_on=self.contest.ends_on,
            ),
            acting_user=self.leader,
        )
        self.login(self.leader)
        response = self.client.get(reverse("activities:judging", args=[forum.pk]))
        self.assertEqual(response.status_code, 404)
