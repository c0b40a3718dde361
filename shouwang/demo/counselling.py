"""Counselling referrals: 赵璞, who "时而做心理疏导成为知心老师", refers two of
her students for psychological support, each with the student's own consent,
and a support worker takes the first on.

The support worker is one of the other counsellors, who also holds the
psychological-support role (many counsellors hold a counselling certificate):
the demo's login for that role. Her own classes are unaffected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from shouwang.accounts.actions import grant_role
from shouwang.accounts.models import Role
from shouwang.counselling.models import Referral, ReferralNote
from shouwang.lib.clock import beijing

from .college import COUNSELLOR_NAME
from .context import Demo


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return beijing(2022, 4, day, hour, minute)


def refer_students(demo: Demo) -> None:
    rng = demo.rng("counselling")
    counsellor = demo.posts[f"辅导员{COUNSELLOR_NAME}"]
    counsellor_user = demo.user(Role.COUNSELLOR)
    support_person = demo.counsellors[-1]
    support = demo.add_login(Role.PSYCH_SUPPORT, support_person)
    grant_role(support, Role.PSYCH_SUPPORT, acting_user=demo.user(Role.ADMIN))
    own_classes = {cls.pk for cls in demo.classes if cls.counsellor == counsellor}
    login_student = demo.user(Role.STUDENT).person
    candidates = [
        s
        for s in demo.students
        if s.admin_class_id in own_classes and s.dorm_room_id and s != login_student
    ]
    isolated, sleepless = rng.sample(candidates, 2)
    first = Referral(
        student=isolated,
        referred_by=counsellor_user,
        created_at=_at(6, 20, 10),
        reason=Referral.Reason.ISOLATION,
        urgency=Referral.Urgency.SOON,
        summary="集中隔离第三天，晚上查寝时哭了很久，说担心家里，也担心期中考试跟不上线上课。",
        status=Referral.Status.IN_SUPPORT,
        supporter=support,
        consented_at=_at(7, 10, 30),
        consent_method=Referral.ConsentMethod.IN_PERSON,
        consent_recorded_by=counsellor_user,
    )
    second = Referral(
        student=sleepless,
        referred_by=counsellor_user,
        created_at=_at(14, 21, 40),
        reason=Referral.Reason.SLEEP,
        urgency=Referral.Urgency.ROUTINE,
        summary="封控以来连续失眠，白天上网课注意力难以集中，主动找我聊过两次。",
        consented_at=_at(15, 8, 20),
        consent_method=Referral.ConsentMethod.PHONE,
        consent_recorded_by=counsellor_user,
    )
    Referral.objects.bulk_create([first, second])
    ReferralNote.objects.bulk_create(
        [
            ReferralNote(
                referral=first,
                author=support,
                created_at=_at(7, 15, 0),
                body="视频交流四十分钟。情绪稳定下来，约定每天晚饭后发一条消息报平安。",
            ),
            ReferralNote(
                referral=first,
                author=counsellor_user,
                created_at=_at(11, 19, 30),
                body="解除隔离回到宿舍，已安排同宿舍党员同学多陪伴。",
            ),
            ReferralNote(
                referral=first,
                author=support,
                created_at=_at(13, 16, 0),
                body="第三次交流，睡眠和饮食恢复正常，下周再约一次后视情况结案。",
            ),
            ReferralNote(
                referral=second,
                author=counsellor_user,
                created_at=_at(15, 8, 25),
                body="学生电话里同意由心理老师联系，希望安排在晚上。",
            ),
        ]
    )


COUNSELLING_STEPS: tuple[Callable[[Demo], None], ...] = (refer_students,)
