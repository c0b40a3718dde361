from django.db.models import QuerySet

from shouwang.notices.audience import Audience, Kind, reach_of
from shouwang.people.models import Person
from shouwang.test import BaseTestCase, make_person
from shouwang.volunteers.models import Membership, Team


def numbers(people) -> list[str]:
    return sorted(people.values_list("number", flat=True))


class AudienceTests(BaseTestCase):
    everyone_reach: QuerySet[Person]
    team: Team
    graduate: Person

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.everyone_reach = reach_of(cls.leader)
        cls.team = Team.objects.create(name="春蕾工程", kind=Team.Kind.BRIGADE)
        Membership.objects.create(team=cls.team, person=cls.student_a, is_lead=True)
        Membership.objects.create(team=cls.team, person=cls.volunteer_person)
        cls.graduate = make_person(
            "2018001",
            "毕业生",
            unit=cls.college,
            admin_class=cls.class_a,
            status=Person.Status.GRADUATED,
        )

    def resolve(self, reach=None, **choices) -> list[str]:
        return numbers(Audience(**choices).resolve(reach or self.everyone_reach))

    def test_everyone_means_everyone_still_at_school(self):
        self.assertEqual(
            self.resolve(everyone=True),
            [
                *("2020001", "2021001", "2021002", "S0001"),
                *("T0001", "T1001", "T1002", "T1010", "T1020"),
            ],
        )

    def test_everyone_with_named_people_is_still_everyone(self):
        self.assertEqual(len(self.resolve(everyone=True, people=(self.student_a.pk,))), 9)

    def test_groups_are_united_and_each_person_listed_once(self):
        # 王五 is in class B, in the party branch, a party member and in the team.
        people = Audience(
            classes=(self.class_b.pk,),
            branches=(self.party_branch.pk,),
            political_statuses=(Person.PoliticalStatus.PARTY_MEMBER,),
            teams=(self.team.pk,),
        ).resolve(self.everyone_reach)
        self.assertEqual(numbers(people), ["2020001", "2021001", "2021002", "T1001"])
        self.assertEqual(people.count(), 4)

    def test_kind_narrows_the_groups_but_not_the_named_people(self):
        party = (Person.PoliticalStatus.PARTY_MEMBER,)
        self.assertEqual(self.resolve(political_statuses=party, kind=Kind.STUDENTS), ["2021002"])
        self.assertEqual(self.resolve(political_statuses=party, kind=Kind.STAFF), ["T1001"])
        self.assertEqual(
            self.resolve(
                political_statuses=party, kind=Kind.STUDENTS, people=(self.leader_person.pk,)
            ),
            ["2021002", "T0001"],
        )

    def test_a_unit_includes_the_units_below_it(self):
        self.assertEqual(len(self.resolve(units=(self.university.pk,))), 9)

    def test_a_unit_includes_students_with_no_unit_whose_class_is_in_it(self):
        # As a registrar's student list without 单位 leaves them.
        make_person("2024001", "无单位", admin_class=self.class_a)
        self.assertIn("2024001", self.resolve(units=(self.college.pk,)))

    def test_a_counsellor_reaches_only_the_students_of_their_classes(self):
        reach = reach_of(self.counsellor_a_user)
        self.assertEqual(self.resolve(reach, everyone=True), ["2020001"])
        self.assertEqual(self.resolve(reach, classes=(self.class_b.pk,)), [])
        self.assertEqual(self.resolve(reach, people=(self.student_b.pk,)), [])
        self.assertEqual(numbers(reach_of(self.student)), [])

    def test_nothing_chosen_is_nobody_and_round_trips_through_json(self):
        self.assertEqual(self.resolve(), [])
        audience = Audience(kind=Kind.STUDENTS, classes=(3, 1), people=(9,))
        self.assertEqual(Audience.from_json(audience.to_json()), audience)
        self.assertTrue(Audience().is_empty)

    def test_describe_names_the_groups(self):
        lines = Audience(classes=(self.class_a.pk,), teams=(self.team.pk,)).describe()
        self.assertTrue(any("计科2001" in line for line in lines))
        self.assertTrue(any("春蕾工程" in line for line in lines))
