"""The college's work plan for 2022 (2022年学院工作要点), run as projects up to
the demo's now, as the seed has it: "学院党委围绕党建团学、本科教育、学科建设与研究生
教育、人才引育、就业创业五个方面，把工作重点细化为15个要点、37项具体举措，以项目化
管理推动，经费项目化支持保障，过程项目化跟踪评估".

The party committee adopted the plan on 1月10日: five areas, fifteen key
points and 36 measures, each with its owner unit, owner and co-owners from the
college's leaders, department heads, offices and counsellors, a budget and
milestones; two teacher party-member vanguard posts (教师党员先锋岗) and the
three party branches carry some of them. Owners started their measures,
ticked off milestones and booked expenditures from January to April; one
measure (the term's opening inspection) was reported complete and accepted,
one (visiting the practice bases) paused for the lockdown, a few are late on a
milestone the lockdown held up. Monthly progress reports fell due on the 25th:
most of January's, February's and March's were written on time, a few late and
a few are still unwritten; the leaders scored most of them. April's are not
due yet.

On 4月11日 the party committee held the work-promotion meeting online (学院工作
推进会, the college's own meeting, not the incident's): one decision became the
37th measure (the online job fairs the seed reports, two held since), two
became milestones of existing measures. Two measures are marked breakthroughs
(突破性进展) with evidence: the 国家一流专业 application recommended by the
university, and a record number of national fund applications.

Everything is done through `shouwang.workplan.actions` on the demo's clock set
back to the moment it happened (`clock.standing_at`), so that the records and each
measure's history read in the days they were done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.accounts.models import Role, User
from shouwang.incidents.actions import record_meeting
from shouwang.incidents.models import Decision
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import Person
from shouwang.volunteers.models import Membership, Team
from shouwang.workplan import actions
from shouwang.workplan.models import Area, KeyPoint, Measure, Milestone, Plan, Report, Status

from .college import (
    COLLEGE,
    COUNSELLOR_NAME,
    CS,
    DEPARTMENTS,
    DS,
    EC,
    IM,
    OFFICE,
    POSTGRADUATE_BRANCH,
    STAFF_BRANCH,
    STUDENT_AFFAIRS,
    TEACHING_OFFICE,
    UNDERGRADUATE_BRANCH,
)
from .context import Demo
from .fairs import FIRST_DAY, SECOND_DAY
from .files import one_page_pdf
from .lockdown import NOW

PLAN_TITLE = "2022年学院工作要点"
# Adopted at the party committee's meeting of 1月10日.
ADOPTED_AT = beijing(2022, 1, 10, 10, 0)
REPORT_DAY = 25

FIRST_CLASS_POST = "一流专业建设教师党员先锋岗"
RESEARCH_POST = "科研项目申报教师党员先锋岗"
VANGUARD_SIZE = 6

ZHAO = f"辅导员{COUNSELLOR_NAME}"
# The walkthrough's teacher login, co-owner of two teaching measures.
TEACHER = "任课教师"
# The counsellor of the postgraduates, who runs the postgraduate branch.
POSTGRADUATE_COUNSELLOR = "研究生辅导员"


def head_of(department: str) -> str:
    return f"{department}主任"


def d(month: int, day: int) -> dt.date:
    return dt.date(2022, month, day)


@dataclass(frozen=True)
class M:
    """A measure as the plan has it: its owner and co-owners are posts of
    `Demo.posts` (or TEACHER); `carrier` names a party branch or a vanguard
    post; `spent` is (date, yuan, purpose); `milestones` (title, due, done)."""

    title: str
    unit: str
    owner: str
    co_owners: tuple[str, ...] = ()
    budget: int = 0
    spent: tuple[tuple[dt.date, int, str], ...] = ()
    milestones: tuple[tuple[str, dt.date, dt.date | None], ...] = ()
    starts: dt.date = d(1, 1)
    due: dt.date = d(12, 31)
    status: str = Status.IN_PROGRESS
    carrier: str = ""


# 一、(一)、1.: five areas of three key points each, 36 measures planned in
# January; the work-promotion meeting adds the 37th (MEETING_MEASURE).
OUTLINE: tuple[tuple[str, tuple[tuple[str, tuple[M, ...]], ...]], ...] = (
    (
        "党建团学",
        (
            (
                "加强党的政治建设和理论武装",
                (
                    M(
                        "落实党委理论学习中心组学习制度",
                        OFFICE,
                        "党委书记",
                        ("办公室主任",),
                        budget=5000,
                        spent=((d(2, 21), 1860, "中心组学习书籍资料购置"),),
                        milestones=(
                            ("制定年度理论学习计划", d(1, 20), d(1, 18)),
                            ("第一季度专题学习研讨", d(3, 31), d(3, 29)),
                            ("第二季度专题学习研讨", d(6, 30), None),
                        ),
                    ),
                    M(
                        "推进党史学习教育常态化长效化",
                        STUDENT_AFFAIRS,
                        "党委副书记",
                        (ZHAO,),
                        budget=6000,
                        spent=((d(3, 18), 2400, "党史学习教育主题展板制作"),),
                        milestones=(("“学党史、强信念”主题党日活动", d(3, 31), d(3, 25)),),
                    ),
                    M(
                        "做好意识形态工作和师生思想政治教育",
                        STUDENT_AFFAIRS,
                        "党委副书记",
                        (ZHAO, "团委书记"),
                        milestones=(("意识形态工作责任制专题研判", d(3, 15), d(3, 11)),),
                    ),
                ),
            ),
            (
                "推进基层党组织标准化规范化建设",
                (
                    M(
                        "党支部标准化建设",
                        OFFICE,
                        "党委书记",
                        ("党委副书记",),
                        budget=10000,
                        spent=((d(3, 9), 3200, "党员活动室设施更新"),),
                        milestones=(
                            ("支部“三会一课”台账检查", d(3, 31), d(3, 30)),
                            ("创建标准化党支部验收", d(11, 30), None),
                        ),
                        carrier=STAFF_BRANCH,
                    ),
                    M(
                        "做好学生党员发展和教育管理",
                        STUDENT_AFFAIRS,
                        ZHAO,
                        budget=3000,
                        spent=((d(3, 24), 960, "入党积极分子培训班资料"),),
                        milestones=(
                            ("入党积极分子培训班", d(3, 31), d(3, 25)),
                            ("上半年发展对象考察", d(5, 31), None),
                        ),
                        carrier=UNDERGRADUATE_BRANCH,
                    ),
                    M(
                        "实施研究生党员“先锋工程”",
                        STUDENT_AFFAIRS,
                        POSTGRADUATE_COUNSELLOR,
                        ("副院长（科研）",),
                        budget=4000,
                        milestones=(("研究生党员科研先锋评选方案", d(3, 31), d(3, 28)),),
                        carrier=POSTGRADUATE_BRANCH,
                    ),
                ),
            ),
            (
                "加强共青团和学生组织建设",
                (
                    M(
                        "组织教师党员先锋岗，发挥党员骨干作用",
                        OFFICE,
                        "党委书记",
                        ("副院长（教学）", "副院长（科研）"),
                        milestones=(("组建教师党员先锋岗", d(2, 28), d(2, 25)),),
                    ),
                    M(
                        "开展“团史百年”系列校园文化活动",
                        STUDENT_AFFAIRS,
                        "团委书记",
                        (ZHAO,),
                        budget=8000,
                        spent=((d(3, 30), 1500, "“团史百年，青春妙绘”手抄报大赛奖品"),),
                        milestones=(("“百年青春，绘制理想”海报设计大赛", d(4, 30), None),),
                    ),
                ),
            ),
        ),
    ),
    (
        "本科教育",
        (
            (
                "推进国家一流专业建设和专业认证",
                (
                    M(
                        "推进信息管理与信息系统国家一流专业建设",
                        IM,
                        "副院长（教学）",
                        (head_of(IM),),
                        budget=200000,
                        spent=(
                            (d(1, 14), 36000, "专业建设论证会专家咨询费"),
                            (d(3, 16), 58000, "大数据管理实验室设备购置"),
                        ),
                        milestones=(
                            ("修订2022版人才培养方案", d(3, 15), d(3, 14)),
                            ("形成一流专业建设点申报材料", d(3, 31), d(3, 31)),
                        ),
                        carrier=FIRST_CLASS_POST,
                    ),
                    M(
                        "电子商务专业省级一流专业建设",
                        EC,
                        head_of(EC),
                        budget=80000,
                        spent=((d(3, 22), 12500, "电子商务综合实训平台升级"),),
                        milestones=(("省级一流专业建设中期自查", d(6, 30), None),),
                        carrier=FIRST_CLASS_POST,
                    ),
                    M(
                        "计算机科学与技术专业工程教育认证",
                        CS,
                        head_of(CS),
                        (TEACHER,),
                        budget=50000,
                        spent=((d(1, 20), 8000, "工程教育认证培训"),),
                        milestones=(
                            ("毕业要求达成度评价", d(2, 28), d(2, 26)),
                            ("提交工程教育认证申请书", d(3, 31), None),
                        ),
                    ),
                ),
            ),
            (
                "深化课程思政和课程建设",
                (
                    M(
                        "课程思政示范课程建设",
                        TEACHING_OFFICE,
                        "副院长（教学）",
                        (TEACHER, "教学秘书"),
                        budget=30000,
                        spent=((d(3, 28), 6000, "课程思政教学设计评审"),),
                        milestones=(("遴选课程思政示范课程", d(3, 31), d(3, 28)),),
                    ),
                    M(
                        "一流课程（线上线下混合式）培育",
                        DS,
                        head_of(DS),
                        budget=40000,
                        spent=((d(2, 24), 9800, "混合式课程视频录制"),),
                        milestones=(("完成两门课程视频录制", d(4, 30), None),),
                    ),
                    M(
                        "教材建设与教学成果奖培育",
                        TEACHING_OFFICE,
                        "院长",
                        budget=20000,
                        starts=d(5, 1),
                        status=Status.NOT_STARTED,
                        milestones=(("教学成果奖培育项目立项", d(6, 30), None),),
                    ),
                ),
            ),
            (
                "保障教学运行和教学质量",
                (
                    M(
                        "开展春季学期开学教学检查",
                        TEACHING_OFFICE,
                        "教学秘书",
                        ("副院长（教学）",),
                        starts=d(2, 20),
                        due=d(3, 15),
                        milestones=(
                            ("开学第一周听课查课", d(3, 4), d(3, 4)),
                            ("教学检查情况通报", d(3, 15), d(3, 9)),
                        ),
                    ),
                    M(
                        "完善教学质量监控和督导听课制度",
                        TEACHING_OFFICE,
                        "副院长（教学）",
                        ("教学秘书",),
                        budget=6000,
                        spent=((d(3, 31), 2400, "教学督导听课补贴"),),
                        milestones=(("修订教学督导工作办法", d(3, 20), d(3, 18)),),
                    ),
                    M(
                        "校外实践教学基地走访与共建",
                        EC,
                        head_of(EC),
                        (TEACHER,),
                        budget=15000,
                        starts=d(3, 1),
                        milestones=(("走访实践教学基地5家", d(5, 31), None),),
                        status=Status.PAUSED,
                    ),
                ),
            ),
        ),
    ),
    (
        "学科建设与研究生教育",
        (
            (
                "加强学科和学位点建设",
                (
                    M(
                        "管理科学与工程一级学科博士点建设",
                        IM,
                        "院长",
                        (head_of(IM),),
                        budget=150000,
                        spent=((d(3, 10), 42000, "学科建设专家论证会"),),
                        milestones=(("学科建设年度任务分解", d(2, 28), d(2, 25)),),
                    ),
                    M(
                        "电子信息专业学位硕士点合格评估",
                        TEACHING_OFFICE,
                        "副院长（科研）",
                        ("研究生秘书",),
                        budget=20000,
                        spent=((d(2, 28), 3600, "评估材料印制"),),
                        milestones=(
                            ("学位点建设数据采集", d(2, 28), d(2, 27)),
                            ("完成自评估报告初稿", d(3, 31), None),
                        ),
                    ),
                    M(
                        "图书情报专业学位点内涵建设",
                        IM,
                        head_of(IM),
                        ("研究生秘书",),
                        budget=30000,
                        spent=((d(1, 25), 5200, "行业导师聘任与培训"),),
                        milestones=(("聘任行业导师", d(3, 31), d(3, 21)),),
                    ),
                ),
            ),
            (
                "做好研究生招生和培养",
                (
                    M(
                        "做好2022年硕士研究生招生复试录取",
                        TEACHING_OFFICE,
                        "副院长（科研）",
                        ("研究生秘书",),
                        budget=12000,
                        spent=((d(4, 8), 4300, "网络远程复试平台与设备"),),
                        due=d(6, 30),
                        milestones=(
                            ("制定复试录取工作方案", d(3, 25), d(3, 24)),
                            ("完成网络远程复试", d(4, 12), d(4, 10)),
                        ),
                    ),
                    M(
                        "修订研究生培养方案",
                        TEACHING_OFFICE,
                        "副院长（科研）",
                        starts=d(6, 1),
                        status=Status.NOT_STARTED,
                        milestones=(("培养方案修订论证", d(9, 30), None),),
                    ),
                    M(
                        "研究生学位论文质量提升",
                        TEACHING_OFFICE,
                        "副院长（科研）",
                        ("研究生秘书", POSTGRADUATE_COUNSELLOR),
                        budget=25000,
                        spent=((d(3, 30), 7800, "学位论文校外盲审费"),),
                        milestones=(("学位论文盲审送审", d(3, 31), d(3, 30)),),
                    ),
                ),
            ),
            (
                "提升科研水平和服务能力",
                (
                    M(
                        "组织国家社科基金、国家自然科学基金项目申报",
                        TEACHING_OFFICE,
                        "副院长（科研）",
                        ("科研秘书",),
                        budget=60000,
                        spent=(
                            (d(1, 18), 9000, "申报书校外专家辅导"),
                            (d(3, 8), 12000, "申报书校外专家预审"),
                        ),
                        milestones=(
                            ("申报动员和选题论证", d(1, 31), d(1, 21)),
                            ("国家自然科学基金申报书报送", d(3, 20), d(3, 18)),
                            ("国家社科基金申报书报送", d(3, 31), d(3, 28)),
                        ),
                        carrier=RESEARCH_POST,
                    ),
                    M(
                        "高水平论文和科研成果奖培育",
                        TEACHING_OFFICE,
                        "副院长（科研）",
                        ("科研秘书",),
                        budget=100000,
                        spent=((d(3, 31), 16000, "高水平论文版面费资助"),),
                        milestones=(("省社科优秀成果奖申报", d(5, 20), None),),
                        carrier=RESEARCH_POST,
                    ),
                    M(
                        "推进产学研协同育人平台建设",
                        CS,
                        "院长",
                        (head_of(CS),),
                        budget=50000,
                        spent=((d(1, 12), 10000, "校企合作协议签约"),),
                        milestones=(("签订产学研合作协议", d(3, 31), d(1, 12)),),
                    ),
                ),
            ),
        ),
    ),
    (
        "人才引育",
        (
            (
                "加大人才引进力度",
                (
                    M(
                        "引进博士和高层次人才",
                        OFFICE,
                        "院长",
                        ("办公室主任",),
                        budget=120000,
                        spent=((d(3, 3), 14000, "人才引进面试专家费和差旅"),),
                        milestones=(
                            ("发布2022年人才引进公告", d(1, 31), d(1, 25)),
                            ("第一批博士线上面试", d(4, 30), None),
                        ),
                    ),
                ),
            ),
            (
                "加强青年教师培养",
                (
                    M(
                        "青年教师导师制和教学能力提升",
                        TEACHING_OFFICE,
                        "副院长（教学）",
                        (head_of(DS),),
                        budget=15000,
                        spent=((d(3, 11), 4500, "青年教师教学能力培训"),),
                        milestones=(("确定青年教师指导教师", d(2, 28), d(2, 28)),),
                    ),
                    M(
                        "组织青年教师教学基本功比赛",
                        TEACHING_OFFICE,
                        "副院长（教学）",
                        ("教学秘书",),
                        budget=8000,
                        milestones=(("院级初赛", d(4, 8), None),),
                    ),
                ),
            ),
            (
                "优化师资队伍结构",
                (
                    M(
                        "教师职称评审和岗位聘任",
                        OFFICE,
                        "办公室主任",
                        ("院长",),
                        starts=d(3, 1),
                        milestones=(("岗位聘任方案公示", d(6, 30), None),),
                    ),
                    M(
                        "加强师德师风建设",
                        OFFICE,
                        "党委书记",
                        ("党委副书记",),
                        budget=3000,
                        milestones=(("师德师风专题教育", d(3, 31), d(3, 17)),),
                    ),
                ),
            ),
        ),
    ),
    (
        "就业创业",
        (
            (
                "提升就业率和就业质量",
                (
                    M(
                        "确保2022届毕业生就业率不低于上年",
                        STUDENT_AFFAIRS,
                        "党委副书记",
                        (ZHAO, "团委书记"),
                        budget=20000,
                        spent=((d(3, 15), 3000, "就业困难学生求职补贴"),),
                        milestones=(("毕业生就业状况摸排", d(3, 10), d(3, 8)),),
                        carrier=UNDERGRADUATE_BRANCH,
                    ),
                    M(
                        "书记院长访企拓岗促就业",
                        OFFICE,
                        "党委书记",
                        ("院长",),
                        budget=10000,
                        spent=((d(3, 23), 2600, "走访用人单位差旅"),),
                        milestones=(("走访用人单位10家", d(4, 15), None),),
                    ),
                ),
            ),
            (
                "加强就业指导和服务",
                (
                    M(
                        "开展毕业生就业指导和困难群体帮扶",
                        STUDENT_AFFAIRS,
                        ZHAO,
                        budget=5000,
                        spent=((d(3, 21), 800, "就业指导讲座"),),
                        milestones=(("困难群体毕业生一人一档", d(3, 31), d(3, 29)),),
                    ),
                ),
            ),
            (
                "深化创新创业教育",
                (
                    M(
                        "组织“互联网+”、“三创赛”、蓝桥杯等学科竞赛",
                        STUDENT_AFFAIRS,
                        "团委书记",
                        (ZHAO, head_of(EC)),
                        budget=30000,
                        spent=((d(3, 26), 4200, "“三创赛”校级赛评审"),),
                        milestones=(("电子商务“三创赛”校级赛", d(3, 31), d(3, 26)),),
                    ),
                    M(
                        "就业创业实践基地建设",
                        EC,
                        head_of(EC),
                        budget=20000,
                        starts=d(5, 1),
                        status=Status.NOT_STARTED,
                        milestones=(("新建就业创业实践基地2家", d(10, 31), None),),
                    ),
                ),
            ),
        ),
    ),
)

# The one measure accepted as done, and the one paused for the lockdown.
DONE_MEASURE = "开展春季学期开学教学检查"
PAUSED_ON = beijing(2022, 4, 3, 16, 0)

# The work-promotion meeting, held online during the lockdown: the college's
# own meeting, not the incident's.
MEETING_TITLE = "线上召开学院工作推进会"
MEETING_AT = beijing(2022, 4, 11, 9, 0)
MEETING_ATTENDEES = "学院党委班子成员、各系主任、各办公室负责人、辅导员代表"
DECISIONS = (
    "坚持疫情防控不松懈、重点工作不停摆，各项具体举措项目化推进，按月报送进展",
    "教师党员先锋岗紧盯一流专业、科研项目申报等近期重点工作，发挥党支部战斗堡垒作用",
    "一流专业建设点申报材料4月底前完成校内论证",
    "研究生招生复试录取工作线上进行，拟录取名单4月20日前公示",
    "学院团委牵头举办网络双选会，做好2022届毕业生线上就业服务",
)
# Decision number → (the measure it adds a milestone to, the milestone, its date).
MILESTONE_DECISIONS = {
    3: ("推进信息管理与信息系统国家一流专业建设", "申报材料完成校内论证", d(4, 29)),
    4: ("做好2022年硕士研究生招生复试录取", "拟录取名单公示", d(4, 20)),
}
# Decision 5 becomes the 37th measure, under 加强就业指导和服务.
MEASURE_DECISION = 5
MEETING_MEASURE = M(
    "举办网络双选会，做好疫情期间毕业生线上就业服务",
    STUDENT_AFFAIRS,
    "团委书记",
    (ZHAO,),
    budget=5000,
    # On the fairs' own days (demo.fairs holds them).
    spent=((FIRST_DAY, 1500, "网络双选会平台服务费"),),
    milestones=(
        ("第一场网络双选会", FIRST_DAY, FIRST_DAY),
        ("第二场网络双选会", SECOND_DAY, SECOND_DAY),
        ("第三场网络双选会", d(5, 13), None),
    ),
    starts=d(4, 11),
    due=d(7, 31),
)
MEETING_MEASURE_KEY_POINT = "加强就业指导和服务"

# The two breakthroughs: measure → (when, what, evidence file, its lines).
BREAKTHROUGHS = {
    "推进信息管理与信息系统国家一流专业建设": (
        beijing(2022, 4, 8, 17, 0),
        "信息管理与信息系统专业申报国家级一流本科专业建设点通过学校评审，获学校推荐上报（4月8日公示）。",
        "推荐申报国家级一流本科专业建设点公示.pdf",
        [
            "关于推荐申报国家级一流本科专业建设点的公示",
            "经学院申报、学校本科教学工作委员会评审，",
            "信息学院信息管理与信息系统专业拟推荐申报国家级一流本科专业建设点。",
            "公示期：2022年4月8日至4月14日。",
            "山西财经大学教务处  2022年4月8日",
        ],
    ),
    "组织国家社科基金、国家自然科学基金项目申报": (
        beijing(2022, 3, 29, 16, 30),
        "2022年度国家社科基金年度项目申报11项、国家自然科学基金项目申报6项，"
        "较上年增加8项，创学院新高，全部通过学校形式审查并按期报送。",
        "2022年度国家基金项目申报汇总.pdf",
        [
            "信息学院2022年度国家基金项目申报汇总",
            "国家社科基金年度项目：申报11项（上年6项）",
            "国家自然科学基金项目：申报6项（上年3项）",
            "全部通过学校形式审查，已按期报送。",
            "信息学院科研秘书  2022年3月28日",
        ],
    ),
}

# The files two of March's reports came with: (name, the lines of the PDF).
REPORT_FILES = {
    "推进信息管理与信息系统国家一流专业建设": (
        "2022版人才培养方案修订说明.pdf",
        [
            "信息管理与信息系统专业2022版人才培养方案修订说明",
            "一、修订依据：国家一流本科专业建设标准、专业类教学质量国家标准",
            "二、主要变化：增设数据治理、商务智能课程模块，强化课程思政",
            "三、论证情况：3月14日通过学院教学委员会论证",
        ],
    ),
    "组织国家社科基金、国家自然科学基金项目申报": (
        "国家自然科学基金申报清单.pdf",
        [
            "信息学院2022年度国家自然科学基金申报清单",
            "面上项目2项、青年科学基金项目4项",
            "3月18日完成学校形式审查，按期提交",
        ],
    ),
}
# Of a past report: unwritten still, written after its day; the rest on time.
UNWRITTEN_SHARE = 0.08
LATE_SHARE = 0.15
# Of the reports written, those a leader has scored by now (March's less so).
SCORED_SHARE = 0.9
SCORED_SHARE_LAST = 0.6
MONTH_WORK = {
    1: "制定年度实施方案，明确责任人和时间节点，召开专题部署会。",
    2: "寒假期间梳理任务清单，开学前完成各项准备工作。",
    3: "开学后按方案推进，阶段性任务有序落实。",
}
COMMENTS = {
    5: "进展显著，材料翔实，继续保持。",
    4: "按计划推进，请关注下一阶段节点。",
    3: "进展一般，请加快推进并补充佐证材料。",
    2: "报送滞后，进展不明显，请说明原因并提出整改措施。",
}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.at(day, dt.time(hour, minute))


def all_measures() -> list[M]:
    """The 36 planned measures, in the plan's order."""
    return [m for _area, points in OUTLINE for _point, measures in points for m in measures]


