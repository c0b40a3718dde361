"""The contest of `base.py` with four entries, its entries closed, a
contest's usual criteria (主题契合 30, 创意 30, 艺术表现 25, 完成度 15, full
marks their weights) and two judges (郭督导, the supervisor persona, and 李明,
the teacher persona), who counsel no class.

The entries: 张三 (student_a, 计科2001) alone; the team 信管小队 of 李四
(student_b, its leader) and 王五 (the volunteer), both of 信管2101; 钱七 of
计科2001 alone; 孙八 of 信管2101 alone.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shouwang.accounts.models import User
from shouwang.activities import actions, judging
from shouwang.activities.models import Activity, Entry, JudgeAssignment, JudgingCriterion
from shouwang.lib import clock
from shouwang.people.models import Person
from shouwang.test import make_person, make_user

from .base import ActivitiesTestCase


def entry_image(name: str = "手抄报.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), (180, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def entry_pdf(name: str = "说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def close_entries(activity: Activity) -> None:
    """The entries closed an hour ago."""
    closed = clock.now() - dt.timedelta(hours=1)
    Activity.objects.filter(pk=activity.pk).update(entries_close_at=closed)
    activity.entries_close_at = closed


def make_entries(case) -> None:
    """The contest's four entries, its entries closed."""
    contest = case.contest
    case.student_e = make_person(
        "2020002", "钱七", unit=case.college, admin_class=case.class_a, grade=2020
    )
    case.student_e_user = make_user(case.student_e)
    case.student_f = make_person(
        "2021003", "孙八", unit=case.college, admin_class=case.class_b, grade=2021
    )
    case.student_f_user = make_user(case.student_f)
    case.team = actions.create_team(
        contest,
        case.student_b,
        "信管小队",
        [case.volunteer_person],
        acting_user=case.student_b_user,
    )
    for person, user in (
        (case.student_e, case.student_e_user),
        (case.student_f, case.student_f_user),
    ):
        actions.sign_up(contest, person, acting_user=user)
    case.entry_a = actions.submit_entry(
        contest, case.student_a, "百年团史", [entry_image()], acting_user=case.student
    )
    case.entry_team = actions.submit_entry(
        contest,
        case.volunteer_person,
        "青春向党",
        [entry_image(), entry_pdf()],
        description="信管小队合作完成。",
        acting_user=case.volunteer,
    )
    case.entry_e = actions.submit_entry(
        contest, case.student_e, "星火燎原", [entry_image()], acting_user=case.student_e_user
    )
    case.entry_f = actions.submit_entry(
        contest, case.student_f, "薪火相传", [entry_image()], acting_user=case.student_f_user
    )
    close_entries(contest)


class JudgingTestCase(ActivitiesTestCase):
    student_e: Person
    student_e_user: User
    student_f: Person
    student_f_user: User
    entry_a: Entry
    entry_team: Entry
    entry_e: Entry
    entry_f: Entry
    criteria: list[JudgingCriterion]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_entries(cls)
        cls.criteria = judging.set_criteria(
            cls.contest, judging.default_criteria(), acting_user=cls.organiser
        )

    def sheet(self, judge: Person, entry: Entry, points) -> JudgeAssignment:
        """The judge scores the entry: a sheet's total (an even number, split
        by weight) or one number per criterion; None leaves a criterion blank."""
        assignment = judging.assign(self.contest, judge, entry, acting_user=self.organiser)
        if not isinstance(points, list):
            total = Decimal(points)
            points = [total * c.weight / 100 for c in self.criteria]
        judging.save_sheet(
            assignment,
            {c.pk: Decimal(v) for c, v in zip(self.criteria, points, strict=True) if v is not None},
            acting_user=self.organiser,
        )
        assignment.refresh_from_db()
        return assignment
