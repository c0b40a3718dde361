"""A graduate registers for a fair from its page: once, until it ends; the
rooms' links are theirs once registered; anyone else is told why not."""

from django.urls import reverse
from freezegun import freeze_time

from shouwang.careers.models import Registration

from .base_fairs import AFTER, BEFORE, DURING, FairsTestCase


class RegisterTests(FairsTestCase):
    def register(self):
        return self.client.post(reverse("careers:fair_register", args=[self.fair.pk]))

    def test_a_graduate_registers_and_then_sees_the_rooms_links(self):
        self.login(self.student)
        with freeze_time(BEFORE):
            page = self.client.get(self.fair.get_absolute_url())
            self.assertContains(page, 'data-testid="register"')
            self.assertNotContains(page, "https://meeting.tencent.com/dm/javaroom")
            response = self.register()
            self.assertRedirects(response, self.fair.get_absolute_url())
            page = self.client.get(self.fair.get_absolute_url())
        self.assertTrue(Registration.objects.filter(fair=self.fair, person=self.student_a).exists())
        self.assertContains(page, 'data-testid="registered"')
        self.assertContains(page, "https://meeting.tencent.com/dm/javaroom")
        self.assertContains(page, "https://meeting.tencent.com/dm/dataroom")
        self.assertContains(page, 'data-testid="code-form"')
        # A graduate is never shown a room's code: it is what proves they were there.
        self.assertNotContains(page, self.room_a.room_code)

    def test_registering_twice_is_registering_once(self):
        self.login(self.student)
        with freeze_time(BEFORE):
            self.register()
            self.register()
        self.assertEqual(Registration.objects.filter(fair=self.fair).count(), 1)

    def test_a_graduate_may_still_register_while_the_fair_is_on(self):
        self.login(self.graduate_b_user)
        with freeze_time(DURING):
            self.register()
        self.assertTrue(
            Registration.objects.filter(fair=self.fair, person=self.graduate_b_person).exists()
        )

    def test_registration_is_closed_once_the_fair_is_over(self):
        self.login(self.student)
        with freeze_time(AFTER):
            page = self.client.get(self.fair.get_absolute_url())
            self.assertNotContains(page, 'data-testid="register"')
            self.assertContains(page, 'data-testid="over"')
            response = self.register()
            page = self.client.get(response["Location"])
        self.assertFalse(Registration.objects.exists())
        self.assertContains(page, "This fair is over.")

    def test_a_student_who_is_not_graduating_is_told_why_not(self):
        self.login(self.student_b_user)
        with freeze_time(BEFORE):
            page = self.client.get(self.fair.get_absolute_url())
            self.assertNotContains(page, 'data-testid="register"')
            self.assertContains(page, 'data-testid="for-graduates"')
            response = self.register()
        self.assertEqual(response.status_code, 403)
        self.assertContains(
            response, "Only graduating students register for a job fair", status_code=403
        )
        self.assertFalse(Registration.objects.exists())

    def test_a_teacher_is_refused_too(self):
        self.login(self.teacher)
        with freeze_time(BEFORE):
            response = self.register()
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Registration.objects.exists())

    def test_the_graduates_fair_list_marks_what_they_registered_for(self):
        self.login(self.student)
        with freeze_time(BEFORE):
            self.register()
            page = self.client.get(reverse("careers:fair_list"))
        self.assertContains(page, 'data-testid="registered"')
        self.assertContains(page, self.fair.title)