class _People:
    """Who the plan names, and whose login does what they do."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.users = {user.person_id: user for user in User.objects.filter(person__isnull=False)}
        self.leader = demo.user(Role.LEADER)
        self.teaching_leader = self.users[demo.posts["副院长（教学）"].pk]

    def person(self, post: str) -> Person:
        if post == TEACHER:
            person = self.demo.user(Role.TEACHER).person
            if person is None:
                raise ValueError("build_logins must run first")
            return person
        return self.demo.posts[post]

    def writer(self, measure: M) -> User:
        """The first of the owner and co-owners with a login: who writes the
        reports, sets the status and books the money."""
        for post in (measure.owner, *measure.co_owners):
            user = self.users.get(self.person(post).pk)
            if user is not None:
                return user
        raise ValueError(f"nobody of {measure.title} has a login")

    def scorer(self, area: str) -> User:
        return self.teaching_leader if area == "本科教育" else self.leader


def name_posts(demo: Demo) -> None:
    """The department heads (a party member teacher of each department, not
    the teacher login) and the postgraduates' counsellor, as posts."""
    teacher_login = demo.user(Role.TEACHER).person
    for department in DEPARTMENTS:
        demo.posts[head_of(department)] = next(
            teacher
            for teacher in demo.teachers
            if teacher.unit == demo.units[department]
            and teacher.is_party_member
            and teacher != teacher_login
        )
    demo.posts[POSTGRADUATE_COUNSELLOR] = demo.counsellors[-1]


