import datetime as dt

from django.urls import reverse
from django.utils import timezone

from shouwang.core.audit import access_log_for
from shouwang.core.forms import DATETIME_INPUT
from shouwang.counselling.models import Referral, ReferralNote
from shouwang.lib import clock

from .base import ReferralTestCase, make_referral


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime(DATETIME_INPUT)


class NoteTestCase(ReferralTestCase):
    def url(self, referral=None) -> str:
        return reverse("counselling:note_add", args=[(referral or self.referral).pk])

    def test_a_support_worker_adds_a_note_the_counsellor_reads(self):
        self.login(self.support)
        response = self.client.post(self.url(), {"body": "第二次视频交流，睡眠好转"})
        self.assertRedirects(response, self.referral.get_absolute_url())
        note = ReferralNote.objects.latest("pk")
        self.assertEqual((note.author, note.body), (self.support, "第二次视频交流，睡眠好转"))
        self.login(self.counsellor_a_user)
        self.assertContains(self.client.get(self.referral.get_absolute_url()), "睡眠好转")

    def test_no_note_before_the_students_consent(self):
        referral = make_referral(self.student_b, self.counsellor_b_user, consent=False)
        self.login(self.counsellor_b_user)
        response = self.client.post(self.url(referral), {"body": "家长说孩子很好"}, follow=True)
        self.assertContains(response, "Record the student&#x27;s consent first.")
        self.assertFalse(referral.notes.exists())
        self.assertNotContains(response, "Add the note")

    def test_an_empty_note_is_refused_with_its_reason(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(), {"body": "   "})
        self.assertContains(response, "Write the note first.")
        self.assertEqual(self.referral.notes.count(), 1)
        # The page shown again is a read, and recorded as one.
        self.assertEqual(access_log_for(self.referral).count(), 1)

    def test_a_closed_referral_takes_no_more_notes(self):
        Referral.objects.filter(pk=self.referral.pk).update(status=Referral.Status.CLOSED)
        self.login(self.support)
        response = self.client.post(self.url(), {"body": "补记"}, follow=True)
        self.assertContains(response, "This referral is closed")
        self.assertEqual(self.referral.notes.count(), 1)


class ConsentTestCase(ReferralTestCase):
    def setUp(self):
        super().setUp()
        self.pending = make_referral(self.student_b, self.counsellor_b_user, consent=False)
        self.url = reverse("counselling:consent_record", args=[self.pending.pk])

    def test_it_records_when_how_and_by_whom(self):
        at = clock.now() - dt.timedelta(hours=1)
        self.login(self.counsellor_b_user)
        response = self.client.post(self.url, {"consented_at": local(at), "method": "signed_form"})
        self.assertRedirects(response, self.pending.get_absolute_url())
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.consent_method, "signed_form")
        self.assertEqual(self.pending.consent_recorded_by, self.counsellor_b_user)
        self.assertEqual(self.pending.consented_at, at.replace(second=0, microsecond=0))
        self.assertContains(self.client.get(self.pending.get_absolute_url()), "Add the note")

    def test_consent_cannot_come_from_the_future_or_before_the_referral(self):
        self.login(self.counsellor_b_user)
        future = local(clock.now() + dt.timedelta(days=1))
        response = self.client.post(self.url, {"consented_at": future, "method": "phone"})
        self.assertContains(response, "Consent cannot be given in the future.")
        past = local(self.pending.created_at - dt.timedelta(days=1))
        response = self.client.post(self.url, {"consented_at": past, "method": "phone"})
        self.assertContains(response, "cannot come before the referral")
        response = self.client.post(self.url, {"consented_at": "", "method": ""})
        self.assertContains(response, "Give the time the student consented.")
        self.assertContains(response, "Choose how the student consented.")
        self.pending.refresh_from_db()
        self.assertFalse(self.pending.has_consent)

    def test_consent_is_recorded_once(self):
        url = reverse("counselling:consent_record", args=[self.referral.pk])
        self.login(self.counsellor_a_user)
        response = self.client.post(
            url, {"consented_at": local(clock.now()), "method": "phone"}, follow=True
        )
        self.assertContains(response, "already recorded")
        self.assertEqual(self.refresh().consent_method, Referral.ConsentMethod.IN_PERSON)
