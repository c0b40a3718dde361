import datetime as dt
import re
from pathlib import Path

from django.apps import apps
from django.db import models
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from shouwang.bulletin.models import Letter
from shouwang.core.scheduler import fire_due
from shouwang.demo import build
from shouwang.demo.lockdown import NOW, TODAY
from shouwang.lib import clock

from .running import demo_clock

# Times that lie ahead by design: deadlines, meals and shifts to come, retries.
PLANNED = {
    "incidents.PlanTask.due_at",
    "volunteers.Shift.starts_at",
    "volunteers.Shift.ends_at",
    "notices.Notice.deadline",
    "care.MealDelivery.due_at",
    "notify.MessageDelivery.next_attempt_at",
    "core.ScheduledRun.due_at",
    "sessions.Session.expire_date",
    "axes.AccessAttemptExpiration.expires_at",
    "django_tasks_database.DBTaskResult.run_after",
    "activities.Activity.signup_closes_at",
    "activities.Activity.entries_close_at",
    # A leave asked for days ahead, or running beyond today.
    "leave.LeaveRequest.starts_at",
    "leave.LeaveRequest.ends_at",
}
# A background job's bookkeeping is in real time, whatever the demo's clock:
# its lease is compared with the wall clock (test_clock_rule.WALL_CLOCK).
REAL_TIME = {
    f"core.BackgroundJob.{name}"
    for name in ("created_at", "started_at", "finished_at", "heartbeat_at", "lease_expires_at")
}


def timed_after(moment: dt.datetime) -> list[str]:
    """Each model field holding a time later than `moment`, with how many rows."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            name = f"{model._meta.label}.{getattr(field, 'name', '')}"
            if not isinstance(field, models.DateTimeField) or name in PLANNED | REAL_TIME:
                continue
            later = model._default_manager.filter(**{f"{field.name}__gt": moment}).count()
            if later:
                found.append(f"{name}: {later}")
    return found


class DemoDayTestCase(TestCase):
    """The demo as demo.sh starts it: built, then run, on the demo's clock."""

    @classmethod
    def setUpClass(cls):
        running = demo_clock()
        running.__enter__()
        cls.addClassCleanup(running.__exit__, None, None, None)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        build.build()

    def test_the_demo_starts_at_0930_on_the_16th_and_runs_on(self):
        self.assertLessEqual(NOW, clock.now())
        self.assertLess(clock.now(), NOW + dt.timedelta(minutes=5))
        self.assertEqual(clock.today(), dt.date(2022, 4, 16))
        self.assertEqual(timezone.localtime(NOW).strftime("%H:%M"), "09:30")

    def test_no_record_of_the_demo_is_timed_after_the_demos_now(self):
        self.assertEqual(timed_after(clock.now()), [])

    def test_a_letter_written_on_the_demo_is_dated_on_its_day(self):
        response = self.client.post(
            reverse("bulletin:write_letter", args=["secretary"]),
            {"subject": "核酸检测的时间", "body": "请问下午还有核酸检测吗？"},
        )
        letter = Letter.objects.get(subject="核酸检测的时间")
        self.assertRedirects(response, reverse("bulletin:letter_status", args=[letter.code]))
        self.assertEqual(timezone.localdate(letter.sent_at), dt.date(2022, 4, 16))
        self.assertContains(self.client.get(response["Location"]), "2022-04-16 09:")

    def test_the_scheduler_runs_the_jobs_due_on_the_demos_day(self):
        autodiscover_modules("tasks")
        runs = fire_due()
        self.assertTrue(runs)
        self.assertEqual({timezone.localdate(run.due_at) for run in runs}, {TODAY})

    def test_demo_sh_starts_the_clock_at_the_demos_now(self):
        script = (Path(__file__).parents[3] / "scripts" / "demo.sh").read_text()
        start = re.search(r'SHOUWANG_DEMO_START="\$\{SHOUWANG_DEMO_START:-([^}]+)\}"', script)
        self.assertIsNotNone(start)
        assert start is not None
        self.assertEqual(dt.datetime.fromisoformat(start[1]), NOW)
        self.assertIn("SHOUWANG_DEMO_EPOCH", script)