def vanguard_posts(demo: Demo) -> None:
    """The two teacher party-member vanguard posts: party member teachers,
    led by the head of information management and the vice dean for research."""
    college = demo.units[COLLEGE]
    taken: set[int] = set()
    posts = (
        (FIRST_CLASS_POST, head_of(IM), (IM, EC)),
        (RESEARCH_POST, "副院长（科研）", (CS, DS)),
    )
    memberships = []
    for name, lead_post, departments in posts:
        lead = demo.posts[lead_post]
        others = [
            teacher
            for teacher in demo.teachers
            if teacher.is_party_member
            and teacher.unit is not None
            and teacher.unit.name in departments
            and teacher.pk not in taken
            and teacher != lead
        ][: VANGUARD_SIZE - 1]
        members = [lead, *others]
        taken |= {person.pk for person in members}
        team = Team.objects.create(name=name, kind=Team.Kind.TEACHER_VANGUARD_POST, unit=college)
        demo.teams[name] = team
        memberships += [
            Membership(team=team, person=person, is_lead=position == 0)
            for position, person in enumerate(members)
        ]
    Membership.objects.bulk_create(memberships)


def _measure(demo: Demo, people: _People, key_point: KeyPoint, spec: M) -> Measure:
    carrier = spec.carrier
    return Measure(
        key_point=key_point,
        title=spec.title,
        owner_unit=demo.units[spec.unit],
        owner=people.person(spec.owner),
        branch=demo.branches[carrier] if carrier in demo.branches else None,
        post=demo.teams[carrier] if carrier in demo.teams else None,
        starts_on=spec.starts,
        due_on=spec.due,
        budget=Decimal(spec.budget),
    )


