from django.test import RequestFactory
from django.urls import reverse

from shouwang.core.extensions import render_slot
from shouwang.counselling.actions import notify_support_workers
from shouwang.counselling.models import Referral
from shouwang.notify.models import Message

from .base import ReferralTestCase

FORM = {"reason": "isolation", "urgency": "urgent", "summary": "隔离第五天，不吃饭，不回消息"}


class ReferralNewTestCase(ReferralTestCase):
    def url(self, person) -> str:
        return reverse("counselling:referral_new", args=[person.pk])

    def test_it_refers_a_student_of_the_counsellors_own_class(self):
        Referral.objects.all().delete()
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(self.student_a), FORM)
        referral = Referral.objects.get()
        self.assertRedirects(response, referral.get_absolute_url())
        self.assertEqual(referral.student, self.student_a)
        self.assertEqual(referral.referred_by, self.counsellor_a_user)
        self.assertEqual((referral.reason, referral.urgency), ("isolation", "urgent"))
        self.assertEqual(referral.summary, FORM["summary"])
        self.assertEqual(referral.status, Referral.Status.OPEN)
        self.assertFalse(referral.has_consent)

    def test_it_tells_the_support_workers_nothing_but_that_a_referral_waits(self):
        Referral.objects.all().delete()
        self.login(self.counsellor_a_user)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url(self.student_a), FORM)
        message = Message.objects.get()
        self.assertEqual(message.recipient, self.support_person)
        self.assertEqual(message.link, reverse("counselling:referral_list"))
        text = f"{message.title} {message.body}"
        for secret in ("张三", "2020001", "计科2001", FORM["summary"], "isolation", "隔离"):
            self.assertNotIn(secret, text)

    def test_each_support_worker_is_told_once(self):
        self.assertEqual(notify_support_workers(self.referral), 1)
        self.assertEqual(notify_support_workers(self.referral), 0)
        self.assertEqual(Message.objects.count(), 1)

    def test_a_second_referral_while_the_first_is_active_is_refused(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(self.student_a), FORM)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "You have already referred this student")
        self.assertEqual(Referral.objects.count(), 1)

    def test_it_says_what_is_missing(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(self.student_a), {"summary": "  "})
        self.assertContains(response, "Choose the main reason.")
        self.assertContains(response, "Choose how urgent this is.")
        self.assertContains(response, "Say briefly what you noticed.")

    def test_it_hides_the_students_of_other_classes(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url(self.student_b)).status_code, 404)

    def test_leaders_and_support_workers_do_not_refer(self):
        for user in (self.leader, self.admin, self.support):
            self.login(user)
            self.assertEqual(self.client.get(self.url(self.student_a)).status_code, 404)

    def test_the_person_page_offers_the_referral_to_the_students_counsellor_only(self):
        page = reverse("people:person_detail", args=[self.student_a.pk])
        self.login(self.counsellor_a_user)
        self.assertContains(self.client.get(page), self.url(self.student_a))
        for user in (self.leader, self.admin):
            self.login(user)
            self.assertNotContains(self.client.get(page), self.url(self.student_a))
        # Wherever the person's pieces show, another class's counsellor is not offered it.
        request = RequestFactory().get(page)
        request.user = self.counsellor_b_user
        pieces = render_slot("people.person", request, self.student_a)
        self.assertNotIn(self.url(self.student_a), pieces)
