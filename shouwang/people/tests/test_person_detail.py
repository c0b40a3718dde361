from django.urls import reverse

from shouwang.accounts.models import User
from shouwang.core.audit import access_log_for
from shouwang.core.models import LogEntry
from shouwang.test import BaseTestCase


class PersonDetailTestCase(BaseTestCase):
    def url(self, person):
        return reverse("people:person_detail", args=[person.pk])

    def test_it_shows_the_phone_masked(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url(self.student_a))
        self.assertContains(response, "139****5678")
        self.assertNotContains(response, "13912345678")

    def test_every_view_writes_an_audit_row_naming_who_and_whom(self):
        self.login(self.counsellor_a_user)
        self.client.get(self.url(self.student_a))
        self.client.get(self.url(self.student_a))
        views = access_log_for(self.student_a)
        self.assertEqual(views.count(), 2)
        self.assertEqual(views[0].actor, self.counsellor_a_user)
        self.assertEqual(views[0].kind, "people.person_viewed")

    def test_another_classs_counsellor_gets_404_and_leaves_no_trace(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url(self.student_a)).status_code, 404)
        self.assertEqual(access_log_for(self.student_a).count(), 0)


class RevealPhoneTestCase(BaseTestCase):
    def url(self, person):
        return reverse("people:person_reveal_phone", args=[person.pk])

    def test_it_shows_the_full_number_and_records_the_reason(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(self.student_a), {"reason": "未打卡，电话确认"})
        self.assertContains(response, "13912345678")
        entry = access_log_for(self.student_a).get()
        self.assertEqual(entry.kind, "people.mobile_viewed")
        self.assertEqual(entry.additional_data, {"reason": "未打卡，电话确认"})
        self.assertEqual(entry.actor, self.counsellor_a_user)

    def test_it_asks_for_a_reason_and_shows_nothing_without_one(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(self.student_a), {"reason": " "})
        self.assertNotContains(response, "13912345678")
        self.assertContains(response, "invalid-feedback")
        self.assertEqual(access_log_for(self.student_a).count(), 0)

    def test_a_get_request_reveals_nothing(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url(self.student_a)).status_code, 405)


class ResetPasswordTestCase(BaseTestCase):
    def url(self, person):
        return reverse("people:person_reset_password", args=[person.pk])

    def test_a_counsellor_gives_their_student_an_initial_password_to_change(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(self.student_a))
        password = response.context["password"]
        self.assertContains(response, password)
        user = User.objects.get(person=self.student_a)
        self.assertTrue(user.check_password(password))
        self.assertTrue(user.must_change_password)
        self.assertTrue(
            LogEntry.objects.get_for_object(self.student_a)
            .filter(kind="people.initial_password_issued")
            .exists()
        )

    def test_it_creates_the_login_for_a_person_who_has_none(self):
        self.student_a.user.delete()
        self.login(self.leader)
        self.client.post(self.url(self.student_a))
        self.assertEqual(User.objects.get(person=self.student_a).username, "2020001")

    def test_a_student_cannot_reset_their_own_password_this_way(self):
        self.login(self.student)
        self.assertEqual(self.client.post(self.url(self.student_a)).status_code, 403)