def adopt_plan(demo: Demo) -> None:
    """The plan as the party committee adopted it on 1月10日, its measures'
    milestones with it."""
    people = _People(demo)
    leader = people.leader
    with clock.standing_at(ADOPTED_AT):
        plan = actions.save_plan(
            Plan(
                title=PLAN_TITLE,
                year=2022,
                unit=demo.units[COLLEGE],
                report_every=Plan.Every.MONTH,
                report_day=REPORT_DAY,
            ),
            acting_user=leader,
        )
        for area_title, points in OUTLINE:
            area = actions.save_area(Area(plan=plan, title=area_title), acting_user=leader)
            for point_title, measures in points:
                key_point = actions.save_key_point(
                    KeyPoint(area=area, title=point_title), acting_user=leader
                )
                for spec in measures:
                    measure = actions.save_measure(
                        _measure(demo, people, key_point, spec),
                        co_owners=[people.person(post) for post in spec.co_owners],
                        acting_user=leader,
                    )
                    for title, due, _done in spec.milestones:
                        actions.save_milestone(
                            Milestone(measure=measure, title=title, due_on=due), acting_user=leader
                        )


def _plan() -> Plan:
    return Plan.objects.get(title=PLAN_TITLE)


def run_measures(demo: Demo) -> None:
    """January to April: owners start their measures, tick off milestones and
    book expenditures; one is accepted as done, one paused."""
    people = _People(demo)
    measures = {m.title: m for m in Measure.objects.filter(key_point__area__plan=_plan())}
    for spec in all_measures():
        _run(people, measures[spec.title], spec)
    done = measures[DONE_MEASURE]
    with clock.standing_at(beijing(2022, 3, 10, 15, 0)):
        actions.report_completion(
            done,
            note="开学教学检查已完成，检查情况已在全院通报。",
            acting_user=people.writer(_spec(DONE_MEASURE)),
        )
    with clock.standing_at(beijing(2022, 3, 11, 10, 0)):
        actions.decide_completion(
            done, accept=True, comment="检查细致，通报及时。", acting_user=people.teaching_leader
        )


