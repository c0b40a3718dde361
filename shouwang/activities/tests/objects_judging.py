"""The access matrix's judging: three contests of the personas' college, run
by its leader (no organiser of their own).

- `judged_contest`: entries closed, from 张三 (student_a) alone and the team
  of 李四 and 王五; the contest's usual criteria; the supervisor judges the
  team's entry (`judged_sheet`, complete) and the teacher 张三's.
- `published_contest`: 张三's entry awarded and published now, open to
  objection; 张三 has objected (`objection_raised`).
- `final_contest`: 张三's entry awarded, published ten days ago and final
  (`final_award`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shouwang.activities import actions, judging
from shouwang.activities.models import Activity, Prize
from shouwang.lib import clock

from .base_judging import close_entries, entry_image

ONE_PRIZE = {Prize.FIRST: 1, Prize.SECOND: 0, Prize.THIRD: 0, Prize.MERIT: 0}


def _contest(case, title: str) -> Activity:
    today = clock.today()
    return actions.save_activity(
        Activity(
            title=title,
            kind=Activity.Kind.CONTEST,
            unit=case.college,
            organiser="学院团委",
            starts_on=today - dt.timedelta(days=20),
            ends_on=today + dt.timedelta(days=20),
            entries_close_at=clock.now() + dt.timedelta(days=1),
            entry_kinds=[Activity.EntryKind.IMAGE],
            team_size_max=3,
        ),
        acting_user=case.leader,
    )


def _award_alone(case, contest: Activity) -> None:
    """张三's entry, scored by the supervisor and given the first prize."""
    actions.sign_up(contest, case.student_a, acting_user=case.student)
    entry = actions.submit_entry(
        contest, case.student_a, "我心中的团旗", [entry_image()], acting_user=case.student
    )
    close_entries(contest)
    contest.judges.set([case.supervisor_person])
    criteria = judging.set_criteria(contest, judging.default_criteria(), acting_user=case.leader)
    assignment = judging.assign(contest, case.supervisor_person, entry, acting_user=case.leader)
    judging.save_sheet(
        assignment,
        {c.pk: Decimal(c.max_points) for c in criteria},
        acting_user=case.supervisor,
    )
    judging.give_awards(contest, ONE_PRIZE, acting_user=case.leader)
    judging.publish_results(contest, acting_user=case.leader)


def make(case) -> None:
    if getattr(case, "judged_contest", None) is not None:
        return
    contest = case.judged_contest = _contest(case, "“百年青春，绘制理想”海报设计大赛")
    actions.sign_up(contest, case.student_a, acting_user=case.student)
    actions.create_team(
        contest,
        case.student_b,
        "信管小队",
        [case.volunteer_person],
        acting_user=case.student_b_user,
    )
    alone = actions.submit_entry(
        contest, case.student_a, "理想之光", [entry_image()], acting_user=case.student
    )
    team = actions.submit_entry(
        contest, case.student_b, "青春向党", [entry_image()], acting_user=case.student_b_user
    )
    close_entries(contest)
    contest.judges.set([case.supervisor_person, case.teacher_person])
    criteria = judging.set_criteria(contest, judging.default_criteria(), acting_user=case.leader)
    case.judged_sheet = judging.assign(
        contest, case.supervisor_person, team, acting_user=case.leader
    )
    judging.save_sheet(
        case.judged_sheet,
        {c.pk: Decimal(c.max_points - 3) for c in criteria},
        acting_user=case.supervisor,
    )
    judging.assign(contest, case.teacher_person, alone, acting_user=case.leader)
    case.judged_file = team.files.get()

    case.published_contest = _contest(case, "“青春之名，百年之约”照片征集")
    _award_alone(case, case.published_contest)
    case.objection_raised = judging.raise_objection(
        case.published_contest, case.student_a, "请复核评分。", acting_user=case.student
    )

    case.final_contest = _contest(case, "“我为团团献祝福”视频征集")
    _award_alone(case, case.final_contest)
    Activity.objects.filter(pk=case.final_contest.pk).update(
        results_published_at=clock.now() - dt.timedelta(days=10)
    )
    case.final_contest.refresh_from_db()
    judging.make_final(case.final_contest, acting_user=case.leader)
    case.final_award = case.final_contest.awards.get()
    case.pending_award = case.published_contest.awards.get()
