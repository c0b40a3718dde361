import datetime as dt

from shouwang.care import actions
from shouwang.care.labels import token_for
from shouwang.care.models import BuildingTeam, MealDelivery, MealSlot
from shouwang.lib import clock
from shouwang.policy import Rule, expect
from shouwang.volunteers.models import Membership, Team

MANAGERS = expect(403, counsellor_a=200, counsellor_b=200, leader=200, admin=200)
# Student A's isolation: their counsellor, leaders and admins.
ISOLATION_A = expect(404, counsellor_a=200, leader=200, admin=200)
ISOLATION_A_POST = expect(404, counsellor_a=302, leader=302, admin=302)
# A delivery to student A's door: the volunteer's team carries it.
DELIVERY = expect(404, volunteer=200, leader=200, admin=200)
DELIVERY_POST = expect(404, volunteer=302, leader=302, admin=302)


def make_objects(case) -> None:
    # Not the volunteers policy's 春蕾工程, whose members include the isolated student.
    team = Team.objects.create(name="红烛志愿服务队", kind=Team.Kind.BRIGADE)
    Membership.objects.create(team=team, person=case.volunteer_person, is_lead=True)
    BuildingTeam.objects.create(building="B", team=team)
    MealSlot.objects.create(name="早餐", time=dt.time(7, 30))
    case.care_isolation = actions.place_in_isolation(
        case.student_a,
        dorm_room=case.room,
        reason="密切接触者",
        dietary_note="不吃辣",
        started_at=clock.now() - dt.timedelta(days=1),
        planned_end=clock.today() + dt.timedelta(days=6),
        acting_user=case.counsellor_a_user,
    )
    actions.generate_deliveries(clock.today())
    # Other policies' isolations may have meals today too (an isolation ended
    # after breakfast had one): the matrix's delivery is this isolation's.
    case.care_delivery = MealDelivery.objects.get(isolation=case.care_isolation)


def token(case, persona: str) -> list[str]:
    return [token_for(case.care_delivery)]


RULES = [
    Rule("care:isolation_list", MANAGERS),
    Rule("care:isolation_new", MANAGERS),
    Rule("care:isolation_new", MANAGERS, method="post", data={}),
    Rule("care:isolation_detail", ISOLATION_A, target="care_isolation"),
    Rule("care:isolation_end", ISOLATION_A_POST, method="post", target="care_isolation"),
    Rule("care:contact_log", ISOLATION_A_POST, method="post", target="care_isolation"),
    # Everyone has a page of their own isolation, saying so if there is none.
    Rule("care:mine", expect(200)),
    # Only the isolated person confirms or complains about their own meal.
    Rule(
        "care:delivery_received",
        expect(404, student=302),
        method="post",
        target="care_delivery",
    ),
    Rule(
        "care:delivery_problem",
        expect(404, student=302),
        method="post",
        target="care_delivery",
    ),
    # Everyone's round is their teams' deliveries; empty for those in no team.
    Rule("care:routes", expect(200)),
    Rule("care:labels", expect(200)),
    Rule("care:delivery_detail", DELIVERY, target="care_delivery"),
    Rule("care:delivery_claim", DELIVERY_POST, method="post", target="care_delivery"),
    Rule("care:delivery_confirm", DELIVERY_POST, method="post", target="care_delivery"),
    Rule("care:delivery_scan", DELIVERY, target=token),
    # A tampered label is refused before anything is looked up.
    Rule("care:delivery_scan", expect(400), target=lambda case, persona: ["1:tampered:x"]),
    # The team lead and the person's counsellor record what was done.
    Rule(
        "care:delivery_handle",
        expect(404, counsellor_a=302, volunteer=302, leader=302, admin=302),
        method="post",
        target="care_delivery",
    ),
    # Staff and team members write cards: here every persona is one of them,
    # student A too, as a member of 春蕾工程 in the volunteers' policy; a
    # student in no team is refused (test_mine).
    Rule("care:card_new", expect(200)),
]