def _spec(title: str) -> M:
    return next(spec for spec in all_measures() if spec.title == title)


def _run(people: _People, measure: Measure, spec: M, started: dt.datetime | None = None) -> None:
    """The owner's work on a measure: started (the day after the plan was
    adopted at the earliest), milestones ticked off, money booked."""
    writer = people.writer(spec)
    if spec.status != Status.NOT_STARTED:
        started = started or max(_at(spec.starts, 9, 30), ADOPTED_AT + dt.timedelta(days=1))
        with clock.standing_at(started):
            actions.set_status(measure, Status.IN_PROGRESS, acting_user=writer)
    for milestone in measure.milestones.all():
        done = next(
            (done for title, _due, done in spec.milestones if title == milestone.title), None
        )
        if done is not None:
            milestone.done_on = done
            with clock.standing_at(_at(done, 17, 30)):
                actions.save_milestone(milestone, acting_user=writer)
    for day, amount, purpose in spec.spent:
        with clock.standing_at(_at(day, 11, 0)):
            actions.book_expenditure(
                measure,
                amount=Decimal(amount),
                spent_on=day,
                purpose=purpose,
                acting_user=writer,
            )
    if spec.status == Status.PAUSED:
        with clock.standing_at(PAUSED_ON):
            actions.set_status(measure, Status.PAUSED, acting_user=writer)


