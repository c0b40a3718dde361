"""Supplies in the lockdown: the college's store, what it bought and was given,
and where every bottle went, up to the demo's now.

The office director (办公室主任) keeps the college's store (学院物资仓库) and
the duty room (学院值班室): he holds the store-keeper login. On 4月2日 the
university sent the college its first protective supplies; on 4月6日 the
college bought daily necessities, and the students' and staff's help
requests for them were met from the store. The teams asked for what their
rounds needed and the keeper issued it, the receivers confirming by
scanning the slip's code. By 4月15日 protective suits were below their
minimum — "在学校疫情防控物资最吃紧的关头" — when 梁世婕 (2021级图书情报专硕,
共产党员) pledged, at noon, 防护服100套、免洗手消毒液700瓶、桶装方便面30箱、火腿肠6箱
以及水果1000斤; the keeper counted it in that afternoon exactly as the seed lists
it, and the committee's notice to receive it is written from the pledge.
That evening and the next morning the isolation care team, the dorm
buildings' teams and the duty team were issued their share; the notice of the
distribution (4月16日 08:10) and the public disclosure (捐赠公示) are
written from the ledger. Two other gifts (a company's masks, an alumnus's
thermometers, anonymous at his wish) and a parent's pledge not yet
delivered complete the desk.

Everything goes through `shouwang.supplies.actions` on the demo's clock set
back to the moment it happened (`clock.standing_at`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.conf import settings

from shouwang.accounts.actions import grant_role
from shouwang.accounts.models import Role, User
from shouwang.bulletin.models import Article
from shouwang.care.models import BuildingTeam
from shouwang.helpdesk import actions as helpdesk
from shouwang.helpdesk.models import HelpRequest
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.notices.audience import Audience
from shouwang.notices.models import Notice
from shouwang.people.models import Person, Unit
from shouwang.supplies import actions, disclosure
from shouwang.supplies.actions import Asked, Count, Pledge
from shouwang.supplies.models import (
    Category,
    Donation,
    Donor,
    IssueSlip,
    Item,
    ItemUnit,
    MinimumLevel,
    Store,
    SupplyRequest,
)
from shouwang.supplies.tracing import trace
from shouwang.volunteers.models import Membership, Team

from .college import COLLEGE, OFFICE
from .context import Demo
from .notices import (
    BRIGADES,
    DUTY_TEAM,
    SECRETARY,
    VANGUARD_POST,
    Sent,
    everyone,
    send_notice,
)

KEEPER = "办公室主任"
WAREHOUSE, DUTY_ROOM = "学院物资仓库", "学院值班室"

# name, category, base unit, packs, usual unit, perishable
CATALOGUE: Sequence[tuple[str, str, str, dict[str, str], str, bool]] = (
    ("防护服", Category.PROTECTIVE, "套", {}, "", False),
    ("医用外科口罩", Category.PROTECTIVE, "个", {"盒": "50"}, "", False),
    ("一次性手套", Category.PROTECTIVE, "副", {"盒": "100"}, "", False),
    ("免洗手消毒液", Category.DISINFECTION, "瓶", {"箱": "24"}, "", False),
    ("84消毒液", Category.DISINFECTION, "瓶", {"箱": "12"}, "", False),
    ("桶装方便面", Category.FOOD, "桶", {"箱": "24"}, "", False),
    ("火腿肠", Category.FOOD, "根", {"箱": "60"}, "", False),
    ("水果", Category.FOOD, "kg", {"斤": "0.5"}, "斤", True),
    ("卫生纸", Category.DAILY, "卷", {"提": "10"}, "", False),
    ("洗衣液", Category.DAILY, "瓶", {}, "", False),
    ("电子体温计", Category.MEDICINE, "支", {}, "", False),
    ("打印机硒鼓", Category.OTHER, "个", {}, "", False),
)
# The warehouse's minimum levels, in base units.
MINIMUMS = {"防护服": 30, "医用外科口罩": 500, "免洗手消毒液": 100, "84消毒液": 24, "卫生纸": 20}


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return beijing(2022, 4, day, hour, minute)


def _items() -> dict[str, Item]:
    items = {}
    for name, category, base, packs, usual, perishable in CATALOGUE:
        item = Item.objects.create(
            name=name, category=category, base_unit=base, usual_unit=usual, perishable=perishable
        )
        ItemUnit.objects.bulk_create(
            ItemUnit(item=item, name=unit, factor=Decimal(factor)) for unit, factor in packs.items()
        )
        items[name] = item
    return items


def _lead(team: Team) -> Person:
    return Membership.objects.get(team=team, is_lead=True).person


class Desk:
    """The keeper's desk as the demo plays it: items by name, the two stores."""

    def __init__(self, demo: Demo, keeper: User, items: dict[str, Item]):
        self.demo, self.keeper, self.items = demo, keeper, items
        self.warehouse = Store.objects.get(name=WAREHOUSE)

    def said(self, name: str, quantity: str | int, unit: str = "") -> Asked:
        item = self.items[name]
        return Asked(item, item.to_base(Decimal(quantity), unit or item.base_unit))

    def buy(self, at: dt.datetime, source: str, lines: Sequence[tuple[str, int, str]]) -> None:
        with clock.standing_at(at):
            for name, quantity, unit in lines:
                asked = self.said(name, quantity, unit)
                actions.receive(
                    self.warehouse,
                    asked.item,
                    asked.quantity,
                    source=source,
                    acting_user=self.keeper,
                )

    def supply(
        self,
        at: dt.datetime,
        requester: Person,
        lines: Sequence[Asked],
        purpose: str,
        *,
        confirmed_after: dt.timedelta | None = dt.timedelta(minutes=40),
        for_team: Team | None = None,
        for_unit: Unit | None = None,
    ) -> SupplyRequest:
        """A request asked at `at`, approved whole by the keeper a quarter of an
        hour later and issued from the warehouse; the receiver scans the slip
        `confirmed_after` the issue (None: not yet)."""
        user = getattr(requester, "user", None)
        with clock.standing_at(at):
            request = actions.submit_request(
                requester,
                lines,
                purpose=purpose,
                for_team=for_team,
                for_unit=for_unit,
                acting_user=user or self.keeper,
            )
        self.settle(request, at, confirmed_after=confirmed_after, receiver=user)
        request.refresh_from_db()
        return request

    def settle(
        self,
        request: SupplyRequest,
        at: dt.datetime,
        *,
        confirmed_after: dt.timedelta | None,
        receiver: User | None = None,
    ) -> IssueSlip:
        """Approve the request whole a quarter of an hour after `at`, issue it
        from the warehouse, and (`confirmed_after` the issue) the receiver
        scans the slip."""
        decided = at + dt.timedelta(minutes=15)
        with clock.standing_at(decided):
            actions.decide_request(
                request,
                {line.pk: line.asked for line in request.lines.all()},
                acting_user=self.keeper,
            )
        issued = decided + dt.timedelta(minutes=20)
        with clock.standing_at(issued):
            slip = actions.issue(request, self.warehouse, acting_user=self.keeper)
            # As the worker does once the issue is committed.
            disclosure.refresh(
                Donation.objects.filter(disclosure__isnull=False).values_list("pk", flat=True)
            )
        if confirmed_after is not None:
            with clock.standing_at(issued + confirmed_after):
                actions.confirm_receipt(
                    slip, via="qr", person=request.requester, acting_user=receiver
                )
        return slip


