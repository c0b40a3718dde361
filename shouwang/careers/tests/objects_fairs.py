"""The objects of the job fairs' access rules: a fair of the college next
week, organised by the employment office, with one room; an offer to 张三
(the student persona, a graduate) from that fair; and a checked attendance
file of the room, waiting to be committed."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from shouwang.careers import actions
from shouwang.careers.models import FairAttendanceImport, JobFair
from shouwang.lib import clock

from .base import make_careers

ATTENDANCE_CSV = "用户昵称,入会时间,退会时间,参会时长\n2020001张三,09:05,09:50,45分钟\n"


def make(case) -> None:
    if getattr(case, "fairs_fair", None) is not None:
        return
    if getattr(case, "office", None) is None:
        make_careers(case)
    case.fairs_fair = actions.save_fair(
        JobFair(
            title="2024届毕业生网络双选会",
            unit=case.college,
            organiser="学院团委",
            held_on=clock.today() + dt.timedelta(days=7),
            starts_at=dt.time(9),
            ends_at=dt.time(12),
            platform="腾讯会议",
            link="https://meeting.tencent.com/dm/fairhall",
        ),
        acting_user=case.office,
    )
    case.fairs_room = actions.save_room(
        case.fairs_fair,
        case.employer,
        room_link="https://meeting.tencent.com/dm/room0001",
        positions=[case.position],
        acting_user=case.office,
    )
    case.fairs_offer = actions.record_offer(
        case.graduate_a, case.employer, fair=case.fairs_fair, acting_user=case.office
    )
    item = FairAttendanceImport(
        room=case.fairs_room,
        filename="参会成员明细.csv",
        uploaded_by=case.office,
        status=FairAttendanceImport.Status.CHECKED,
        total_rows=1,
        valid_rows=1,
        summary={"matched": {str(case.student_a.pk): 45}, "unmatched": []},
    )
    item.file.save("参会成员明细.csv", ContentFile(ATTENDANCE_CSV.encode("utf-8-sig")), save=True)
    case.fairs_import = item
