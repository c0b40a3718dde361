"""Helpers for the graduates' tests: reporting and confirming destinations
through the actions, as a graduate and their counsellor would."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.accounts.models import User
from shouwang.careers import actions
from shouwang.careers.models import NEEDS_EVIDENCE, DestinationReport, Graduate
from shouwang.people.models import Person
from shouwang.test import make_person, make_user

from .base import CareersTestCase
from .objects_outcomes import PDF


def evidence(name: str = "录取通知书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def report(graduate: Graduate, code: str, user: User, organisation: str = "") -> DestinationReport:
    """`user` (the graduate or the office) reports `code`, with evidence where it needs it."""
    needs = code in NEEDS_EVIDENCE
    return actions.report_destination(
        graduate,
        code,
        organisation=organisation or ("某某单位" if needs else ""),
        files=[evidence()] if needs else [],
        acting_user=user,
    )


def place(graduate: Graduate, code: str, counsellor: User) -> Graduate:
    """The destination reported by the graduate's own login and confirmed by `counsellor`."""
    pending = report(graduate, code, _user_of(graduate.person))
    return actions.confirm_report(pending, acting_user=counsellor)


def _user_of(person: Person) -> User:
    return User.objects.filter(person=person).first() or make_user(person)


def make_graduate(
    case, number: str, name: str, admin_class, *, level: str = "bachelor", cohort: int = 2024
) -> Graduate:
    """One more graduating student of `admin_class`, in the cohort."""
    person = make_person(
        number,
        name,
        unit=case.college,
        admin_class=admin_class,
        grade=admin_class.grade,
        programme=admin_class.programme,
        degree_level=level,
        graduating=True,
    )
    actions.enrol_cohort(cohort, [person], acting_user=case.office)
    return Graduate.objects.get(person=person)


class OutcomesTestCase(CareersTestCase):
    def setUp(self):
        # Assert on English source strings: the Chinese catalogue is written last.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