def stores_and_stock(demo: Demo) -> None:
    admin = demo.user(Role.ADMIN)
    keeper_person = demo.posts[KEEPER]
    keeper = demo.add_login(Role.STORE_KEEPER, keeper_person)
    with clock.standing_at(_at(1, 9)):
        grant_role(keeper, Role.STORE_KEEPER, acting_user=admin)
    college = demo.units[COLLEGE]
    warehouse = Store.objects.create(
        name=WAREHOUSE, kind=Store.Kind.WAREHOUSE, place="学院楼一层东侧", unit=college
    )
    duty_room = Store.objects.create(
        name=DUTY_ROOM, kind=Store.Kind.DUTY_ROOM, place="学院楼二层值班室", unit=college
    )
    warehouse.keepers.add(keeper_person)
    duty_room.keepers.add(keeper_person)
    items = _items()
    MinimumLevel.objects.bulk_create(
        MinimumLevel(store=warehouse, item=items[name], minimum=Decimal(minimum))
        for name, minimum in MINIMUMS.items()
    )
    desk = Desk(demo, keeper, items)
    desk.buy(
        _at(2, 16),
        "学校物资保障组调拨",
        [
            ("防护服", 40, ""),
            ("医用外科口罩", 60, "盒"),
            ("一次性手套", 10, "盒"),
            ("84消毒液", 10, "箱"),
            ("免洗手消毒液", 5, "箱"),
            ("电子体温计", 30, ""),
        ],
    )
    desk.buy(
        _at(6, 17), "学院采购", [("卫生纸", 30, "提"), ("洗衣液", 40, ""), ("打印机硒鼓", 2, "")]
    )
    with clock.standing_at(_at(3, 10)):
        actions.transfer(
            warehouse,
            duty_room,
            items["医用外科口罩"],
            items["医用外科口罩"].to_base(Decimal(10), "盒"),
            reason="值班室备用",
            acting_user=keeper,
        )
    _rounds(demo, desk)


