from django.urls import reverse

from shouwang.test import BaseTestCase


class HomeTestCase(BaseTestCase):
    def test_a_student_home_shows_their_class_counsellor_and_room(self):
        self.login(self.student)
        response = self.client.get(reverse("home:home"))
        self.assertContains(response, "计科2001")
        self.assertContains(response, "赵璞")
        self.assertContains(response, "B-312")

    def test_a_counsellor_home_lists_their_classes_with_counts(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("home:home"))
        self.assertContains(response, "计科2001")
        self.assertNotContains(response, "信管2101")
        self.assertContains(response, "1 名学生")

    def test_a_leader_home_counts_the_college(self):
        self.login(self.leader)
        response = self.client.get(reverse("home:home"))
        self.assertContains(response, '<div class="stat" data-stat="students">3</div>', html=True)
