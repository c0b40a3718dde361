"""The objects the access matrix's taking-part rules name, in the personas'
college; the teacher persona (李明) organises them, as 付琳 of 团委 would:

- `tp_contest`, open, taking images, alone or in teams of three: student_a
  (the student persona) sent `tp_entry` alone (its file `tp_entry_file`);
  李四 leads a team with 王五 (the volunteer persona), who sent `tp_team_entry`;
- `tp_festival`, open, in teams of six, asking no entry: nobody yet;
- `tp_forum` with `tp_session` held yesterday evening, whose attendance
  file `tp_import` is checked and waits to be committed;
- `tp_external`, an external contest student_a signed up for."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from shouwang.activities import actions, attendance
from shouwang.activities.models import Activity, AttendanceImport, Session
from shouwang.lib import clock


def png(name: str = "作品.png", colour: tuple[int, int, int] = (200, 40, 40)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def meeting_export(rows: list[list]) -> bytes:
    """A 腾讯会议 参会成员明细 as the platform writes it: title lines above the table."""
    book = Workbook()
    sheet = book.active
    sheet.append(["会议主题：青年先锋论坛"])
    sheet.append([])
    sheet.append(["序号", "用户昵称", "入会时间", "退会时间", "参会时长"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def activity(case, **fields) -> Activity:
    today = clock.today()
    defaults = {
        "kind": Activity.Kind.CONTEST,
        "unit": case.college,
        "organiser": "学院团委",
        "starts_on": today - dt.timedelta(days=2),
        "ends_on": today + dt.timedelta(days=20),
        "hours": Decimal("1.5"),
    }
    return actions.save_activity(
        Activity(**{**defaults, **fields}),
        organisers=[case.teacher_person],
        acting_user=case.leader,
    )


def make(case) -> None:
    if getattr(case, "tp_contest", None) is not None:
        return
    now = clock.now()
    case.tp_contest = activity(
        case,
        title="“百年青春，绘制理想”海报设计大赛",
        signup_closes_at=now + dt.timedelta(days=5),
        entries_close_at=now + dt.timedelta(days=7),
        entry_kinds=[Activity.EntryKind.IMAGE],
        team_size_max=3,
    )
    actions.sign_up(case.tp_contest, case.student_a, acting_user=case.student)
    case.tp_entry = actions.submit_entry(
        case.tp_contest, case.student_a, "青春海报", [png()], acting_user=case.student
    )
    case.tp_entry_file = case.tp_entry.files.get()
    case.tp_team = actions.create_team(
        case.tp_contest,
        case.student_b,
        "信管小队",
        [case.volunteer_person],
        acting_user=case.student_b_user,
    )
    case.tp_team_entry = actions.submit_entry(
        case.tp_contest, case.volunteer_person, "理想之光", [png()], acting_user=case.volunteer
    )
    case.tp_festival = activity(
        case,
        title="线上宿舍文化节",
        kind=Activity.Kind.FESTIVAL,
        team_size_max=6,
        signup_closes_at=now + dt.timedelta(days=3),
    )
    case.tp_forum = activity(
        case, title="“青年先锋论坛”优秀学子经验交流会", kind=Activity.Kind.FORUM
    )
    yesterday = clock.today() - dt.timedelta(days=1)
    case.tp_session = actions.save_session(
        Session(
            activity=case.tp_forum,
            title="考研与就业经验分享",
            starts_at=clock.at(yesterday, dt.time(19, 0)),
            ends_at=clock.at(yesterday, dt.time(20, 30)),
            platform="腾讯会议",
            speaker="优秀学子代表",
        ),
        acting_user=case.teacher,
    )
    case.tp_import = AttendanceImport(
        session=case.tp_session, filename="参会成员明细.xlsx", uploaded_by=case.teacher
    )
    case.tp_import.file.save(
        "参会成员明细.xlsx",
        ContentFile(
            meeting_export(
                [
                    [1, "2020001张三", "19:00:10", "20:29:00", "89分钟"],
                    [2, "iPhone", "19:05:00", "19:40:00", "35分钟"],
                ]
            )
        ),
    )
    attendance.check_file(case.tp_import)
    case.tp_external = activity(
        case, title="第十三届“蓝桥杯”全国软件和信息技术专业人才大赛", external=True
    )
    actions.sign_up(case.tp_external, case.student_a, acting_user=case.student)