def _rounds(demo: Demo, desk: Desk) -> None:
    """The teams' requests before the donation: protective kit for the meal
    rounds and the duty, disinfectant for the dorm buildings."""
    care_team = BuildingTeam.objects.get(building="隔离观察楼").team
    duty = demo.teams[DUTY_TEAM]
    vanguard = demo.teams[VANGUARD_POST]
    office = demo.units[OFFICE]
    for day, team, lines, purpose in (
        (3, care_team, [("防护服", 6), ("一次性手套", 200)], "隔离观察楼送餐防护"),
        (3, vanguard, [("84消毒液", 36)], "E、F楼公共区域消杀"),
        (5, demo.teams[BRIGADES[0]], [("84消毒液", 24), ("免洗手消毒液", 24)], "B楼公共区域消杀"),
        (7, care_team, [("防护服", 8), ("电子体温计", 10)], "隔离观察楼送餐防护、测温"),
        (9, duty, [("医用外科口罩", 300), ("防护服", 4)], "校门和学院楼值守"),
        (11, care_team, [("防护服", 10), ("免洗手消毒液", 24)], "隔离观察楼送餐防护"),
        (13, vanguard, [("防护服", 4), ("84消毒液", 24)], "核酸检测现场秩序"),
    ):
        desk.supply(
            _at(day, 9, 30),
            _lead(team),
            [desk.said(name, quantity) for name, quantity in lines],
            purpose,
            for_team=team,
        )
    desk.supply(
        _at(10, 14),
        demo.posts[KEEPER],
        [desk.said("医用外科口罩", 2, "盒")],
        "学院办公室日常",
        for_unit=office,
    )


# What the office gave for the help requests for supplies (demo.helpdesk):
# (the request's description, hours after it was made, lines).
HELP_SUPPLIES = (
    ("宿舍卫生纸和洗衣液用完了", 6.5, [("卫生纸", 1, "提"), ("洗衣液", 1, "")]),
    ("办公室打印机硒鼓用完了", 3, [("打印机硒鼓", 1, "")]),
)


