"""Referral secrecy: a referral exists for the counsellor who made it and for
support workers only. The other counsellor, the student, volunteers, leaders
and admins get 404 on every referral URL. The shared personas hold no support
worker; tests/test_secrecy.py and the endpoint tests cover one.
"""

import datetime as dt

from django.utils import timezone

from shouwang.core.forms import DATETIME_INPUT
from shouwang.counselling.models import Referral, ReferralNote
from shouwang.lib import clock
from shouwang.policy import Rule, expect

# Counsellors have a list (their own referrals); nobody else has the page.
COUNSELLORS = expect(404, counsellor_a=200, counsellor_b=200)
ONLY_A = expect(404, counsellor_a=200)
ONLY_A_POST = expect(404, counsellor_a=302)
ONLY_B = expect(404, counsellor_b=200)
# The referral below was made two days ago; consent came an hour ago.
CONSENTED_AT = (timezone.localtime(clock.now()) - dt.timedelta(hours=1)).strftime(DATETIME_INPUT)


def make_objects(case) -> None:
    now = clock.now()
    case.referral = Referral.objects.create(
        student=case.student_a,
        referred_by=case.counsellor_a_user,
        reason=Referral.Reason.ANXIETY,
        urgency=Referral.Urgency.SOON,
        summary="封控后失眠，情绪低落",
        consented_at=now,
        consent_method=Referral.ConsentMethod.IN_PERSON,
        consent_recorded_by=case.counsellor_a_user,
    )
    ReferralNote.objects.create(
        referral=case.referral, author=case.counsellor_a_user, body="已电话联系家长"
    )
    case.referral_unconsented = Referral.objects.create(
        student=case.student_b,
        referred_by=case.counsellor_b_user,
        reason=Referral.Reason.LOW_MOOD,
        urgency=Referral.Urgency.ROUTINE,
        summary="连续三天未打卡",
        created_at=now - dt.timedelta(days=2),
    )


RULES = [
    # Who can see referrals: for the support workers only (none among the personas).
    Rule("counselling:referral_access", expect(404)),
    Rule("counselling:referral_list", COUNSELLORS),
    Rule("counselling:referral_list", COUNSELLORS, query={"status": "closed"}),
    # A counsellor refers the students of their own classes only.
    Rule("counselling:referral_new", ONLY_A, target="student_a"),
    Rule("counselling:referral_new", ONLY_B, target="student_b"),
    # An empty form comes back with its errors.
    Rule("counselling:referral_new", ONLY_A, method="post", target="student_a", data={}),
    Rule("counselling:referral_detail", ONLY_A, target="referral"),
    Rule("counselling:referral_detail", ONLY_B, target="referral_unconsented"),
    Rule("counselling:note_add", ONLY_A_POST, method="post", target="referral", data={"body": "x"}),
    # Before consent a note is refused: back to the referral with a message.
    Rule(
        "counselling:note_add",
        expect(404, counsellor_b=302),
        method="post",
        target="referral_unconsented",
        data={"body": "x"},
    ),
    Rule(
        "counselling:consent_record",
        expect(404, counsellor_b=302),
        method="post",
        target="referral_unconsented",
        data={"consented_at": CONSENTED_AT, "method": "phone"},
    ),
    Rule("counselling:consent_record", ONLY_A_POST, method="post", target="referral", data={}),
    Rule(
        "counselling:referral_status",
        ONLY_A_POST,
        method="post",
        target="referral",
        data={"action": "close"},
    ),
    Rule(
        "counselling:referral_status",
        expect(404, counsellor_b=302),
        method="post",
        target="referral_unconsented",
        data={"action": "take"},
    ),
]
