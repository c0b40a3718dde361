"""The graduating cohort comes from the roster."""

from shouwang.careers import actions
from shouwang.careers.models import Destination, Graduate
from shouwang.people.models import Person

from .base import COHORT, CareersTestCase


class CohortTests(CareersTestCase):
    def test_only_the_rosters_graduating_students_become_graduates(self):
        people = set(Graduate.objects.values_list("person__name", flat=True))
        self.assertEqual(people, {"张三", "王六"})
        self.assertEqual(set(Graduate.objects.values_list("cohort", flat=True)), {COHORT})

    def test_a_new_graduate_is_seeking_work_until_a_destination_is_confirmed(self):
        self.assertEqual(self.graduate_a.destination, Destination.SEEKING)
        self.assertFalse(self.graduate_a.is_placed)

    def test_taking_the_cohort_again_adds_only_those_new_to_it(self):
        Person.objects.filter(pk=self.student_b.pk).update(graduating=True)
        added = actions.enrol_cohort(
            COHORT, Person.objects.filter(graduating=True), acting_user=self.office
        )
        self.assertEqual(added, 1)
        self.assertEqual(Graduate.objects.count(), 3)