def help_requests(demo: Demo) -> None:
    """The help requests for supplies the office took: each turned into a
    supply request, issued and handed over; unconfirmed by their requesters,
    they closed themselves after the help desk's days for confirming."""
    keeper = demo.user(Role.STORE_KEEPER)
    items = {item.name: item for item in Item.objects.prefetch_related("packs")}
    desk = Desk(demo, keeper, items)
    resolved = []
    for text, hours, lines in HELP_SUPPLIES:
        help_request = HelpRequest.objects.get(description__startswith=text)
        asked = help_request.created_at + dt.timedelta(hours=hours)
        with clock.standing_at(asked):
            request = actions.request_from_help(
                help_request,
                [desk.said(name, quantity, unit) for name, quantity, unit in lines],
                acting_user=keeper,
            )
        slip = desk.settle(request, asked, confirmed_after=None)
        handed = slip.issued_at + dt.timedelta(minutes=30)
        with clock.standing_at(handed):
            # Handed over at the office's desk, marked there by the keeper.
            actions.confirm_receipt(
                slip, via="button", person=help_request.requester, acting_user=keeper
            )
        resolved.append(handed)
    with clock.standing_at(
        max(resolved) + dt.timedelta(days=settings.HELPDESK_CONFIRM_DAYS, hours=1)
    ):
        helpdesk.close_unconfirmed(clock.now())


ISOLATED_ASKS = "隔离观察期间，房间里的消毒液用完了，能送一瓶吗？"


def isolated_student_asks(demo: Demo) -> None:
    """This morning the student login, isolated in B-312, asked for
    disinfectant; her counsellor passed the help request to the office, which
    turned it into a supply request to go with her lunch: the meal round
    carries it at 11:30, after the demo's now."""
    student = demo.user(Role.STUDENT)
    counsellor = demo.user(Role.COUNSELLOR)
    keeper = demo.user(Role.STORE_KEEPER)
    items = {item.name: item for item in Item.objects.prefetch_related("packs")}
    desk = Desk(demo, keeper, items)
    if student.person is None:
        raise ValueError("the demo's student login must have a person")
    with clock.standing_at(_at(16, 7, 40)):
        help_request = helpdesk.submit(
            requester=student.person,
            category=HelpRequest.Category.SUPPLIES,
            urgency=HelpRequest.Urgency.NORMAL,
            description=ISOLATED_ASKS,
            acting_user=student,
        )
    with clock.standing_at(_at(16, 8, 5)):
        helpdesk.claim(help_request, acting_user=counsellor)
        helpdesk.reassign(
            help_request,
            demo.posts[KEEPER],
            "隔离学生的物资由学院办公室随餐发放",
            acting_user=counsellor,
        )
    asked = _at(16, 8, 40)
    with clock.standing_at(asked):
        request = actions.request_from_help(
            help_request,
            [desk.said("免洗手消毒液", 1), desk.said("水果", 2, "斤")],
            with_meals=True,
            acting_user=keeper,
        )
    desk.settle(request, asked, confirmed_after=None)


# The seed's gift, as it lists it.
SEED_GIFT = (
    ("防护服", 100, "套"),
    ("免洗手消毒液", 700, "瓶"),
    ("桶装方便面", 30, "箱"),
    ("火腿肠", 6, "箱"),
    ("水果", 1000, "斤"),
)
PLEDGED_AT, RECEIVED_AT, DISCLOSED_AT = _at(15, 12, 10), _at(15, 15, 40), _at(15, 20, 10)
FRUIT_KEEPS = dt.date(2022, 4, 25)


