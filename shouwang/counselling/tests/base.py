"""The shared personas plus a support worker and counsellor A's referral of student A."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from shouwang.accounts.models import Role, User
from shouwang.counselling.models import Referral, ReferralNote
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.test import BaseTestCase, make_person, make_user

SUMMARY = "封控后连续失眠，说自己撑不下去了"
NOTE = "已与学生面谈，约定每周二下午视频交流"


def make_referral(student, counsellor: User, *, consent: bool = True, **fields) -> Referral:
    now = clock.now()
    fields.setdefault("created_at", now - dt.timedelta(days=1))
    if consent:
        fields.update(
            consented_at=now - dt.timedelta(hours=2),
            consent_method=Referral.ConsentMethod.IN_PERSON,
            consent_recorded_by=counsellor,
        )
    return Referral.objects.create(
        student=student,
        referred_by=counsellor,
        reason=fields.pop("reason", Referral.Reason.SLEEP),
        urgency=fields.pop("urgency", Referral.Urgency.SOON),
        summary=fields.pop("summary", SUMMARY),
        **fields,
    )


class ReferralTestCase(BaseTestCase):
    support_person: Person
    support: User
    referral: Referral

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.support_person = make_person("S0100", "吴心语", Person.Kind.STAFF, unit=cls.college)
        cls.support = make_user(cls.support_person)
        cls.support.grant(Role.PSYCH_SUPPORT)
        cls.referral = make_referral(cls.student_a, cls.counsellor_a_user)
        ReferralNote.objects.create(referral=cls.referral, author=cls.support, body=NOTE)

    def setUp(self):
        # The tests read the English source strings.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def refresh(self) -> Referral:
        return Referral.objects.get(pk=self.referral.pk)
