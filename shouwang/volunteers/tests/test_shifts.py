import datetime as dt
import threading

from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse
from freezegun import freeze_time

from shouwang.lib import clock
from shouwang.test import Personas, make_person
from shouwang.volunteers import actions
from shouwang.volunteers.models import Membership, Shift, SignUp
from shouwang.volunteers.tests.helpers import EnglishTestCase, make_shift, make_team


class ShiftTestCase(EnglishTestCase):
    def setUp(self):
        super().setUp()
        self.team = make_team(
            "春蕾工程志愿服务队", lead=self.volunteer_person, members=[self.student_a]
        )
        self.shift = make_shift(self.team, places=1)

    def signup(self):
        return self.client.post(reverse("volunteers:shift_signup", args=[self.shift.pk]))


class SignUpTestCase(ShiftTestCase):
    def test_a_member_signs_up_and_sees_it(self):
        self.login(self.student)
        response = self.signup()
        self.assertRedirects(response, self.shift.get_absolute_url())
        page = self.client.get(self.shift.get_absolute_url())
        self.assertContains(page, 'data-testid="signed-up"')
        self.assertContains(page, "1 of 1 taken")
        self.assertTrue(SignUp.objects.filter(shift=self.shift, person=self.student_a).exists())

    def test_a_full_shift_refuses_the_next_member(self):
        SignUp.objects.create(shift=self.shift, person=self.volunteer_person)
        self.login(self.student)
        response = self.signup()
        self.assertContains(self.client.get(response.url), "Sorry, the shift is full.")
        self.assertEqual(self.shift.signups.count(), 1)

    def test_signing_up_twice_keeps_one_place(self):
        self.login(self.student)
        self.signup()
        response = self.signup()
        self.assertContains(self.client.get(response.url), "You are already signed up.")
        self.assertEqual(self.shift.signups.count(), 1)

    def test_sign_ups_close_when_the_shift_starts(self):
        self.login(self.student)
        with freeze_time(self.shift.starts_at + dt.timedelta(minutes=1)):
            response = self.signup()
            self.assertContains(self.client.get(response.url), "sign-ups are closed")
        self.assertFalse(self.shift.signups.exists())

    def test_someone_outside_the_team_cannot_see_it(self):
        self.login(self.student_b_user)
        self.assertEqual(self.signup().status_code, 404)
        self.assertEqual(self.client.get(self.shift.get_absolute_url()).status_code, 404)

    def test_the_last_places_go_one_at_a_time(self):
        self.shift.places = 2
        self.shift.save(update_fields=["places"])
        others = [
            make_person(f"20219{n:02}", f"队员{n}", admin_class=self.class_b) for n in range(4)
        ]
        Membership.objects.bulk_create(Membership(team=self.team, person=p) for p in others)
        results = []
        for person in others:
            try:
                actions.sign_up(self.shift, person, acting_user=self.admin)
                results.append("ok")
            except actions.ShiftFull:
                results.append("full")
        self.assertEqual(results, ["ok", "ok", "full", "full"])


class WithdrawTestCase(ShiftTestCase):
    def withdraw(self):
        return self.client.post(reverse("volunteers:shift_withdraw", args=[self.shift.pk]))

    def test_a_member_withdraws_before_the_cutoff_and_frees_the_place(self):
        SignUp.objects.create(shift=self.shift, person=self.student_a)
        self.login(self.student)
        response = self.withdraw()
        self.assertContains(self.client.get(response.url), "your place is free")
        self.assertFalse(self.shift.signups.exists())

    def test_withdrawing_after_the_cutoff_is_refused(self):
        SignUp.objects.create(shift=self.shift, person=self.student_a)
        self.login(self.student)
        # The cut-off is two hours before the start (SHIFT_WITHDRAW_BEFORE).
        with freeze_time(self.shift.starts_at - dt.timedelta(hours=1)):
            response = self.withdraw()
            page = self.client.get(response.url)
        self.assertContains(page, "It is too late to withdraw")
        self.assertNotContains(page, 'data-testid="withdraw"')
        self.assertTrue(self.shift.signups.exists())

    def test_the_page_says_until_when(self):
        SignUp.objects.create(shift=self.shift, person=self.student_a)
        self.login(self.student)
        page = self.client.get(self.shift.get_absolute_url())
        self.assertContains(page, 'data-testid="withdraw"')
        self.assertContains(page, "You may withdraw until")


class NewShiftTestCase(ShiftTestCase):
    def url(self):
        return reverse("volunteers:shift_new", args=[self.team.pk])

    def test_the_lead_opens_a_shift(self):
        self.login(self.volunteer)
        starts = clock.now() + dt.timedelta(days=1)
        data = {
            "title": "核酸检测秩序维护",
            "place": "体育馆",
            "starts_at": starts.strftime("%Y-%m-%dT08:00"),
            "ends_at": starts.strftime("%Y-%m-%dT11:00"),
            "places": "6",
        }
        response = self.client.post(self.url(), data)
        shift = Shift.objects.exclude(pk=self.shift.pk).get()
        self.assertRedirects(response, shift.get_absolute_url())
        self.assertEqual((shift.places, shift.place), (6, "体育馆"))

    def test_it_explains_what_is_wrong(self):
        self.login(self.volunteer)
        data = {
            "title": "核酸",
            "place": "体育馆",
            "starts_at": "2020-01-01T11:00",
            "ends_at": "2020-01-01T08:00",
            "places": "0",
        }
        response = self.client.post(self.url(), data)
        self.assertContains(response, "A new shift must start in the future.")
        self.assertContains(response, "The shift must end after it starts.")
        self.assertContains(response, "A shift needs at least one person.")

    def test_a_member_who_does_not_lead_may_not(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url()).status_code, 403)


class ConcurrentSignUpTestCase(TransactionTestCase):
    """Sign-ups racing on their own connections never take more than the places."""

    def test_concurrent_sign_ups_never_overbook(self):
        class Data(Personas):
            pass

        Data.create_personas()
        team = make_team("红烛志愿服务队")
        people = [
            make_person(f"20228{n:02}", f"队员{n}", admin_class=Data.class_b) for n in range(8)
        ]
        Membership.objects.bulk_create(Membership(team=team, person=p) for p in people)
        shift = make_shift(team, places=3)
        start = threading.Barrier(len(people))
        outcomes: list[str] = []

        def take(person):
            try:
                start.wait(timeout=10)
                actions.sign_up(shift, person, acting_user=None)
                outcomes.append("ok")
            except actions.ShiftFull:
                outcomes.append("full")
            finally:
                connection.close()

        threads = [threading.Thread(target=take, args=(person,)) for person in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(sorted(outcomes), ["full"] * 5 + ["ok"] * 3)
        self.assertEqual(SignUp.objects.filter(shift=shift).count(), 3)