def seed_donation(demo: Demo) -> None:
    keeper = demo.user(Role.STORE_KEEPER)
    items = {item.name: item for item in Item.objects.prefetch_related("packs")}
    college = demo.units[COLLEGE]
    donor = actions.donor_for(demo.posts["捐赠者"])
    with clock.standing_at(PLEDGED_AT):
        donation = actions.pledge(
            donor,
            [Pledge(items[name], Decimal(quantity), unit) for name, quantity, unit in SEED_GIFT],
            unit=college,
            publicity=Donation.Publicity.NAMED,
            note="与家长沟通后捐赠，家长联系物流下午送到学院楼前。",
            acting_user=keeper,
        )
    send_notice(
        demo,
        Sent(
            SECRETARY,
            _at(15, 12, 30),
            "关于今天下午接收捐赠防疫物资的通知",
            f"研究生党员{donor.display_name}同学及其家人向学校捐赠{donation.items_said()}，"
            "今天下午送到学院楼前。请值班教职工和学生党员先锋岗15:00到学院楼前协助接收、清点和登记。",
            lambda demo: Audience(teams=(demo.teams[DUTY_TEAM].pk, demo.teams[VANGUARD_POST].pk)),
            deadline=_at(15, 14, 30),
            read=1.0,
            acknowledged=1.0,
        ),
        demo.rng("supplies notices"),
    )
    warehouse = Store.objects.get(name=WAREHOUSE)
    with clock.standing_at(RECEIVED_AT):
        actions.receive_donation(
            donation,
            warehouse,
            {
                line.pk: Count(line.pledged, FRUIT_KEEPS if line.item.perishable else None)
                for line in donation.lines.select_related("item")
            },
            acting_user=keeper,
        )
    _disclose(donation, DISCLOSED_AT, keeper)


def _disclose(donation: Donation, at: dt.datetime, keeper: User) -> None:
    """Publish the donation's disclosure at `at`, to the minute as the
    bulletin's other articles are (the demo is the same every time)."""
    with clock.standing_at(at):
        article = disclosure.publish(donation, acting_user=keeper)
    Article.objects.filter(pk=article.pk).update(published_at=at, created_at=at, changed_at=at)


def other_donations(demo: Demo) -> None:
    keeper = demo.user(Role.STORE_KEEPER)
    items = {item.name: item for item in Item.objects.prefetch_related("packs")}
    college = demo.units[COLLEGE]
    warehouse = Store.objects.get(name=WAREHOUSE)
    gifts: list[tuple[Donor, str, dt.datetime, list[tuple[str, int, str]], dt.datetime | None]] = [
        (
            Donor(
                kind=Donor.Kind.COMPANY,
                name="太原启明医疗器械有限公司",
                contact_name="王经理",
                contact_phone="13934567812",
            ),
            Donation.Publicity.NAMED,
            _at(8, 10),
            [("医用外科口罩", 100, "盒")],
            _at(8, 15),
        ),
        (
            Donor(kind=Donor.Kind.ALUMNI, name="2009届校友刘先生", contact_phone="13611112222"),
            Donation.Publicity.ANONYMOUS,
            _at(12, 9),
            [("电子体温计", 50, "")],
            _at(12, 16),
        ),
        (
            Donor(
                kind=Donor.Kind.PARENT,
                name="计算机2003班学生家长",
                contact_name="陈女士",
                contact_phone="13812345678",
            ),
            Donation.Publicity.NAMED,
            _at(16, 8, 40),
            [("84消毒液", 10, "箱"), ("一次性手套", 20, "盒")],
            None,  # on its way: the keeper counts it in when it comes
        ),
    ]
    for donor, publicity, pledged_at, lines, received_at in gifts:
        with clock.standing_at(pledged_at):
            actions.save_donor(donor, acting_user=keeper)
            donation = actions.pledge(
                donor,
                [Pledge(items[name], Decimal(quantity), unit) for name, quantity, unit in lines],
                unit=college,
                publicity=publicity,
                acting_user=keeper,
            )
        if received_at is not None:
            with clock.standing_at(received_at):
                actions.receive_donation(
                    donation,
                    warehouse,
                    {line.pk: Count(line.pledged) for line in donation.lines.all()},
                    acting_user=keeper,
                )
            _disclose(donation, received_at + dt.timedelta(hours=1), keeper)


