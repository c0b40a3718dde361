"""Who is told what: the deciders of a new request, the requester of its
decision and its issue; each once."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from shouwang.accounts.models import Role
from shouwang.people.models import Person, Unit
from shouwang.supplies import actions
from shouwang.test import make_person, make_user

from .base_requests import RequestsTestCase


class RequestMessagesTest(RequestsTestCase):
    def test_the_keepers_are_told_of_a_new_request_once_each_and_the_requester_of_each_step(self):
        second_person = make_person("T9003", "魏库管", unit=self.college)
        second = make_user(second_person)
        second.grant(Role.STORE_KEEPER)
        self.store.keepers.add(second_person)
        self.duty_room.keepers.add(self.keeper_person)  # keeps two of the college's stores

        self.ask(self.student, [(self.sanitizer, "1", "箱")])
        request = self.last_request()
        self.assertEqual(len(self.messages_to(self.keeper_person)), 1)
        self.assertEqual(len(self.messages_to(second_person)), 1)
        self.assertEqual(self.messages_to(self.leader_person), [])  # the keepers decide

        self.decide(self.keeper, request, {self.sanitizer: ("12", "瓶")})
        self.decide(second, request, {self.sanitizer: ("24", "瓶")})  # too late: decided
        with self.assertRaises(ValidationError):
            actions.decide_request(
                request, {request.lines.get().pk: Decimal(1)}, acting_user=self.keeper
            )
        self.issue(self.keeper, request, self.store)
        told = self.messages_to(self.student_a)
        self.assertEqual(len(told), 2)  # decided in part; issued
        self.assertIn(f"#{request.pk}", told[0])
        self.assertEqual(len(self.messages_to(self.keeper_person)), 1)

    def test_a_departments_request_reaches_the_keeper_of_the_colleges_store(self):
        department = Unit.objects.create(
            name="计算机系", kind=Unit.Kind.DEPARTMENT, parent=self.college
        )
        teacher = make_person("T7002", "柯老师", Person.Kind.TEACHER, unit=department)
        actions.submit_request(
            teacher,
            [actions.Asked(self.suits, Decimal(2))],
            purpose="值守",
            for_person=teacher,
            acting_user=make_user(teacher),
        )
        self.assertEqual(len(self.messages_to(self.keeper_person)), 1)
        self.assertEqual(self.messages_to(self.leader_person), [])

    def test_without_a_keeper_the_leaders_are_told(self):
        self.store.keepers.clear()
        self.ask(self.student, [(self.suits, "2", "")])
        self.assertEqual(len(self.messages_to(self.leader_person)), 1)
        self.assertEqual(self.messages_to(self.keeper_person), [])

    def test_nobody_is_told_of_their_own_request(self):
        self.store.keepers.clear()
        self.ask(self.leader, [(self.suits, "2", "")], for_whom="unit", for_unit=self.college.pk)
        self.assertEqual(self.messages_to(self.leader_person), [])
