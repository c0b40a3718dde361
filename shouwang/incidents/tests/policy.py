import datetime as dt

from shouwang.incidents.models import Decision, Incident, Meeting, PlanTask
from shouwang.lib import clock
from shouwang.policy import Rule, expect

# Staff see incidents; students and volunteers do not know they exist.
VIEWERS = expect(200, student=404, volunteer=404)
MANAGERS = expect(403, student=404, volunteer=404, leader=200, admin=200)
# A manager's successful POST redirects to the incident.
MANAGERS_POST = expect(403, student=404, volunteer=404, leader=302, admin=302)


def make_objects(case) -> None:
    case.incident = Incident.objects.create(title="校园封控", opened_by=case.leader)
    case.incident.units.set([case.college])
    case.task_a = PlanTask.objects.create(
        incident=case.incident, title="落实隔离学生一日三餐", owner=case.counsellor_a
    )
    case.task_b = PlanTask.objects.create(
        incident=case.incident, title="全员排查在校外师生健康状况", owner=case.counsellor_b
    )
    case.closed_incident = Incident.objects.create(
        title="防汛应急",
        started_at=clock.now() - dt.timedelta(days=20),
        closed_at=clock.now() - dt.timedelta(days=10),
        closed_by=case.leader,
    )
    case.closed_incident.units.set([case.college])
    case.closed_task = PlanTask.objects.create(
        incident=case.closed_incident, title="转移低洼处物资", owner=case.counsellor_a
    )
    case.incident_meeting = Meeting.objects.create(
        incident=case.incident, held_at=clock.now(), title="召开专题会议研究部署"
    )
    # The college's own meeting, held for no incident.
    case.college_meeting = Meeting.objects.create(
        held_at=clock.now(), title="学院工作推进会", is_online=True
    )
    Decision.objects.create(meeting=case.college_meeting, number=1, text="细化重点工作举措")


def task_of(name: str):
    def target(case, persona: str) -> list[int]:
        task = getattr(case, name)
        return [task.incident_id, task.pk]

    return target


MEETING = {"held_at": "2022-04-03T09:00", "title": "专题会议", "decisions": "启动应急预案"}

RULES = [
    Rule("incidents:incident_list", VIEWERS),
    Rule("incidents:incident_open", MANAGERS),
    # An empty form comes back with its errors: the managers' 200.
    Rule("incidents:incident_open", MANAGERS, method="post", data={}),
    Rule("incidents:incident_detail", VIEWERS, target="incident"),
    Rule("incidents:incident_detail", VIEWERS, target="closed_incident"),
    Rule("incidents:incident_settings", MANAGERS, target="incident"),
    Rule(
        "incidents:incident_settings",
        MANAGERS_POST,
        method="post",
        target="incident",
        data={"reporters": "students", "deadline": "10:00", "retention_days": "30"},
    ),
    # A closed incident cannot be changed: back to its page with a message.
    Rule("incidents:incident_settings", MANAGERS_POST, target="closed_incident"),
    Rule("incidents:incident_close", MANAGERS_POST, method="post", target="incident"),
    Rule("incidents:incident_close", MANAGERS_POST, method="post", target="closed_incident"),
    Rule("incidents:task_new", MANAGERS, target="incident"),
    Rule(
        "incidents:task_new",
        MANAGERS_POST,
        method="post",
        target="incident",
        data={"title": "启动线上教学"},
    ),
    # A task's owner may tick it off; other staff may not.
    Rule(
        "incidents:task_detail",
        expect(403, student=404, volunteer=404, counsellor_a=200, leader=200, admin=200),
        target=task_of("task_a"),
    ),
    Rule(
        "incidents:task_detail",
        expect(403, student=404, volunteer=404, counsellor_b=200, leader=200, admin=200),
        target=task_of("task_b"),
    ),
    Rule(
        "incidents:task_detail",
        expect(403, student=404, volunteer=404, counsellor_a=302, leader=302, admin=302),
        method="post",
        target=task_of("task_a"),
        data={"note": "已安排志愿者送餐"},
    ),
    Rule(
        "incidents:task_detail",
        expect(403, student=404, volunteer=404, counsellor_b=302, leader=302, admin=302),
        method="post",
        target=task_of("task_b"),
        data={"note": "已排查完毕"},
    ),
    Rule(
        "incidents:task_detail",
        expect(403, student=404, volunteer=404, counsellor_a=302, leader=302, admin=302),
        method="post",
        target=task_of("closed_task"),
        data={"note": "已完成"},
    ),
    # Only managers choose owners and due times, the task's owner included.
    Rule(
        "incidents:task_assign",
        MANAGERS_POST,
        method="post",
        target=task_of("task_a"),
        data={"owner": "", "due_at": ""},
    ),
    Rule("incidents:meeting_new", MANAGERS, target="incident"),
    Rule("incidents:meeting_new", MANAGERS_POST, method="post", target="incident", data=MEETING),
    Rule(
        "incidents:meeting_new",
        MANAGERS_POST,
        method="post",
        target="closed_incident",
        data=MEETING,
    ),
    # Meetings: an incident's go with it; the college's own are for all its staff.
    Rule("incidents:meeting_list", VIEWERS),
    Rule("incidents:meeting_detail", VIEWERS, target="incident_meeting"),
    Rule("incidents:meeting_detail", VIEWERS, target="college_meeting"),
    Rule("incidents:meeting_new_college", MANAGERS),
    Rule("incidents:meeting_new_college", MANAGERS_POST, method="post", data=MEETING),
]
