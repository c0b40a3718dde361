"""Who judges which entry: never one of the judge's own class or team, nor of
a class they counsel; the bulk assignment skips those and says how many."""

import re

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from shouwang.activities import actions, judging
from shouwang.activities.message_kinds import ACTIVITIES
from shouwang.activities.models import JudgeAssignment
from shouwang.notify.models import Message
from shouwang.test import make_person

from .base_judging import JudgingTestCase


class ConflictTests(JudgingTestCase):
    def assert_refused(self, person, entry, words):
        with self.assertRaises(ValidationError) as caught, translation.override("en"):
            judging.assign(self.contest, person, entry, acting_user=self.organiser)
        self.assertIn(words, caught.exception.messages[0])
        self.assertIn(person.name, caught.exception.messages[0])
        self.assertIn(entry.title, caught.exception.messages[0])
        self.assertFalse(JudgeAssignment.objects.filter(judge=person, entry=entry).exists())

    def test_a_student_judge_may_not_score_an_entry_of_their_own_class(self):
        classmate = make_person("2020003", "周九", unit=self.college, admin_class=self.class_a)
        judging.set_judges(self.contest, [classmate], acting_user=self.organiser)
        self.assert_refused(classmate, self.entry_a, "class")
        # A member of the team is of 信管2101: 周九 of 计科2001 may score it.
        judging.assign(self.contest, classmate, self.entry_team, acting_user=self.organiser)

    def test_a_team_members_class_counts_too(self):
        classmate = make_person("2021009", "吴十", unit=self.college, admin_class=self.class_b)
        judging.set_judges(self.contest, [classmate], acting_user=self.organiser)
        self.assert_refused(classmate, self.entry_team, "class")

    def test_the_counsellor_of_an_authors_class_may_not_score_it(self):
        judging.set_judges(self.contest, [self.counsellor_a], acting_user=self.organiser)
        self.assert_refused(self.counsellor_a, self.entry_a, "counsels")
        self.assert_refused(self.counsellor_a, self.entry_e, "counsels")
        judging.assign(self.contest, self.counsellor_a, self.entry_f, acting_user=self.organiser)

    def test_a_judge_who_signed_up_since_may_not_score_their_own_entry(self):
        # Made a judge, then signed up: the team's entry is theirs.
        self.contest.judges.add(self.volunteer_person)
        self.assert_refused(self.volunteer_person, self.entry_team, "team")
        self.contest.judges.add(self.student_a)
        self.assert_refused(self.student_a, self.entry_a, "submitted")

    def test_a_judge_off_the_panel_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "李四"):
            judging.assign(self.contest, self.student_b, self.entry_f, acting_user=self.organiser)


class AssignTests(JudgingTestCase):
    def test_one_assignment_is_made_once(self):
        first = judging.assign(
            self.contest, self.teacher_person, self.entry_a, acting_user=self.organiser
        )
        again = judging.assign(
            self.contest, self.teacher_person, self.entry_a, acting_user=self.organiser
        )
        self.assertEqual(first, again)
        self.assertEqual(JudgeAssignment.objects.count(), 1)

    def test_assigning_all_skips_the_conflicts_and_says_how_many(self):
        judging.set_judges(
            self.contest,
            [self.supervisor_person, self.counsellor_a, self.counsellor_b],
            acting_user=self.organiser,
        )
        self.login(self.organiser)
        url = reverse("activities:judging_assign", args=[self.contest.pk])
        response = self.client.post(url, {"action": "all"}, follow=True)
        # 3 judges × 4 entries; counsellor_a counsels 计科2001 (张三, 钱七),
        # counsellor_b 信管2101 (the team, 孙八).
        [said] = [str(message) for message in get_messages(response.wsgi_request)] or [""]
        self.assertEqual([int(n) for n in re.findall(r"\d+", said)], [8, 4])
        pairs = set(JudgeAssignment.objects.values_list("judge__name", "entry__title"))
        self.assertIn(("赵璞", "薪火相传"), pairs)
        self.assertNotIn(("赵璞", "百年团史"), pairs)
        self.assertNotIn(("钱老师", "青春向党"), pairs)
        self.assertEqual(len(pairs), 8)
        again = judging.assign_all(self.contest, acting_user=self.organiser)
        self.assertEqual((again.created, again.skipped), (0, 4))

    def test_the_assign_page_shows_the_refusal(self):
        judging.set_judges(self.contest, [self.counsellor_a], acting_user=self.organiser)
        self.login(self.organiser)
        url = reverse("activities:judging_assign", args=[self.contest.pk])
        response = self.client.post(
            url,
            {"action": "one", "judge": self.counsellor_a.pk, "entry": self.entry_a.pk},
            follow=True,
        )
        self.assertContains(response, "赵璞")
        self.assertFalse(JudgeAssignment.objects.exists())

    def test_each_judge_is_told_once_how_many_entries_to_judge(self):
        judging.assign_all(self.contest, acting_user=self.organiser)
        judging.assign_all(self.contest, acting_user=self.organiser)
        told = Message.objects.filter(kind=ACTIVITIES, recipient=self.supervisor_person)
        self.assertEqual(told.count(), 1)
        self.assertIn("4", told.get().title)
        self.assertEqual(told.get().link, reverse("activities:my_judging"))

    def test_an_unfinished_assignment_may_be_taken_back_a_scored_one_not(self):
        scored = self.sheet(self.supervisor_person, self.entry_a, 80)
        half = self.sheet(self.teacher_person, self.entry_a, [20, None, None, None])
        with self.assertRaises(ValidationError):
            judging.unassign(scored, acting_user=self.organiser)
        judging.unassign(half, acting_user=self.organiser)
        self.assertEqual(list(JudgeAssignment.objects.all()), [scored])

    def test_nothing_is_assigned_once_the_results_are_published(self):
        self.contest.results_published_at = self.contest.entries_close_at
        self.contest.save(update_fields=["results_published_at"])
        with self.assertRaises(ValidationError):
            judging.assign_all(self.contest, acting_user=self.organiser)

    def test_an_activity_of_an_external_contest_is_not_judged_here(self):
        self.contest.external = True
        actions.save_activity(self.contest, acting_user=self.leader)
        with self.assertRaises(ValidationError):
            judging.assign(
                self.contest, self.teacher_person, self.entry_a, acting_user=self.organiser
            )
