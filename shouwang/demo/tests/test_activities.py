"""The demo's contests and activities: the seed's list, run by 学院团委 (the
思政云课堂 by the counsellors), with sign-ups, teams and entries on dates that
agree with the lockdown, sessions whose attendance came through the import,
awards won outside, and counts computed from all of it."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q
from django.test import TestCase
from django.urls import reverse

from shouwang.accounts.models import Role, User
from shouwang.activities import queries
from shouwang.activities.access import runs
from shouwang.activities.models import (
    Activity,
    Attendance,
    AttendanceImport,
    Entry,
    EntryFile,
    ExternalAward,
    SignUp,
)
from shouwang.demo import build
from shouwang.demo.activities import ORGANISER_POST
from shouwang.demo.lockdown import NOW, TODAY
from shouwang.demo.models import DemoLogin
from shouwang.people.models import Person

K = Activity.Kind
SEED = {
    "“团史百年，青春妙绘”手抄报大赛": K.CONTEST,
    "“我为团团献祝福”视频征集": K.COLLECTION,
    "“青春之名，百年之约”照片征集": K.COLLECTION,
    "“百年青春，绘制理想”海报设计大赛": K.CONTEST,
    "“百年荣光共青团，踔厉奋发新青年”线上宿舍文化节": K.FESTIVAL,
    "大学生电子商务“创新、创意及创业”挑战赛校级赛": K.CONTEST,
    "第十三届“蓝桥杯”全国软件和信息技术专业人才大赛": K.CONTEST,
    "2022年中国大学生计算机设计大赛": K.CONTEST,
    "“青年先锋论坛”优秀学子经验交流会": K.FORUM,
    "“心灵手巧，变废为宝”夏装设计大赛": K.CONTEST,
    "“战役”思政云课堂": K.IDEOLOGY_CLASS,
}
FINISHED = (
    "“团史百年，青春妙绘”手抄报大赛",
    "“我为团团献祝福”视频征集",
    "“青春之名，百年之约”照片征集",
    "大学生电子商务“创新、创意及创业”挑战赛校级赛",
)
STILL_OPEN = ("“百年青春，绘制理想”海报设计大赛", "“心灵手巧，变废为宝”夏装设计大赛")


def login(role: Role) -> User:
    return DemoLogin.objects.filter(role=role).earliest("pk").user


def person(role: Role) -> Person:
    found = login(role).person
    assert found is not None
    return found


class DemoActivitiesTestCase(TestCase):
    activities: dict[str, Activity]
    organiser: User

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.activities = {a.title: a for a in Activity.objects.all()}
        cls.organiser = User.objects.get(person__name="付琳")

    def test_the_seed_s_activities_exist_run_by_the_league_committee(self):
        self.assertEqual({title: a.kind for title, a in self.activities.items()}, SEED)
        lecture = self.activities.pop("“战役”思政云课堂")
        self.assertEqual(lecture.organiser, "学院辅导员")
        self.assertEqual(lecture.organisers.count(), 6)
        self.assertTrue(runs(login(Role.COUNSELLOR), lecture))
        for activity in self.activities.values():
            self.assertEqual(activity.organiser, "学院团委", activity)
            self.assertEqual(list(activity.organisers.values_list("name", flat=True)), ["付琳"])
            self.assertTrue(runs(self.organiser, activity))
        self.assertTrue(self.activities["第十三届“蓝桥杯”全国软件和信息技术专业人才大赛"].external)
        self.assertTrue(self.activities["2022年中国大学生计算机设计大赛"].external)
        self.assertTrue(DemoLogin.objects.filter(user=self.organiser).exists())
        self.assertEqual(self.organiser.person_id, Person.objects.get(name="付琳").pk)
        self.assertTrue(ORGANISER_POST)

    def test_the_dates_agree_with_the_lockdown(self):
        self.assertFalse(Activity.objects.filter(created_at__gt=NOW).exists())
        self.assertFalse(SignUp.objects.filter(signed_up_at__gt=NOW).exists())
        self.assertFalse(Entry.objects.filter(submitted_at__gt=NOW).exists())
        self.assertFalse(
            SignUp.objects.filter(
                Q(signed_up_at__gt=F("activity__signup_closes_at"))
                | Q(signed_up_at__lt=F("activity__created_at"))
            ).exists()
        )
        self.assertFalse(
            Entry.objects.filter(submitted_at__gt=F("activity__entries_close_at")).exists()
        )
        finished = Activity.objects.filter(entries_close_at__lt=NOW, ends_on__lt=TODAY)
        self.assertEqual(set(finished.values_list("title", flat=True)), set(FINISHED))
        still_open = Activity.objects.filter(
            entries_close_at__gt=NOW, starts_on__lte=TODAY, ends_on__gte=TODAY
        )
        self.assertEqual(set(still_open.values_list("title", flat=True)), set(STILL_OPEN))
        # The work plan judged the 三创赛's college round on 3月26日.
        challenge = self.activities["大学生电子商务“创新、创意及创业”挑战赛校级赛"]
        self.assertEqual(challenge.ends_on, dt.date(2022, 3, 26))

    def test_each_has_tens_to_a_hundred_odd_sign_ups_of_the_college_s_students(self):
        counts = dict(Activity.objects.annotate(n=Count("signups")).values_list("title", "n"))
        del counts["“战役”思政云课堂"]  # everyone is expected, nobody signs up
        for title, n in counts.items():
            self.assertTrue(20 <= n <= 130, (title, n))
        self.assertFalse(SignUp.objects.exclude(person__kind=Person.Kind.STUDENT).exists())

    def test_entries_are_of_the_kinds_each_takes(self):
        kinds = {
            "“团史百年，青春妙绘”手抄报大赛": ".jpg",
            "“青春之名，百年之约”照片征集": ".jpg",
            "“我为团团献祝福”视频征集": ".mp4",
            "大学生电子商务“创新、创意及创业”挑战赛校级赛": ".pdf",
        }
        for title, suffix in kinds.items():
            files = EntryFile.objects.filter(entry__activity=self.activities[title])
            self.assertTrue(files.exists(), title)
            self.assertFalse(files.exclude(name__endswith=suffix).exists(), title)
        # The 三创赛 took teams' business plans: one entry per team.
        challenge = self.activities["大学生电子商务“创新、创意及创业”挑战赛校级赛"]
        self.assertFalse(challenge.entries.filter(team__isnull=True).exists())
        self.assertGreater(challenge.teams.count(), challenge.entries.count())

    def test_the_contests_and_collections_name_their_judges_among_the_college_s_teachers(self):
        judged = (*FINISHED, *STILL_OPEN)
        for title, activity in self.activities.items():
            judges = activity.judges.all()
            if title in judged:
                self.assertGreaterEqual(judges.count(), 3, title)
                self.assertFalse(judges.exclude(kind=Person.Kind.TEACHER).exists(), title)
            else:
                self.assertFalse(judges.exists(), title)
        teacher = person(Role.TEACHER)
        self.assertTrue(teacher.judged_activities.filter(title__in=FINISHED).exists())

    def test_the_festival_takes_dorm_rooms_the_student_login_leads_hers(self):
        festival = self.activities["“百年荣光共青团，踔厉奋发新青年”线上宿舍文化节"]
        for team in festival.teams.all():
            rooms = set(team.members.values_list("person__dorm_room", flat=True))
            self.assertEqual(len(rooms), 1, team)
        student = person(Role.STUDENT)
        self.assertTrue(festival.teams.filter(leader=student, name="B-312宿舍").exists())

    def test_session_attendance_came_through_the_import_once_per_student(self):
        sessions = [s for a in self.activities.values() for s in a.sessions.all()]
        self.assertEqual(len(sessions), 5)
        for session in sessions:
            item = AttendanceImport.objects.get(
                session=session,
                status=AttendanceImport.Status.COMMITTED,
                created_at__gt=session.ends_at,
                committed_at__gt=F("created_at"),
                committed_at__lte=NOW,
            )
            recorded = Attendance.objects.filter(session=session).count()
            self.assertEqual(item.summary["created"], recorded)
            self.assertTrue(item.summary["unmatched"], session)
            self.assertGreater(item.total_rows, recorded)

    def test_the_external_contests_record_provincial_awards(self):
        lanqiao = self.activities["第十三届“蓝桥杯”全国软件和信息技术专业人才大赛"]
        awards = ExternalAward.objects.filter(activity=lanqiao)
        self.assertEqual(awards.count(), 6)
        self.assertEqual(set(awards.values_list("level", flat=True)), {"provincial"})
        self.assertEqual(set(awards.values_list("awarded_on", flat=True)), {dt.date(2022, 4, 15)})
        self.assertTrue(awards.filter(signup__person=person(Role.VOLUNTEER)).exists())
        design = self.activities["2022年中国大学生计算机设计大赛"]
        self.assertGreaterEqual(design.teams.count(), 10)
        self.assertTrue(Activity.objects.filter(pk=design.pk, signup_closes_at__gt=NOW).exists())

    def test_the_counts_are_computed_from_the_records(self):
        counts = queries.counts(Activity.objects.all())
        takers = {line.activity.title: line.takers for line in counts.activities}
        # A contest's takers are its entries' students; a festival's its sign-ups.
        handwritten = self.activities["“团史百年，青春妙绘”手抄报大赛"]
        self.assertEqual(takers[handwritten.title], handwritten.entries.count())
        festival = self.activities["“百年荣光共青团，踔厉奋发新青年”线上宿舍文化节"]
        self.assertEqual(takers[festival.title], festival.signups.count())
        forum = self.activities["“青年先锋论坛”优秀学子经验交流会"]
        attended = queries.counted_attendance(Activity.objects.filter(pk=forum.pk))
        self.assertEqual(takers[forum.title], attended.count())
        self.assertLess(
            attended.count(), Attendance.objects.filter(session__activity=forum).count()
        )
        statuses = {row.key for row in counts.by_status}
        self.assertTrue({"league_member", "party_member", "probationary"} <= statuses)
        self.assertEqual(
            counts.total.participations, sum(line.takers for line in counts.activities)
        )

    def test_the_student_login_has_a_record_and_a_poster_to_send(self):
        student = login(Role.STUDENT)
        record = queries.record_of(person(Role.STUDENT))
        titles = {line.activity.title for line in record.lines}
        self.assertIn("“团史百年，青春妙绘”手抄报大赛", titles)
        self.assertIn("“百年荣光共青团，踔厉奋发新青年”线上宿舍文化节", titles)
        self.assertGreater(record.hours, Decimal(4))
        self.assertIn(
            "“百年青春，绘制理想”海报设计大赛", {s.activity.title for s in record.pending}
        )
        self.client.force_login(student)
        page = self.client.get(reverse("activities:my_record"))
        self.assertContains(page, "手抄报")

    def test_the_organiser_reads_the_counts_and_the_counsellor_her_class_s_record(self):
        self.client.force_login(self.organiser)
        page = self.client.get(reverse("activities:counts"))
        self.assertEqual(len(page.context["counts"].activities), 10)
        counsellor = login(Role.COUNSELLOR)
        self.client.force_login(counsellor)
        admin_class = person(Role.COUNSELLOR).counselled_classes.earliest("pk")
        page = self.client.get(reverse("activities:class_record", args=[admin_class.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertGreater(page.context["taking_part"], 0)