def work_promotion_meeting(demo: Demo) -> None:
    """The online meeting of 4月11日 and the work its decisions became."""
    people = _People(demo)
    leader = people.leader
    plan = _plan()
    with clock.standing_at(MEETING_AT + dt.timedelta(hours=2, minutes=30)):
        meeting = record_meeting(
            None,
            held_at=MEETING_AT,
            title=MEETING_TITLE,
            attendees=MEETING_ATTENDEES,
            decisions=DECISIONS,
            is_online=True,
            acting_user=leader,
        )
        decisions = {decision.number: decision for decision in meeting.decisions.all()}
        measures = Measure.objects.filter(key_point__area__plan=plan)
        for number, (title, milestone, due) in MILESTONE_DECISIONS.items():
            actions.milestone_from_decision(
                decisions[number],
                measures.get(title=title),
                title=milestone,
                due_on=due,
                acting_user=leader,
            )
        measure = _meeting_measure(demo, people, plan, decisions[MEASURE_DECISION])
    _run(people, measure, MEETING_MEASURE, started=MEETING_AT + dt.timedelta(hours=4))


def _meeting_measure(demo: Demo, people: _People, plan: Plan, decision: Decision) -> Measure:
    key_point = KeyPoint.objects.get(area__plan=plan, title=MEETING_MEASURE_KEY_POINT)
    spec = MEETING_MEASURE
    measure = actions.measure_from_decision(
        decision, _measure(demo, people, key_point, spec), acting_user=people.leader
    )
    actions.save_measure(
        measure,
        co_owners=[people.person(post) for post in spec.co_owners],
        acting_user=people.leader,
    )
    for title, due, _done in spec.milestones:
        actions.save_milestone(
            Milestone(measure=measure, title=title, due_on=due), acting_user=people.leader
        )
    return measure


