"""A fair of the personas' college on 2024-04-12, 9:00–12:00 Beijing time,
organised by the employment office, with two employers' rooms: `room_a` of
太原软件科技 (a Java position) and `room_b` of 山西数据科技 (a data analyst).
张三 (the student persona) and 王六 are graduates; 李四 is not."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from shouwang.careers import actions
from shouwang.careers.models import Employer, FairEmployer, JobFair, Position
from shouwang.lib.clock import beijing

from .base import CareersTestCase

DAY = dt.date(2024, 4, 12)
BEFORE = beijing(2024, 4, 10, 10)
DURING = beijing(2024, 4, 12, 10)
AFTER = beijing(2024, 4, 12, 15)


def make_fair(case, title: str, day: dt.date, starts: int = 9, ends: int = 12) -> JobFair:
    return actions.save_fair(
        JobFair(
            title=title,
            unit=case.college,
            organiser="学院团委",
            held_on=day,
            starts_at=dt.time(starts),
            ends_at=dt.time(ends),
            platform="腾讯会议",
            link="https://meeting.tencent.com/dm/hall2024",
        ),
        acting_user=case.office,
    )


class FairsTestCase(CareersTestCase):
    fair: JobFair
    room_a: FairEmployer
    room_b: FairEmployer
    employer_b: Employer
    position_b: Position

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fair = make_fair(cls, "2024届毕业生网络双选会（第一场）", DAY)
        cls.employer_b = actions.save_employer(
            Employer(name="山西数据科技有限公司", sector="信息技术", city="太原"),
            acting_user=cls.office,
        )
        cls.position_b = actions.save_position(
            Position(employer=cls.employer_b, title="数据分析师", city="太原", openings=3),
            ["信息管理与信息系统"],
            acting_user=cls.office,
        )
        cls.room_a = actions.save_room(
            cls.fair,
            cls.employer,
            room_link="https://meeting.tencent.com/dm/javaroom",
            positions=[cls.position],
            acting_user=cls.office,
        )
        cls.room_b = actions.save_room(
            cls.fair,
            cls.employer_b,
            room_link="https://meeting.tencent.com/dm/dataroom",
            positions=[cls.position_b],
            acting_user=cls.office,
        )

    def setUp(self) -> None:
        super().setUp()
        # Load the URLconf before a test freezes the clock: the API's schemas,
        # built as it loads, refuse freezegun's fake dates.
        reverse("careers:fair_list")
        # Assert on English source strings: the Chinese catalogue is written last.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
