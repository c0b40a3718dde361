from django.test import override_settings
from django.urls import reverse

from shouwang.test import BaseTestCase


class PagesTestCase(BaseTestCase):
    def test_the_login_page_carries_the_site_name_not_the_host(self):
        response = self.client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(response, "<title>登录 · 守望</title>", html=False)

    @override_settings(SITE_NAME="信息学院·守望")
    def test_a_deployment_names_its_own_site(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, "信息学院·守望")

    def test_the_interface_is_chinese_by_default(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, "学号/工号")
        self.assertContains(response, '<html lang="zh-hans">')

    def test_english_is_one_click_away_and_named_in_english(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, ">English</button>")
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, "Student or staff number")

    def test_a_page_out_of_reach_says_so_in_the_apps_own_frame(self):
        self.login(self.counsellor_b_user)
        response = self.client.get(reverse("people:person_detail", args=[self.student_a.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "返回首页", status_code=404)
