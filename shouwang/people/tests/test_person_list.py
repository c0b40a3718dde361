from django.urls import reverse

from shouwang.test import BaseTestCase


class PersonListTestCase(BaseTestCase):
    url = reverse("people:person_list")

    def test_it_shows_a_counsellor_only_their_own_classes_students(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertContains(response, "张三")
        self.assertNotContains(response, "李四")

    def test_it_finds_people_by_pinyin_initials(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"q": "zs"})
        self.assertContains(response, "张三")
        self.assertNotContains(response, "李四")

    def test_it_masks_phone_numbers(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, "139****5678")
        self.assertNotContains(response, "13912345678")
