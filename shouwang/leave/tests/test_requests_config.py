"""The leaders configure the kinds of leave with their chains, and the posts' holders."""

from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.leave.audit import LeaveEvent
from shouwang.leave.models import ChainStep, LeaveKind, Post, PostHolder

from .base import TAIYUAN, LeaveTestCase


def kind_data(**changes):
    data = {
        "name": "外出就医",
        "who": "students",
        "whereabouts": "away",
        "needs_destination": "on",
        "decide_within_hours": "12",
        "position": "4",
        "active": "on",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-approver": "counsellor",
        "steps-0-ORDER": "1",
        "steps-2-approver": "post",
        "steps-2-ORDER": "2",
        "steps-2-over_working_days": "3",
        "steps-2-outside_city": TAIYUAN,
    }
    data.update(changes)
    return data


class KindTests(LeaveTestCase):
    def test_a_leader_makes_a_kind_with_its_chain(self):
        self.login(self.leader)
        data = kind_data(**{"steps-2-post": str(self.deputy.pk)})
        response = self.client.post(reverse("leave:kind_new"), data)
        self.assertRedirects(response, reverse("leave:kind_list"))
        kind = LeaveKind.objects.get(name="外出就医")
        self.assertEqual(kind.decide_within_hours, 12)
        steps = list(
            kind.steps.values_list("position", "approver", "over_working_days", "outside_city")
        )
        self.assertEqual(steps, [(1, "counsellor", None, ""), (2, "post", 3, TAIYUAN)])

    def test_a_post_step_names_its_post(self):
        self.login(self.leader)
        response = self.client.post(reverse("leave:kind_new"), kind_data())
        self.assertEqual(response.status_code, 200)
        self.assertIn("post", response.context["steps"].forms[2].errors)
        self.assertFalse(LeaveKind.objects.filter(name="外出就医").exists())

    def test_a_kind_needs_a_step(self):
        self.login(self.leader)
        data = kind_data(**{"steps-0-approver": "", "steps-2-approver": ""})
        data = {k: v for k, v in data.items() if not k.startswith(("steps-0-", "steps-2-"))}
        response = self.client.post(reverse("leave:kind_new"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(LeaveKind.objects.filter(name="外出就医").exists())

    def test_the_chain_is_edited_in_its_order(self):
        self.login(self.leader)
        url = reverse("leave:kind_edit", args=[self.away.pk])
        self.assertContains(self.client.get(url), "离校")
        data = kind_data(
            name="离校",
            **{
                "steps-0-ORDER": "2",
                "steps-2-ORDER": "1",
                "steps-2-post": str(self.deputy.pk),
                "steps-2-outside_city": "",
            },
        )
        self.client.post(url, data)
        self.assertEqual(
            list(self.away.steps.values_list("approver", flat=True)), ["post", "counsellor"]
        )

    def test_a_named_person_is_given_by_number(self):
        self.login(self.admin)
        data = kind_data(**{"steps-2-approver": "person", "steps-2-person_number": "T1010"})
        self.client.post(reverse("leave:kind_new"), data)
        step = ChainStep.objects.get(kind__name="外出就医", position=2)
        self.assertEqual(step.person, self.teacher_person)

    def test_a_counsellor_gets_403(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(reverse("leave:kind_list")).status_code, 403)
        self.assertEqual(self.client.post(reverse("leave:kind_new"), kind_data()).status_code, 403)


class PostTests(LeaveTestCase):
    def test_the_list_shows_each_units_holder(self):
        self.login(self.leader)
        response = self.client.get(reverse("leave:post_list"))
        self.assertContains(response, "孙书记")

    def test_a_leader_names_a_holder(self):
        self.login(self.leader)
        url = reverse("leave:post_holder", args=[self.deputy.pk, self.college.pk])
        response = self.client.post(url, {"number": "T1010"})
        self.assertRedirects(response, reverse("leave:post_list"))
        self.assertEqual(
            PostHolder.objects.get(post=self.deputy, unit=self.college).person, self.teacher_person
        )
        self.client.post(url, {"number": ""})
        self.assertFalse(PostHolder.objects.filter(post=self.deputy, unit=self.college).exists())

    def test_a_student_is_no_holder(self):
        self.login(self.leader)
        url = reverse("leave:post_holder", args=[self.deputy.pk, self.college.pk])
        response = self.client.post(url, {"number": "2020001"})
        self.assertIn("number", response.context["form"].errors)

    def test_a_unit_outside_the_leaders_reach_is_404(self):
        self.create_other_college()
        self.login(self.leader)
        url = reverse("leave:post_holder", args=[self.deputy.pk, self.college_b.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_teacher_gets_403(self):
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("leave:post_list")).status_code, 403)

    def test_a_leader_adds_a_post_then_names_its_holder(self):
        self.login(self.leader)
        response = self.client.post(reverse("leave:post_new"), {"name": "院长"}, follow=True)
        post = Post.objects.get(name="院长")
        self.assertContains(response, "院长")
        self.assertTrue(
            LogEntry.objects.filter(kind=LeaveEvent.POST_ADDED, object_id=post.pk).exists()
        )
        # Named once: a second post of the same name is refused, nothing added.
        self.client.post(reverse("leave:post_new"), {"name": "院长"})
        self.assertEqual(Post.objects.filter(name="院长").count(), 1)
        url = reverse("leave:post_holder", args=[post.pk, self.college.pk])
        self.client.post(url, {"number": self.teacher_person.number})
        self.assertTrue(
            PostHolder.objects.filter(
                post=post, unit=self.college, person=self.teacher_person
            ).exists()
        )

    def test_a_counsellor_adds_no_post(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(reverse("leave:post_new"), {"name": "院长"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Post.objects.filter(name="院长").exists())
