"""Meetings recorded before decisions were rows: their minutes become numbered decisions."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shouwang.lib.clock import beijing
from shouwang.test import MigrationTestCase

HELD_AT = beijing(2022, 4, 2, 10, 30)


def rows_migration(executor: MigrationExecutor) -> tuple[str, str]:
    names = [name for app, name in executor.loader.disk_migrations if app == "incidents"]
    return ("incidents", next(n for n in names if n.endswith("_meeting_decisions_as_rows")))


def before(executor: MigrationExecutor, migration: tuple[str, str]) -> tuple[str, str]:
    return next(
        parent
        for parent in executor.loader.graph.node_map[migration].parents
        if parent.key[0] == "incidents"
    ).key


class DecisionsAsRowsTestCase(MigrationTestCase):
    def setUp(self):
        executor = MigrationExecutor(connection)
        self.migration = rows_migration(executor)
        self.before = before(executor, self.migration)
        old = self.migrate([self.before])
        incident = old.get_model("incidents", "Incident").objects.create(title="校园封控")
        Meeting = old.get_model("incidents", "Meeting")
        self.meeting = Meeting.objects.create(
            incident=incident,
            held_at=HELD_AT,
            title="召开专题会议研究部署",
            decisions="1. 启动应急预案；全体师生每日打卡\n2、行政人员居家办公",
        )
        self.empty = Meeting.objects.create(
            incident=incident, held_at=HELD_AT, title="碰头会", decisions=""
        )

    def test_each_line_and_each_semicolon_is_a_numbered_decision(self):
        new = self.migrate([self.migration])
        Decision = new.get_model("incidents", "Decision")
        self.assertEqual(
            list(
                Decision.objects.filter(meeting_id=self.meeting.pk)
                .order_by("number")
                .values_list("number", "text")
            ),
            [(1, "启动应急预案"), (2, "全体师生每日打卡"), (3, "行政人员居家办公")],
        )

    def test_a_meeting_that_wrote_no_decision_keeps_a_placeholder(self):
        new = self.migrate([self.migration])
        Decision = new.get_model("incidents", "Decision")
        self.assertEqual(
            list(Decision.objects.filter(meeting_id=self.empty.pk).values_list("text", flat=True)),
            ["—"],
        )

    def test_going_back_gives_the_decisions_one_a_line(self):
        self.migrate([self.migration])
        old = self.migrate([self.before])
        meeting = old.get_model("incidents", "Meeting").objects.get(pk=self.meeting.pk)
        self.assertEqual(meeting.decisions, "启动应急预案\n全体师生每日打卡\n行政人员居家办公")