def progress_reports(demo: Demo) -> None:
    """The reports due before now: most written on time, a few late, a few
    still unwritten; most of those written scored by a leader."""
    rng = demo.rng("workplan reports")
    people = _People(demo)
    specs = {spec.title: spec for spec in [*all_measures(), MEETING_MEASURE]}
    today = NOW.date()
    reports = (
        Report.objects.filter(measure__key_point__area__plan=_plan(), due_on__lt=today)
        .select_related("measure__key_point__area")
        .order_by("due_on", "measure__key_point__area__number", "measure__key_point__number")
    )
    last_due = max(report.due_on for report in reports)
    for report in reports:
        measure = report.measure
        spec = specs[measure.title]
        roll = rng.random()
        hour, minute = rng.randint(9, 17), rng.randrange(60)
        early, delay = rng.randint(0, 3), rng.randint(1, 5)
        scored_roll, score_roll = rng.random(), rng.random()
        forced = measure.title == DONE_MEASURE or measure.is_breakthrough
        if roll < UNWRITTEN_SHARE and not forced:
            continue
        late = roll < UNWRITTEN_SHARE + LATE_SHARE and not forced
        day = (
            report.due_on + dt.timedelta(days=delay)
            if late
            else report.due_on - dt.timedelta(days=early)
        )
        submitted_at = _at(day, hour, minute)
        files = []
        if spec.title in REPORT_FILES and report.due_on == last_due:
            name, lines = REPORT_FILES[spec.title]
            files = [SimpleUploadedFile(name, one_page_pdf(lines), content_type="application/pdf")]
        with clock.standing_at(submitted_at):
            report = actions.submit_report(
                report,
                text=_report_text(measure, spec, report.due_on),
                files=files,
                acting_user=people.writer(spec),
            )
        share = SCORED_SHARE_LAST if report.due_on == last_due else SCORED_SHARE
        scored_at = submitted_at + dt.timedelta(days=1 + early, hours=rng.randint(1, 6))
        if scored_roll >= share or scored_at >= NOW:
            continue
        scores = (2, 3, 3, 4) if late else (3, 4, 4, 4, 5, 5)
        score = scores[int(score_roll * len(scores))]
        with clock.standing_at(scored_at):
            actions.score_report(
                report,
                score=score,
                comment=COMMENTS[score],
                acting_user=people.scorer(measure.key_point.area.title),
            )


