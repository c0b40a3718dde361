"""The personas' college with a contest open to it: “团史百年，青春妙绘”手抄报大赛,
run by 团委 (organiser 高团委, a teacher), taking images and documents, teams of
up to three, entries until a week from now; 张三 (student_a) has signed up
alone. Judges: 郭督导 (the supervisor persona) and 李明 (the teacher persona)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shouwang.accounts.models import User
from shouwang.activities import actions
from shouwang.activities.models import Activity
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.test import BaseTestCase, make_person, make_user


def make_activity(case) -> None:
    case.organiser_person = make_person("T1030", "高团委", Person.Kind.TEACHER, unit=case.college)
    case.organiser = make_user(case.organiser_person)
    today = clock.today()
    case.contest = actions.save_activity(
        Activity(
            title="“团史百年，青春妙绘”手抄报大赛",
            kind=Activity.Kind.CONTEST,
            unit=case.college,
            organiser="学院团委",
            starts_on=today - dt.timedelta(days=3),
            ends_on=today + dt.timedelta(days=20),
            rules="以团史为主题，A3手抄报，拍照上传。",
            entries_close_at=clock.now() + dt.timedelta(days=7),
            entry_kinds=[Activity.EntryKind.IMAGE, Activity.EntryKind.DOCUMENT],
            team_size_max=3,
            hours=Decimal("2.0"),
        ),
        organisers=[case.organiser_person],
        acting_user=case.leader,
    )
    case.contest.judges.set([case.supervisor_person, case.teacher_person])
    case.signup_a = actions.sign_up(case.contest, case.student_a, acting_user=case.student)


class ActivitiesTestCase(BaseTestCase):
    organiser_person: Person
    organiser: User
    contest: Activity

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_activity(cls)
