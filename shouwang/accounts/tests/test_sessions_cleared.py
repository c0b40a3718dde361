import datetime as dt

from django.contrib.sessions.models import Session
from django.utils import timezone

from shouwang.accounts.tasks import clear_expired_sessions
from shouwang.core.scheduler import JOBS
from shouwang.test import BaseTestCase


class ClearExpiredSessionsTestCase(BaseTestCase):
    def test_expired_sessions_are_deleted_nightly_and_live_ones_kept(self):
        self.client.force_login(self.student)
        live = self.client.session.session_key
        Session.objects.create(
            session_key="ended-long-ago",
            session_data="",
            expire_date=timezone.now() - dt.timedelta(days=1),
        )
        clear_expired_sessions.call()
        self.assertEqual(list(Session.objects.values_list("session_key", flat=True)), [live])
        # The student is still logged in.
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_it_runs_every_night(self):
        self.assertEqual(JOBS[clear_expired_sessions.module_path].cron, "40 3 * * *")
