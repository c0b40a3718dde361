from django.test import TestCase

from shouwang.people.models import Person
from shouwang.test import make_person

PS = Person.PoliticalStatus


class PartyMemberTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        for number, status in enumerate(PS.values):
            make_person(f"2022{number:03d}", status, political_status=status)

    def test_full_and_probationary_members_are_party_members(self):
        members = Person.objects.party_members().values_list("political_status", flat=True)
        self.assertEqual(sorted(members), ["party_member", "probationary"])

    def test_each_person_agrees_with_the_list(self):
        members = set(Person.objects.party_members())
        for person in Person.objects.all():
            with self.subTest(status=person.political_status):
                self.assertEqual(person.is_party_member, person in members)
