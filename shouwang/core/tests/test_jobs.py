"""Background jobs: progress reported under a lease, heartbeats, dead workers found."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from shouwang.core.jobs import MAX_ATTEMPTS, QUEUE_WAIT, Progress, start_job
from shouwang.core.models import JOB_LEASE, BackgroundJob, JobAbandoned
from shouwang.core.scheduler import JOBS
from shouwang.core.tasks import recover_abandoned_jobs
from shouwang.test import BaseTestCase

from .jobs import COUNT, COUNTED_ON, count, count_on, crash, read_bad_file


class JobTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        # Pages in English: the source strings.
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def start(self, task, run: bool = True) -> BackgroundJob:
        """A job started by the leader (about the leader's own login, for want
        of a subject here); run at once, as the tests run tasks, unless not."""
        with self.captureOnCommitCallbacks(execute=run):
            job = start_job(task, subject=self.leader, started_by=self.leader)
        job.refresh_from_db()
        return job

    def claimed(self) -> BackgroundJob:
        """A job a worker has just taken up."""
        job = self.start(count, run=False)
        claimed = BackgroundJob.claim(job.pk)
        assert claimed is not None
        return claimed


class RunningTestCase(JobTestCase):
    def test_a_job_runs_to_the_end_with_everything_counted(self):
        job = self.start(count)
        self.assertEqual((job.state, job.done, job.total), ("done", COUNT, COUNT))
        self.assertIsNotNone(job.started_at)
        self.assertIsNotNone(job.finished_at)
        self.assertEqual(job.kind, count.module_path)
        self.assertEqual(job.label, "Counting")
        self.assertEqual(job.subject, self.leader)

    def test_progress_is_written_as_it_goes_at_most_once_a_second(self):
        with freeze_time(timezone.now()) as clock:
            job = self.claimed()
            progress = Progress(job)
            clock.tick(2)
            progress(500, 1000)
            self.assertEqual(BackgroundJob.objects.values_list("done", "total").get(), (500, 1000))
            progress(600, 1000)  # within the second: kept for the next report
            self.assertEqual(BackgroundJob.objects.values_list("done", flat=True).get(), 500)
            progress(1000, 1000)  # the end is always written
            self.assertEqual(BackgroundJob.objects.values_list("done", flat=True).get(), 1000)

    def test_what_the_job_is_doing_is_said_on_its_page(self):
        job = self.claimed()
        Progress(job).say("Writing the people")
        self.login(self.leader)
        response = self.client.get(reverse("core:job_detail", args=[job.pk]))
        self.assertContains(response, "Writing the people")
        self.assertContains(response, 'hx-trigger="every 1s"')

    def test_a_failure_its_starter_can_act_on_fails_the_job_with_its_reason(self):
        job = self.start(read_bad_file)
        self.assertEqual((job.state, job.message), ("failed", "row 7: not a number"))

    def test_an_unexpected_error_fails_the_job_and_reaches_the_worker(self):
        with self.captureOnCommitCallbacks() as callbacks:
            job = start_job(crash, subject=self.leader, started_by=self.leader)
        with self.assertRaisesMessage(RuntimeError, "the disk is full"):
            crash.call(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.message, "RuntimeError('the disk is full')")
        self.assertEqual(len(callbacks), 1)

    def test_a_task_delivered_twice_runs_once(self):
        job = self.start(count, run=False)
        self.assertIsNotNone(BackgroundJob.claim(job.pk))
        self.assertIsNone(BackgroundJob.claim(job.pk))


class LeaseTestCase(JobTestCase):
    def test_the_heartbeat_renews_the_lease(self):
        with freeze_time(timezone.now()) as clock:
            job = self.claimed()
            self.assertEqual(job.lease_expires_at, timezone.now() + JOB_LEASE)
            clock.tick(JOB_LEASE - timedelta(minutes=1))
            Progress(job).heartbeat()
            clock.tick(timedelta(minutes=2))  # past the first lease, within the renewed one
            self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 0})
            job.refresh_from_db()
            self.assertEqual(job.state, "running")
            self.assertEqual(
                job.lease_expires_at, timezone.now() - timedelta(minutes=2) + JOB_LEASE
            )

    def test_a_job_whose_worker_died_is_shown_stopped_then_marked_failed(self):
        with freeze_time(timezone.now()) as clock:
            job = self.claimed()
            progress = Progress(job)
            clock.tick(2)
            progress(1200, 3000)
            clock.tick(JOB_LEASE + timedelta(seconds=1))
            self.login(self.leader)
            url = reverse("core:job_detail", args=[job.pk])
            # Before the periodic search runs, the page already says so and stops polling.
            page = self.client.get(url)
            self.assertContains(page, "stopped without finishing")
            self.assertNotContains(page, "hx-trigger")

            with translation.override("en"):
                self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 1})
            job.refresh_from_db()
            self.assertEqual(job.state, "failed")
            self.assertIn("The worker running this job stopped without finishing", job.message)
            self.assertEqual(job.done, 1200)
            self.assertContains(self.client.get(url), "stopped without finishing")
            self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 0})

    def test_a_worker_whose_job_was_given_up_is_told_to_stop(self):
        with freeze_time(timezone.now()) as clock:
            job = self.claimed()
            clock.tick(JOB_LEASE + timedelta(seconds=1))
            recover_abandoned_jobs.call()
            with self.assertRaises(JobAbandoned):
                Progress(job).heartbeat()
        job.refresh_from_db()
        self.assertEqual(job.state, "failed")

    def test_a_job_no_worker_took_up_is_given_up_and_never_runs(self):
        with freeze_time(timezone.now()) as clock:
            job = self.start(count, run=False)
            clock.tick(QUEUE_WAIT - timedelta(minutes=1))
            self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 0})
            clock.tick(timedelta(minutes=2))
            with translation.override("en"):
                self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 1})
        job.refresh_from_db()
        self.assertEqual(job.state, "failed")
        self.assertIn("No worker started this job", job.message)
        count.call(job.pk)  # the queue delivers it at last
        job.refresh_from_db()
        self.assertEqual((job.state, job.done), ("failed", 0))

    def test_a_finished_job_is_never_taken_for_dead(self):
        job = self.start(count)
        with freeze_time(timezone.now() + JOB_LEASE * 2):
            self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 0})
            self.assertFalse(BackgroundJob.objects.get(pk=job.pk).has_died)

    def test_the_scheduler_looks_for_dead_jobs_every_minute(self):
        self.assertEqual(JOBS[recover_abandoned_jobs.module_path].cron, "* * * * *")


class JobPageTestCase(JobTestCase):
    def test_its_starter_sees_a_running_job_and_htmx_polls_its_status(self):
        job = self.claimed()
        Progress(job)(3000, 3000)
        self.login(self.leader)
        url = reverse("core:job_detail", args=[job.pk])
        page = self.client.get(url)
        self.assertContains(page, "Counting")
        self.assertContains(page, "3000 / 3000")
        partial = self.client.get(url, headers={"HX-Request": "true"})
        self.assertContains(partial, 'hx-trigger="every 1s"')
        self.assertNotContains(partial, "<html")

    def test_a_finished_job_says_so_and_stops_polling(self):
        job = self.start(count)
        self.login(self.leader)
        page = self.client.get(reverse("core:job_detail", args=[job.pk]))
        self.assertContains(page, 'data-testid="job-done"')
        self.assertNotContains(page, "hx-trigger")

    def test_a_failed_job_says_why(self):
        job = self.start(read_bad_file)
        self.login(self.leader)
        page = self.client.get(reverse("core:job_detail", args=[job.pk]))
        self.assertContains(page, "row 7: not a number")

    def test_nobody_else_sees_it_not_even_an_admin(self):
        job = self.start(count)
        url = reverse("core:job_detail", args=[job.pk])
        for user in (self.admin, self.counsellor_a_user, self.student):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        job = self.start(count)
        response = self.client.get(reverse("core:job_detail", args=[job.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


class ResumeTestCase(JobTestCase):
    def died_at(self, number: int, clock) -> BackgroundJob:
        """A count_on job whose worker got to `number`, then died."""
        job = BackgroundJob.objects.get(pk=self.start(count_on, run=False).pk)
        claimed = BackgroundJob.claim(job.pk)
        assert claimed is not None
        progress = Progress(claimed)
        for done in range(1, number + 1):
            progress.checkpoint(done, at=done, seen=[*claimed.checkpoint.get("seen", []), done])
        clock.tick(JOB_LEASE + timedelta(seconds=1))
        return claimed

    def test_a_resumable_job_whose_worker_died_resumes_after_its_checkpoint(self):
        with freeze_time(timezone.now()) as clock:
            job = self.died_at(2, clock)
            with self.captureOnCommitCallbacks(execute=True):
                outcome = recover_abandoned_jobs.call()
        self.assertEqual(outcome, {"resumed": 1, "failed": 0})
        job.refresh_from_db()
        self.assertEqual((job.state, job.done, job.attempts), ("done", COUNTED_ON, 2))
        # Each number counted once: the resumed run started after 2.
        self.assertEqual(job.checkpoint["seen"], [1, 2, 3, 4, 5])

    def test_a_worker_taken_for_dead_that_wakes_up_can_no_longer_report(self):
        with freeze_time(timezone.now()) as clock:
            stale = self.died_at(1, clock)
            with self.captureOnCommitCallbacks(execute=False):
                recover_abandoned_jobs.call()
            with self.assertRaises(JobAbandoned):
                Progress(stale).heartbeat()  # requeued: not its any more
            fresh = BackgroundJob.claim(stale.pk)
            assert fresh is not None
            with self.assertRaises(JobAbandoned):
                Progress(stale).checkpoint(2, at=2)  # taken up again by another
            self.assertFalse(stale.fail("late"))
        fresh.refresh_from_db()
        self.assertEqual((fresh.state, fresh.attempts, fresh.checkpoint["at"]), ("running", 2, 1))

    def test_a_resumable_job_that_keeps_dying_is_failed_after_its_last_attempt(self):
        with freeze_time(timezone.now()) as clock:
            job = self.died_at(1, clock)
            for _again in range(MAX_ATTEMPTS - 1):
                with self.captureOnCommitCallbacks(execute=False):
                    self.assertEqual(recover_abandoned_jobs.call()["resumed"], 1)
                BackgroundJob.claim(job.pk)
                clock.tick(JOB_LEASE + timedelta(seconds=1))
            with translation.override("en"):
                self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 1})
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts), ("failed", MAX_ATTEMPTS))
        self.assertIn("stopped without finishing", job.message)

    def test_a_resumable_job_no_worker_took_up_is_given_up_not_requeued(self):
        with freeze_time(timezone.now()) as clock:
            job = self.start(count_on, run=False)
            clock.tick(QUEUE_WAIT + timedelta(minutes=1))
            self.assertEqual(recover_abandoned_jobs.call(), {"resumed": 0, "failed": 1})
        job.refresh_from_db()
        self.assertEqual(job.state, "failed")

    def test_a_periodic_background_job_is_started_as_a_job_for_its_slot(self):
        from shouwang.care.tasks import day_of, generate_todays_deliveries
        from shouwang.core.scheduler import fire_due

        with self.captureOnCommitCallbacks(execute=False):
            fire_due(datetime(2022, 4, 10, 0, 6, tzinfo=ZoneInfo("Asia/Shanghai")))
        job = BackgroundJob.objects.get(kind=generate_todays_deliveries.module_path)
        self.assertEqual(job.state, "queued")
        self.assertEqual(day_of(job), date(2022, 4, 10))
