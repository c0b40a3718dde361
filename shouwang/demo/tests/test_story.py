"""The demo tells one story.

Who was where on each day agrees across the records: the check-ins, the duty
roster, the shifts at the testing site, the meal rounds, the isolations, the
store, the gate, the errands and the community service. The seed's 18 student
party members serve their home communities, off campus throughout and on no
campus team. What the notices and articles say of the fairs, the donations
and the meals is what the records hold, and no typed text states such a figure.

Each test is one query for the offenders, listed when there are any.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import DateField, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, TruncDate
from django.test import TestCase

from shouwang.activities.models import Activity
from shouwang.bulletin.models import Article
from shouwang.care.models import BuildingTeam, CareContact, Isolation, MealDelivery, MealSlot
from shouwang.careers.models import JobFair, Participation
from shouwang.checkins.models import CheckIn, Location
from shouwang.demo import build
from shouwang.demo.bulletin import ARTICLES
from shouwang.demo.care import MEAL_NEWS_AS_OF, MEAL_NEWS_AT
from shouwang.demo.college import COUNSELLOR_NAME
from shouwang.demo.lockdown import FIRST_DAY, NOW, PARTY_MEMBERS_AT_HOME, TODAY
from shouwang.demo.notices import NOTICES
from shouwang.demo.volunteers import TESTING, TESTING_NOTICE_DAY
from shouwang.helpdesk.models import HelpRequestTask
from shouwang.incidents.models import Incident, Meeting
from shouwang.leave.models import LeaveStep
from shouwang.lib.clock import BEIJING
from shouwang.notices.models import Notice
from shouwang.people.models import Person
from shouwang.screening.models import Flag, FlagAction
from shouwang.supplies.models import Donation, IssueSlip, ItemUnit, Movement
from shouwang.volunteers.models import DutyDay, ServiceReport, Shift, SignUp, Team

# The teams whose work is on campus: the meal rounds and the testing site.
ON_CAMPUS_TEAMS = (Team.Kind.BRIGADE, Team.Kind.VANGUARD_POST, Team.Kind.PARTY_WORK_TEAM)
STAFF = (Person.Kind.TEACHER, Person.Kind.STAFF)
# Of the staff, the most who checked in on campus on any one day: most work from home.
STAFF_ON_CAMPUS_AT_MOST = 0.15


def day_of(moment: str) -> TruncDate:
    """The Beijing day of the datetime field `moment`, in SQL."""
    return TruncDate(moment, tzinfo=BEIJING)


def checkins(person: Any, day: Any) -> Any:
    """The check-ins of `person` on `day`, both usually references to the outer row."""
    return CheckIn.objects.filter(person=person, date=day)


def on_campus(person: Any, day: Any) -> Exists:
    """The person checked in on campus that day."""
    return Exists(checkins(person, day).filter(location=Location.CAMPUS))


def away(person: Any, day: Any) -> Exists:
    """The person checked in away from campus (at home, elsewhere) that day."""
    return Exists(checkins(person, day).exclude(location=Location.CAMPUS))


def isolated_at(person: Any, moment: Any) -> Exists:
    """The person was in isolation at `moment`."""
    return Exists(
        Isolation.objects.filter(person=person, started_at__lte=moment).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=moment)
        )
    )


def said_count(number: int) -> str:
    """A participation count as the fairs' texts say it: exact under 100, else
    rounded down to tens with 余 when that dropped anything (363 → 360余)."""
    if number < 100 or number % 10 == 0:
        return str(number)
    return f"{number // 10 * 10}余"


def said_time(slot: MealSlot) -> str:
    """A meal's slot as the texts give it: 午餐11:30."""
    return f"{slot.name}{slot.time.hour}:{slot.time.minute:02d}"


def said_quantity(quantity: Decimal, factor: Decimal, unit: str) -> str:
    """A quantity in base units said in the unit donated: 500 kg of fruit, 1000斤."""
    count = quantity / factor
    return f"{count.normalize():f}{unit}"


# A figure in Chinese prose: a count, in numerals or in words, before a measure
# word (not a date, a time or a cohort: 4月6日, 10:00, 2022届).
FIGURE = re.compile(
    r"(?:\d+|[一二两三四五六七八九十百千]+)余?(?:支|场|餐|套|瓶|箱|盒|斤|人次|人|名|份|家|个|项)"
)
# What the records count: fairs, donations, meals and the brigades that carry them.
COUNTED_TOPICS = (
    *("双选会", "招聘会", "捐赠", "捐款", "捐物"),
    *("送餐", "三餐", "志愿服务队", "服务大队"),
)


