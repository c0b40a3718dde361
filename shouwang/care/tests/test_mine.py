from django.urls import reverse
from freezegun import freeze_time

from shouwang.care import actions
from shouwang.care.models import CareContact, MealDelivery
from shouwang.notify.models import Message

from .base import DAY, NOW, CareTestCase

MINE = reverse("care:mine")


@freeze_time(NOW)
class MyIsolationTestCase(CareTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        actions.generate_deliveries(DAY)
        cls.lunch_delivery = MealDelivery.objects.get(slot=cls.lunch)

    def test_the_isolated_student_sees_place_meals_and_whom_to_call(self):
        self.login(self.student)
        response = self.client.get(MINE)
        self.assertContains(response, "隔离中")
        self.assertContains(response, "B-312")
        self.assertContains(response, "4月21日")
        self.assertContains(response, "赵璞")
        self.assertContains(response, 'href="tel:13800000001"')
        self.assertContains(response, 'data-testid="meal"', count=3)
        self.assertContains(response, "午餐 11:30")

    def test_the_home_page_leads_the_isolated_student_to_their_page(self):
        self.login(self.student)
        self.assertContains(self.client.get("/"), f'href="{MINE}" data-testid="my-isolation"')
        self.login(self.student_b_user)
        self.assertNotContains(self.client.get("/"), 'data-testid="my-isolation"')

    def test_someone_not_isolated_is_told_so(self):
        self.login(self.student_b_user)
        self.assertContains(self.client.get(MINE), "您目前不在隔离中")

    def test_the_student_confirms_receipt(self):
        self.login(self.student)
        self.client.post(reverse("care:delivery_received", args=[self.lunch_delivery.pk]))
        self.lunch_delivery.refresh_from_db()
        self.assertIsNotNone(self.lunch_delivery.received_at)
        self.assertContains(self.client.get(MINE), "您已确认收到")

    def test_a_missed_meal_reaches_the_counsellors_inbox(self):
        self.login(self.student)
        response = self.client.post(
            reverse("care:delivery_problem", args=[self.lunch_delivery.pk]),
            {"problem": "missed_meal", "note": "等到12点还没有送来"},
            follow=True,
        )
        self.assertContains(response, "已告知您的辅导员")
        message = Message.objects.get(recipient=self.counsellor_a, key__startswith="care-problem")
        self.assertIn("没有收到餐", message.title)
        self.assertEqual(message.body, "等到12点还没有送来")
        self.assertEqual(message.link, self.isolation.get_absolute_url())
        self.login(self.counsellor_a_user)
        self.assertContains(
            self.client.get(self.isolation.get_absolute_url()), "等到12点还没有送来"
        )

    def test_a_problem_needs_its_kind(self):
        self.login(self.student)
        response = self.client.post(
            reverse("care:delivery_problem", args=[self.lunch_delivery.pk]), {}, follow=True
        )
        self.assertContains(response, "请选择出了什么问题")
        self.assertFalse(Message.objects.filter(key__startswith="care-problem").exists())

    def test_someone_elses_meal_is_404(self):
        self.login(self.student_b_user)
        response = self.client.post(
            reverse("care:delivery_received", args=[self.lunch_delivery.pk])
        )
        self.assertEqual(response.status_code, 404)


@freeze_time(NOW)
class CareContactTestCase(CareTestCase):
    def test_a_volunteer_writes_a_card_to_a_door_and_the_student_sees_it(self):
        self.login(self.volunteer)
        form = self.client.get(reverse("care:card_new"))
        self.assertContains(form, "B-312")
        self.assertNotContains(form, "张三")
        self.client.post(
            reverse("care:card_new"),
            {
                "isolation": self.isolation.pk,
                "kind": "card",
                "body": "加油！我们一直都在。",
                "signed": "春蕾工程志愿服务队",
            },
        )
        self.assertTrue(Message.objects.filter(recipient=self.student_a, kind="care").exists())
        self.login(self.student)
        page = self.client.get(MINE)
        self.assertContains(page, "加油！我们一直都在。")
        self.assertContains(page, "春蕾工程志愿服务队")

    def test_a_student_in_no_team_writes_no_cards(self):
        self.login(self.student_b_user)
        self.assertEqual(self.client.get(reverse("care:card_new")).status_code, 403)

    def test_a_video_needs_its_link(self):
        self.login(self.volunteer)
        response = self.client.post(
            reverse("care:card_new"),
            {"isolation": self.isolation.pk, "kind": "video", "body": "看看", "signed": "红烛"},
        )
        self.assertContains(response, "视频需要填写链接。")
        self.assertFalse(CareContact.objects.exists())

    def test_the_counsellor_logs_a_call_the_student_does_not_see_as_sent(self):
        self.login(self.counsellor_a_user)
        self.client.post(
            reverse("care:contact_log", args=[self.isolation.pk]),
            {"kind": "call", "body": "情绪稳定，晚上睡得好"},
        )
        self.assertContains(self.client.get(self.isolation.get_absolute_url()), "情绪稳定")
        self.login(self.student)
        self.assertNotContains(self.client.get(MINE), "情绪稳定")
