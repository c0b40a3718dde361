from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.test import BaseTestCase, make_person


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

    def test_its_query_count_does_not_grow_with_the_people_listed(self):
        self.login(self.leader)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for n in range(30):
            make_person(f"20209{n:02d}", f"学生{n}", admin_class=self.class_a, unit=self.college)
        with self.assertNumQueries(len(few)):
            response = self.client.get(self.url)
        self.assertContains(response, "学生29")

    def test_the_filter_by_class_offers_a_counsellor_only_their_classes(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url, {"admin_class": self.class_b.pk})
        self.assertNotContains(response, "李四")
        self.assertNotContains(response, "信管2101")

    def test_an_htmx_request_gets_only_the_results(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"q": "li"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")
        self.assertContains(response, "李四")
