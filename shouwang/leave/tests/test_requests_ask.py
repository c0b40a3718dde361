"""Asking for leave on a phone, changing a returned request, withdrawing,
and asking to extend or cancel an approved leave."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from shouwang.leave import actions
from shouwang.leave.forms import default_times
from shouwang.leave.models import LeaveRequest, LeaveStep
from shouwang.lib import clock

from .base import BEIJING, MONDAY, TAIYUAN, LeaveTestCase, ask

Event = LeaveStep.Event


def answers(kind, **changes):
    data = {
        "kind": kind.pk,
        "starts_on": "2024-04-15",
        "starts_time": "08:00",
        "ends_on": "2024-04-15",
        "ends_time": "18:00",
        "province": "14",
        "city": TAIYUAN,
        "address": "山西省人民医院",
        "reason": "去医院复查",
        "contact_name": "张父",
        "contact_phone": "138 0000 0000",
    }
    data.update(changes)
    return data


class RequestNewTests(LeaveTestCase):
    url = reverse("leave:request_new")

    def test_it_offers_the_kinds_for_the_person(self):
        self.login(self.student)
        response = self.client.get(self.url)
        self.assertContains(response, "离校")
        self.assertNotContains(response, "入校")
        self.login(self.teacher)
        self.assertContains(self.client.get(self.url), "入校")

    def test_it_sends_a_request_to_the_counsellor(self):
        self.login(self.student)
        response = self.client.post(self.url, answers(self.away))
        leave = LeaveRequest.objects.get()
        self.assertRedirects(response, leave.get_absolute_url())
        self.assertEqual(leave.approver, self.counsellor_a)
        self.assertEqual(leave.contact_phone, "13800000000")
        self.assertEqual(leave.starts_at, clock.beijing(2024, 4, 15, 8))
        self.assertEqual(leave.city, TAIYUAN)

    def test_it_keeps_the_answers_and_shows_the_errors_on_their_fields(self):
        self.login(self.student)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        with translation.override("en"):
            response = self.client.post(self.url, answers(self.away, city="", ends_on="2024-04-14"))
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn("city", form.errors)
        self.assertContains(response, "去医院复查")
        self.assertFalse(LeaveRequest.objects.exists())
        with translation.override("en"):
            response = self.client.post(self.url, answers(self.away, ends_on="2024-04-14"))
        self.assertEqual(
            response.context["form"].errors["ends_on"], ["The leave must end after it starts."]
        )

    def test_a_kind_without_destination_drops_it(self):
        self.login(self.student)
        self.client.post(self.url, answers(self.sick, province="", city=""))
        leave = LeaveRequest.objects.get()
        self.assertEqual((leave.province, leave.city, leave.address), ("", "", ""))

    def test_a_kind_not_offered_is_refused(self):
        self.login(self.student)
        response = self.client.post(self.url, answers(self.entry))
        self.assertIn("kind", response.context["form"].errors)

    def test_a_city_of_another_province_is_refused(self):
        self.login(self.student)
        response = self.client.post(self.url, answers(self.away, province=BEIJING[0]))
        self.assertIn("city", response.context["form"].errors)

    def test_it_stores_the_documents(self):
        self.login(self.student)
        files = [
            SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            SimpleUploadedFile("挂号.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        ]
        self.client.post(self.url, {**answers(self.away), "documents": files})
        leave = LeaveRequest.objects.get()
        self.assertEqual(
            sorted(leave.attachments.values_list("name", flat=True)), ["挂号.pdf", "证明.pdf"]
        )

    def test_a_file_of_a_kind_not_allowed_is_refused(self):
        self.login(self.student)
        bad = SimpleUploadedFile("run.exe", b"MZ...", "application/octet-stream")
        response = self.client.post(self.url, {**answers(self.away), "documents": [bad]})
        self.assertIn("documents", response.context["form"].errors)
        self.assertFalse(LeaveRequest.objects.exists())

    def test_it_prefills_the_contact_and_the_times(self):
        ask(self.student_a, self.sick, user=self.student)
        self.login(self.student)
        with freeze_time(clock.beijing(2024, 4, 16, 9, 17)):
            initial = self.client.get(self.url).context["form"].initial
        self.assertEqual(initial["contact_name"], "张父")
        self.assertEqual(initial["starts_time"], dt.time(9, 30))
        self.assertEqual(initial["ends_on"], dt.date(2024, 4, 16))

    def test_the_default_start_is_the_next_half_hour(self):
        start, end = default_times(clock.beijing(2024, 4, 16, 23, 45))
        self.assertEqual(start, clock.beijing(2024, 4, 17, 0, 0))
        self.assertGreater(end, start)
        self.assertEqual(default_times(clock.beijing(2024, 4, 16, 9, 0))[0].hour, 9)

    def test_the_city_list_follows_the_province_for_anyone(self):
        # The teacher checks in under no regime; the list is the check-in page's.
        self.login(self.teacher)
        response = self.client.get(
            reverse("checkins:today"), {"province": "14"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="city-field"')
        self.assertContains(response, TAIYUAN)


class RequestEditTests(LeaveTestCase):
    def test_a_returned_request_is_changed_and_sent_again(self):
        leave = ask(self.student_a, self.away, user=self.student, city=BEIJING)
        actions.decide(leave, Event.RETURNED, "写清地址", acting_user=self.counsellor_a_user)
        self.login(self.student)
        url = reverse("leave:request_edit", args=[leave.pk])
        self.assertContains(self.client.get(url), "写清地址")
        response = self.client.post(url, answers(self.away, address="朝阳医院"))
        self.assertRedirects(response, leave.get_absolute_url())
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.PENDING)
        self.assertEqual(leave.address, "朝阳医院")
        self.assertEqual(leave.history.values_list("event", flat=True).last(), Event.RESUBMITTED)

    def test_a_pending_request_is_not_edited(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.student)
        response = self.client.get(reverse("leave:request_edit", args=[leave.pk]))
        self.assertEqual(response.status_code, 403)

    def test_an_outsider_gets_404(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_b_user)
        response = self.client.get(reverse("leave:request_edit", args=[leave.pk]))
        self.assertEqual(response.status_code, 404)


class WithdrawTests(LeaveTestCase):
    def test_the_requester_withdraws_a_waiting_request(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.student)
        self.client.post(reverse("leave:withdraw", args=[leave.pk]))
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.WITHDRAWN)
        self.assertIsNone(leave.approver)

    def test_the_approver_may_not_withdraw_it(self):
        leave = ask(self.student_a, self.away, user=self.student)
        self.login(self.counsellor_a_user)
        response = self.client.post(reverse("leave:withdraw", args=[leave.pk]))
        self.assertEqual(response.status_code, 403)


class ChangeTests(LeaveTestCase):
    def approved(self):
        leave = ask(self.student_a, self.away, user=self.student)
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        return leave

    def test_an_extension_goes_to_the_counsellor(self):
        leave = self.approved()
        self.login(self.student)
        url = reverse("leave:request_change", args=[leave.pk])
        response = self.client.post(
            url,
            {
                "change": "extend",
                "ends_on": "2024-04-17",
                "ends_time": "18:00",
                "reason": "复查推迟",
            },
        )
        change = LeaveRequest.objects.get(amends=leave)
        self.assertRedirects(response, change.get_absolute_url())
        self.assertEqual(change.approver, self.counsellor_a)
        self.assertEqual(change.ends_at, clock.beijing(2024, 4, 17, 18))

    def test_an_extension_ending_earlier_is_refused_on_its_field(self):
        leave = self.approved()
        self.login(self.student)
        response = self.client.post(
            reverse("leave:request_change", args=[leave.pk]),
            {"change": "extend", "ends_on": "2024-04-15", "ends_time": "09:00", "reason": "x"},
        )
        self.assertIn("ends_on", response.context["form"].errors)

    def test_a_cancellation_cancels_the_leave_once_approved(self):
        leave = self.approved()
        self.login(self.student)
        self.client.post(
            reverse("leave:request_change", args=[leave.pk]),
            {"change": "cancel", "reason": "不去了"},
        )
        change = LeaveRequest.objects.get(amends=leave)
        actions.decide(change, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.CANCELLED)

    def test_a_pending_request_is_not_changed(self):
        leave = ask(
            self.student_a, self.away, user=self.student, start=clock.at(MONDAY, dt.time(9))
        )
        self.login(self.student)
        response = self.client.post(
            reverse("leave:request_change", args=[leave.pk]), {"change": "cancel", "reason": "x"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].non_field_errors())