def _report_text(measure: Measure, spec: M, due: dt.date) -> str:
    """What the month's report says: the month's work, milestones done and money spent."""
    start = due - dt.timedelta(days=31)
    lines = [MONTH_WORK.get(due.month, "按计划推进各项工作。")]
    lines += [
        f"完成“{title}”。"
        for title, _due, done in spec.milestones
        if done is not None and start < done <= due
    ]
    lines += [
        f"支出经费{amount}元（{purpose}）。"
        for day, amount, purpose in spec.spent
        if start < day <= due
    ]
    if measure.title in REPORT_FILES and due.month == 3:
        lines.append("相关材料见附件。")
    return "".join(lines)


def breakthroughs(demo: Demo) -> None:
    """The two breakthroughs the seed speaks of, each with its evidence."""
    people = _People(demo)
    plan = _plan()
    for title, (when, text, name, lines) in BREAKTHROUGHS.items():
        measure = Measure.objects.get(key_point__area__plan=plan, title=title)
        evidence = SimpleUploadedFile(name, one_page_pdf(lines), content_type="application/pdf")
        with clock.standing_at(when):
            actions.mark_breakthrough(
                measure, text=text, files=[evidence], acting_user=people.writer(_spec(title))
            )


WORKPLAN_STEPS: tuple[Callable[[Demo], None], ...] = (
    name_posts,
    vanguard_posts,
    adopt_plan,
    run_measures,
    work_promotion_meeting,
    breakthroughs,
    progress_reports,
)