class DemoStoryTestCase(TestCase):
    incident: Incident

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.incident = Incident.objects.get()

    def assertNone(self, offenders: Iterable[Any], what: str) -> None:
        found = [" ".join(str(value) for value in row) for row in offenders]
        self.assertFalse(found, f"{what} ({len(found)}):\n" + "\n".join(found[:40]))

    # Who was where: the staff and the duty roster.

    def test_nobody_on_site_for_the_duty_roster_checked_in_away_from_campus(self):
        offenders = (
            DutyDay.objects.filter(mode=DutyDay.Mode.ON_SITE)
            .filter(away(OuterRef("person"), OuterRef("date")))
            .values_list("person__name", "date", "role")
        )
        self.assertNone(offenders, "on site for the duty roster, checked in away from campus")

    def test_everyone_on_site_for_the_duty_roster_checked_in_on_campus_that_day(self):
        on_site = DutyDay.objects.filter(mode=DutyDay.Mode.ON_SITE, date__lte=TODAY)
        self.assertGreater(on_site.count(), len({row.date for row in on_site}))
        offenders = on_site.exclude(on_campus(OuterRef("person"), OuterRef("date")))
        self.assertNone(
            offenders.values_list("person__name", "date", "role"),
            "on site for the duty roster, no check-in on campus that day",
        )

    def test_staff_working_from_home_checked_in_from_home(self):
        offenders = (
            DutyDay.objects.filter(mode=DutyDay.Mode.REMOTE)
            .filter(on_campus(OuterRef("person"), OuterRef("date")))
            .values_list("person__name", "date")
        )
        self.assertNone(offenders, "working from home by the roster, checked in on campus")

    def test_staff_come_to_campus_only_on_duty_or_because_they_live_there(self):
        # Those who live on campus checked in there every time.
        comes_and_goes = Exists(
            CheckIn.objects.filter(person=OuterRef("person")).exclude(location=Location.CAMPUS)
        )
        on_duty = Exists(
            DutyDay.objects.filter(
                person=OuterRef("person"), date=OuterRef("date"), mode=DutyDay.Mode.ON_SITE
            )
        )
        campus = CheckIn.objects.filter(person__kind__in=STAFF, location=Location.CAMPUS)
        offenders = campus.filter(comes_and_goes).exclude(on_duty)
        self.assertNone(
            offenders.values_list("person__name", "date"),
            "staff who came to campus without being on site for the roster",
        )
        staff = Person.objects.filter(kind__in=STAFF).count()
        for day in CheckIn.objects.dates("date", "day"):
            with self.subTest(day=day):
                self.assertLessEqual(
                    campus.filter(date=day).count(), STAFF_ON_CAMPUS_AT_MOST * staff
                )

    def test_the_counsellor_is_on_site_every_day_of_the_lockdown(self):
        days = (TODAY - FIRST_DAY).days + 1
        zhao = Person.objects.get(name=COUNSELLOR_NAME)
        self.assertEqual(
            DutyDay.objects.filter(person=zhao, mode=DutyDay.Mode.ON_SITE).count(), days
        )
        self.assertEqual(
            CheckIn.objects.filter(person=zhao, location=Location.CAMPUS).count(), days
        )

    def test_the_lockdowns_meetings_were_held_online_with_the_college_at_home(self):
        offenders = Meeting.objects.filter(incident=self.incident, is_online=False)
        self.assertNone(offenders.values_list("held_at", "title"), "meetings held in person")

    # Who was where: the students, their teams and their rounds.

    def test_the_campus_teams_members_checked_in_on_campus_throughout(self):
        members = Person.objects.filter(memberships__team__kind__in=ON_CAMPUS_TEAMS)
        self.assertGreater(members.count(), 50)
        offenders = CheckIn.objects.filter(person__in=members).exclude(location=Location.CAMPUS)
        self.assertNone(
            offenders.values_list("person__name", "date", "location"),
            "members of the teams working on campus checked in away from it",
        )

    def test_the_testing_site_is_kept_by_people_at_school_that_day(self):
        attended = SignUp.objects.filter(checked_in_at__isnull=False).annotate(
            day=day_of("shift__starts_at")
        )
        self.assertTrue(attended.exists())
        offenders = attended.exclude(on_campus(OuterRef("person"), OuterRef("day")))
        self.assertNone(
            offenders.values_list("person__name", "day", "shift__title"),
            "kept order at the testing site without a check-in on campus that day",
        )

    def test_meals_are_carried_by_people_at_school_that_day(self):
        carried = MealDelivery.objects.filter(claimed_by__isnull=False, due_at__lte=NOW)
        self.assertGreater(carried.count(), 100)
        offenders = carried.exclude(on_campus(OuterRef("claimed_by"), OuterRef("date")))
        self.assertNone(
            offenders.values_list("claimed_by__name", "date", "slot__name", "building"),
            "carried a meal without a check-in on campus that day",
        )

    def test_the_isolated_check_in_on_campus_and_carry_nothing(self):
        outside = CheckIn.objects.filter(
            person=OuterRef("person"),
            date__gte=OuterRef("first_day"),
            date__lte=OuterRef("last_day"),
        ).exclude(location=Location.CAMPUS)
        offenders = Isolation.objects.annotate(
            first_day=day_of("started_at"),
            last_day=Coalesce(day_of("ended_at"), Value(TODAY), output_field=DateField()),
        ).filter(Exists(outside))
        self.assertNone(
            offenders.values_list("person__name", "started_at"),
            "isolated on campus, checked in away from it during the isolation",
        )
        carrying = MealDelivery.objects.filter(
            isolated_at(OuterRef("claimed_by"), OuterRef("due_at"))
        )
        self.assertNone(
            carrying.values_list("claimed_by__name", "due_at"), "carried meals while isolated"
        )
        keeping = SignUp.objects.filter(checked_in_at__isnull=False).filter(
            isolated_at(OuterRef("person"), OuterRef("shift__starts_at"))
        )
        self.assertNone(
            keeping.values_list("person__name", "shift__starts_at"),
            "kept order at the testing site while isolated",
        )

    def test_every_referral_to_isolation_was_isolated(self):
        # The counsellor's note says so: "已按学校要求转隔离观察，三餐由志愿者配送".
        referred = FlagAction.objects.filter(
            outcome=FlagAction.Outcome.REFERRED, flag__reason=Flag.Reason.CONTACT
        )
        self.assertTrue(referred.exists())
        offenders = referred.exclude(Exists(Isolation.objects.filter(flag=OuterRef("flag"))))
        self.assertNone(
            offenders.values_list("flag__person__name", "flag__date"), "referred, not isolated"
        )

    def test_errands_go_from_people_at_school_to_the_requesters_door(self):
        tasks = HelpRequestTask.objects.annotate(day=day_of("created_at"))
        self.assertTrue(tasks.exists())
        offenders = tasks.filter(away(OuterRef("assignee"), OuterRef("day")))
        self.assertNone(
            offenders.values_list("assignee__name", "day"), "ran an errand from away from campus"
        )
        elsewhere = [
            (task.request.requester.name, task.where, task.request.requester.dorm_room)
            for task in tasks.select_related("request__requester__dorm_room")
            if task.where != str(task.request.requester.dorm_room or "")
        ]
        self.assertNone(elsewhere, "an errand taken to another door than the requester's")

    def test_the_store_and_the_gate_are_kept_by_people_at_school_that_day(self):
        moved = Movement.objects.filter(by__person__isnull=False).annotate(day=day_of("at"))
        self.assertNone(
            moved.exclude(on_campus(OuterRef("by__person"), OuterRef("day"))).values_list(
                "by__person__name", "day", "kind", "item__name"
            ),
            "moved stock at the store without a check-in on campus that day",
        )
        issued = IssueSlip.objects.filter(issued_by__person__isnull=False).annotate(
            day=day_of("issued_at")
        )
        self.assertNone(
            issued.exclude(on_campus(OuterRef("issued_by__person"), OuterRef("day"))).values_list(
                "issued_by__person__name", "day"
            ),
            "issued supplies without a check-in on campus that day",
        )
        received = IssueSlip.objects.filter(received_by__isnull=False).annotate(
            day=day_of("received_at")
        )
        self.assertNone(
            received.filter(away(OuterRef("received_by"), OuterRef("day"))).values_list(
                "received_by__name", "day", "via"
            ),
            "took supplies from the store while checked in away from campus",
        )
        passes = LeaveStep.objects.filter(
            event__in=[LeaveStep.Event.LEFT, LeaveStep.Event.CAME_BACK], by__isnull=False
        ).annotate(day=day_of("at"))
        self.assertTrue(passes.exists())
        self.assertNone(
            passes.filter(away(OuterRef("by"), OuterRef("day"))).values_list(
                "by__name", "day", "event"
            ),
            "kept the gate while checked in away from campus",
        )

    def test_the_photos_of_the_campus_are_taken_by_students_at_school(self):
        # Its rules: "记录封控期间校园里的青春瞬间".
        photos = Activity.objects.get(rules__contains="校园里的青春瞬间")
        entrants = Person.objects.filter(activity_entries__activity=photos).distinct()
        self.assertGreater(entrants.count(), 50)
        offenders = CheckIn.objects.filter(person__in=entrants).exclude(location=Location.CAMPUS)
        self.assertNone(
            offenders.values_list("person__name", "date", "location"),
            "sent in a photo of the campus, checked in away from it",
        )

    # The seed's 18 party members serving their home communities.

    def test_the_eighteen_party_members_serve_at_home_and_on_no_campus_team(self):
        serving = Person.objects.filter(
            kind=Person.Kind.STUDENT,
            political_status__in=Person.PARTY_STATUSES,
            service_reports__status=ServiceReport.Status.APPROVED,
        ).distinct()
        self.assertEqual(serving.count(), PARTY_MEMBERS_AT_HOME)
        self.assertNone(
            serving.filter(memberships__team__kind__in=ON_CAMPUS_TEAMS).values_list(
                "name", "memberships__team__name"
            ),
            "serving at home, and on a team working on campus",
        )
        self.assertNone(
            serving.filter(Q(signups__isnull=False) | Q(claimed_deliveries__isnull=False))
            .distinct()
            .values_list("name"),
            "serving at home, and on a shift or a meal round on campus",
        )
        reported_there = Exists(
            ServiceReport.objects.filter(
                person=OuterRef("person"),
                province=OuterRef("province"),
                status=ServiceReport.Status.APPROVED,
            )
        )
        not_home = (
            CheckIn.objects.filter(person__in=serving)
            .filter(~Q(location=Location.HOME) | ~Q(reported_there))
            .values_list("person__name", "date", "location", "province")
        )
        self.assertNone(not_home, "serving at home, checked in other than at home in the province")
        reporting = CheckIn.objects.filter(person__in=serving, location=Location.HOME)
        self.assertEqual(reporting.values("person").distinct().count(), PARTY_MEMBERS_AT_HOME)

    def test_community_service_is_reported_from_home_in_that_province(self):
        elsewhere = CheckIn.objects.filter(
            person=OuterRef("person"), date=OuterRef("date")
        ).exclude(location=Location.HOME, province=OuterRef("province"))
        offenders = ServiceReport.objects.filter(Exists(elsewhere))
        self.assertNone(
            offenders.values_list("person__name", "date", "province", "status"),
            "a day's community service reported by someone checked in elsewhere that day",
        )

    # What the notices and articles say.

    def test_the_news_of_the_meals_gives_the_records_as_they_stood(self):
        article = Article.objects.get(section__slug="news", published_at=MEAL_NEWS_AT)
        text = article.title + article.body
        delivered = MealDelivery.objects.filter(
            status=MealDelivery.Status.DELIVERED, delivered_at__lte=MEAL_NEWS_AS_OF
        )
        cards = CareContact.objects.filter(kind=CareContact.Kind.CARD, at__lte=MEAL_NEWS_AS_OF)
        expected = [
            f"送餐{delivered.count()}份",
            f"为{delivered.values('isolation__person').distinct().count()}名隔离同学",
            f"卡片{cards.count()}张",
            "两支志愿者服务大队",
            "一日三餐",
        ]
        expected += [
            f"“{name.removesuffix('志愿服务队')}”"
            for name in Team.objects.filter(kind=Team.Kind.BRIGADE).values_list("name", flat=True)
        ]
        expected += [said_time(slot) for slot in MealSlot.objects.all()]
        self.assertEqual(Team.objects.filter(kind=Team.Kind.BRIGADE).count(), 2)
        self.assertEqual(MealSlot.objects.count(), 3)
        self.assertNone(
            [(phrase,) for phrase in expected if phrase not in text],
            f"the news of the meals does not say\n{text}\n",
        )

    def test_the_notice_of_the_meal_rounds_is_the_meal_plan(self):
        notice = Notice.objects.get(title__contains="送餐安排")
        for slot in MealSlot.objects.all():
            self.assertIn(said_time(slot), notice.body)
        for row in BuildingTeam.objects.select_related("team"):
            self.assertRegex(notice.body, f"{row.team.name}负责[^；。]*{row.building}")
        # Sent to the teams that carry the meals, and to no one else.
        carriers = Person.objects.filter(memberships__team__care_buildings__isnull=False).distinct()
        self.assertEqual(
            set(notice.receipts.values_list("person", flat=True)),
            set(carriers.values_list("pk", flat=True)),
        )

    def test_the_notice_of_the_testing_gives_its_shifts(self):
        day = TESTING_NOTICE_DAY
        notice = Notice.objects.get(title__contains=f"{day.month}月{day.day}日开展全员核酸检测")
        shifts = Shift.objects.annotate(day=day_of("starts_at")).filter(day=day, title=TESTING)
        first = shifts.earliest("starts_at")
        starts = first.starts_at.astimezone(BEIJING)
        self.assertIn(f"{starts:%H:%M}起在{first.place}", notice.body)
        for name in set(shifts.values_list("team__name", flat=True)):
            self.assertIn(name, notice.body)
        assert notice.published_at is not None
        self.assertLess(notice.published_at, first.starts_at)

    def test_what_is_said_of_the_fairs_participations_is_counted(self):
        counts = [fair.participations.count() for fair in JobFair.objects.order_by("starts_at")]
        total = Participation.objects.count()
        self.assertEqual(len(counts), 2)
        # Each fair's count, and the total, exactly or as the text rounds it.
        allowed = {str(n) for n in (total, *counts)} | {said_count(n) for n in (total, *counts)}
        offenders = []
        for title, text in self.texts():
            if "双选会" not in text:
                continue
            # Not the note's definition: "一名毕业生进入一家用人单位的直播间计1人次".
            for said in re.findall(r"(?<!\d)(\d+余?)人次", text):
                if said == "1" and "计1人次" in text:
                    continue
                if said not in allowed:
                    offenders.append((title, f"{said}人次", f"counted: {sorted(allowed)}"))
        self.assertNone(offenders, "participations said otherwise than counted")

    def test_what_is_said_of_a_donation_is_its_record(self):
        offenders = []
        texts = list(self.texts())
        donations = Donation.objects.prefetch_related("lines__item").select_related("donor")
        for donation in donations:
            lines = list(donation.lines.all())
            said = {
                line.item.name: said_quantity(line.pledged, self.factor(line), line.unit)
                for line in lines
            }
            names = {donation.donor.name, donation.public_donor} - {""}
            if donation.donor.person is not None:
                names.add(donation.donor.person.name)
            for title, text in texts:
                if not any(name in text for name in names):
                    continue
                stated = [item for item in said if re.search(f"{item}\\d", text)]
                for item in stated:
                    if f"{item}{said[item]}" not in text:
                        offenders.append((title, item, f"recorded: {said[item]}"))
        self.assertNone(offenders, "donations said otherwise than recorded")

    def test_the_typed_notices_and_articles_state_no_counted_figures(self):
        typed = [(title, body) for _slug, title, _at, body, *_rest in ARTICLES]
        typed += [(sent.title, sent.body) for sent in NOTICES]
        offenders = [
            (title, FIGURE.search(title + body))
            for title, body in typed
            if any(topic in title + body for topic in COUNTED_TOPICS)
            and FIGURE.search(title + body)
        ]
        self.assertNone(offenders, "typed texts stating figures the records count")

    def texts(self) -> Iterable[tuple[str, str]]:
        for title, body in Article.objects.values_list("title", "body"):
            yield title, title + body
        for title, body in Notice.objects.values_list("title", "body"):
            yield title, title + body

    @staticmethod
    def factor(line: Any) -> Decimal:
        if line.unit == line.item.base_unit:
            return Decimal(1)
        return ItemUnit.objects.get(item=line.item, name=line.unit).factor
