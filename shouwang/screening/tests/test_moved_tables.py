"""The flags and the tallies moved out of checkins with every row, and what
the audit log says about them still points at them."""

import datetime as dt

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shouwang.compliance.models import DailyTally
from shouwang.core.models import LogEntry
from shouwang.screening.models import Flag, FlagAction
from shouwang.test import MigrationTestCase

BEFORE = [("checkins", "0005_dailytally_counted_at"), ("screening", None), ("compliance", None)]
AT = dt.datetime(2022, 4, 15, 8, 0, tzinfo=dt.timezone.utc)


class MovedTablesTestCase(MigrationTestCase):
    def test_rows_and_their_log_entries_survive_the_move(self):
        old = self.migrate(BEFORE)
        incident = old.get_model("incidents", "Incident").objects.create(
            title="校园封控", started_at=AT
        )
        person = old.get_model("people", "Person").objects.create(number="2021001", name="张三")
        flag = old.get_model("checkins", "Flag").objects.create(
            person_id=person.pk, incident_id=incident.pk, date=AT.date(), reason="fever"
        )
        old.get_model("checkins", "FlagAction").objects.create(flag=flag, outcome="contacted")
        tally = old.get_model("checkins", "DailyTally").objects.create(
            incident_id=incident.pk,
            date=AT.date(),
            expected=3,
            reported=2,
            late=0,
            abnormal=1,
            on_campus=2,
        )
        content_types = old.get_model("contenttypes", "ContentType").objects
        flag_type = content_types.get_or_create(app_label="checkins", model="flag")[0]
        tally_type = content_types.get_or_create(app_label="checkins", model="dailytally")[0]
        log = old.get_model("core", "LogEntry").objects
        entries = [
            log.create(
                content_type_id=content_type.pk,
                object_pk=str(pk),
                object_id=pk,
                object_repr="before the move",
                kind="screening.flag_action",
                timestamp=AT,
            ).pk
            for content_type, pk in ((flag_type, flag.pk), (tally_type, tally.pk))
        ]

        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        moved = Flag.objects.get(pk=flag.pk)
        self.assertEqual((moved.person_id, moved.reason), (person.pk, "fever"))
        self.assertEqual(FlagAction.objects.get().flag, moved)
        self.assertEqual(DailyTally.objects.get(pk=tally.pk).abnormal, 1)
        flag_entry, tally_entry = (LogEntry.objects.get(pk=pk) for pk in entries)
        self.assertEqual(flag_entry.content_type.pk, flag_type.pk)
        self.assertEqual(flag_entry.content_type.model_class(), Flag)
        self.assertEqual(flag_entry.content_type.get_object_for_this_type(pk=flag.pk), moved)
        self.assertEqual(tally_entry.content_type.model_class(), DailyTally)
        self.assertEqual(list(LogEntry.objects.get_for_object(moved)), [flag_entry])
        tables = connection.introspection.table_names()
        self.assertIn("screening_flag", tables)
        self.assertIn("compliance_dailytally", tables)
        self.assertNotIn("checkins_flag", tables)