def distribution(demo: Demo) -> None:
    """The gift handed out: the isolation care team and the duty team that
    evening, the dorm buildings' teams the next morning (the last one's slip
    not yet scanned at the demo's now)."""
    keeper = demo.user(Role.STORE_KEEPER)
    items = {item.name: item for item in Item.objects.prefetch_related("packs")}
    desk = Desk(demo, keeper, items)
    care_team = BuildingTeam.objects.get(building="隔离观察楼").team
    rounds: list[tuple[dt.datetime, Team, list[tuple[str, int, str]], str, bool]] = [
        (
            _at(15, 17),
            care_team,
            [("防护服", 30, ""), ("免洗手消毒液", 48, ""), ("水果", 100, "斤")],
            "隔离学生送餐防护，随餐送水果和消毒液",
            True,
        ),
        (
            _at(15, 17, 30),
            demo.teams[DUTY_TEAM],
            [("防护服", 20, ""), ("免洗手消毒液", 24, "")],
            "校门和学院楼值守",
            True,
        ),
        (
            _at(16, 7, 30),
            demo.teams[VANGUARD_POST],
            [
                ("免洗手消毒液", 300, ""),
                ("桶装方便面", 15, "箱"),
                ("火腿肠", 3, "箱"),
                ("水果", 500, "斤"),
            ],
            "按楼栋送到E、F楼各宿舍",
            True,
        ),
        (
            _at(16, 8, 30),
            demo.teams[BRIGADES[0]],
            [("免洗手消毒液", 200, ""), ("桶装方便面", 10, "箱"), ("火腿肠", 2, "箱")],
            "按楼栋送到A、B楼各宿舍",
            False,
        ),
    ]
    for at, team, lines, purpose, confirmed in rounds:
        if (
            at > DISTRIBUTION_NOTICE_AT
            and not Notice.objects.filter(title=DISTRIBUTION_NOTICE).exists()
        ):
            _distribution_notice(demo)
        desk.supply(
            at,
            _lead(team),
            [desk.said(name, quantity, unit) for name, quantity, unit in lines],
            purpose,
            confirmed_after=dt.timedelta(minutes=30) if confirmed else None,
            for_team=team,
        )


DISTRIBUTION_NOTICE = "关于分发捐赠防疫物资的通知"
DISTRIBUTION_NOTICE_AT = _at(16, 8, 10)


def _distribution_notice(demo: Demo) -> None:
    """Everyone told, at 08:10 on 4月16日, what of the gift has gone where so far."""
    gift = Donation.objects.get(donor__person=demo.posts["捐赠者"])
    given: dict[str, dict[Item, Decimal]] = {}
    for line in trace(gift).lines:
        for flow in line.issued:
            team = given.setdefault(flow.to, {})
            team[line.line.item] = team.get(line.line.item, Decimal(0)) + flow.quantity
    teams = {
        to: [f"{item.name}{item.say(quantity)}" for item, quantity in items.items()]
        for to, items in given.items()
    }
    went = "；".join(f"{team}领取{'、'.join(lines)}" for team, lines in teams.items())
    send_notice(
        demo,
        Sent(
            "党委副书记",
            DISTRIBUTION_NOTICE_AT,
            DISTRIBUTION_NOTICE,
            f"昨天下午{gift.public_donor}同学捐赠的{gift.items_said(received=True)}已清点入库"
            f"（{gift.store}）。截至今天8时，{went}。\n\n今天上午由学生党员先锋岗和"
            f"{BRIGADES[0]}按楼栋送到各宿舍，值班教职工在学院楼前登记发放。"
            "请全体师生于今天12:00前点击“收到”。",
            everyone(),
            deadline=_at(16, 12),
            read=0.78,
            acknowledged=0.64,
        ),
        demo.rng("supplies notices"),
    )


SUPPLY_STEPS: list[Callable[[Demo], None]] = [
    stores_and_stock,
    help_requests,
    other_donations,
    seed_donation,
    distribution,
    isolated_student_asks,
]
