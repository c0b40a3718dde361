from django.urls import reverse
from freezegun import freeze_time

from shouwang.care.models import CareContact
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import make_person, make_user

from .base import NOW, CareTestCase

MINE = reverse("care:mine")
CARD = reverse("care:card_new")


@freeze_time(NOW)
class CardSenderTests(CareTestCase):
    def send(self, user, signed: str = "", kind: str = "card"):
        self.login(user)
        data = {"isolation": self.isolation.pk, "kind": kind, "body": "加油！", "signed": signed}
        if kind == "video":
            data["link"] = "https://v.example.cn/1"
        return self.client.post(CARD, data)

    def sender_line(self) -> str:
        self.login(self.student)
        page = self.client.get(MINE).content.decode()
        start = page.index('data-testid="sender"')
        return page[start : page.index("</div>", start)]

    def test_a_card_signed_as_the_counsellor_shows_the_volunteer_who_sent_it(self):
        self.send(self.volunteer, signed="辅导员 赵璞")
        sender = self.sender_line()
        self.assertIn("王五", sender)
        self.assertIn("志愿者", sender)
        self.assertNotIn("赵璞", sender)
        page = self.client.get(MINE)
        self.assertContains(page, "寄件人附言署名：辅导员 赵璞")
        message = Message.objects.get(recipient=self.student_a, title__contains="卡片")
        self.assertIn("王五（志愿者）", message.title)
        self.assertNotIn("赵璞", message.title)

    def test_the_form_says_whom_the_card_is_from(self):
        self.login(self.volunteer)
        self.assertContains(self.client.get(CARD), "王五（志愿者）")

    def test_the_sender_cannot_be_left_unnamed(self):
        self.send(self.volunteer, signed="")
        contact = CareContact.objects.get()
        self.assertEqual((contact.sender_name, contact.sender_role), ("王五", "volunteer"))

    def test_each_sender_is_shown_with_their_role(self):
        teacher = make_user(make_person("T0100", "孙老师", Person.Kind.TEACHER))
        for user, name, role in [
            (self.counsellor_a_user, "赵璞", "辅导员"),
            (self.leader, "孙书记", "学院领导"),
            (teacher, "孙老师", "教师"),
        ]:
            with self.subTest(role=role):
                CareContact.objects.all().delete()
                self.send(user, kind="video")
                self.assertIn(role, self.sender_line())
                self.assertIn(name, self.sender_line())

    def test_the_counsellor_sees_the_real_sender_in_the_care_log(self):
        self.send(self.volunteer, signed="学院领导")
        self.login(self.counsellor_a_user)
        page = self.client.get(self.isolation.get_absolute_url())
        self.assertContains(page, "<strong>王五</strong>", html=False)
        self.assertContains(page, "寄件人附言署名：学院领导")

    def test_a_call_in_the_care_log_names_who_logged_it(self):
        self.login(self.counsellor_a_user)
        self.client.post(
            reverse("care:contact_log", args=[self.isolation.pk]),
            {"kind": "call", "body": "情绪稳定"},
        )
        page = self.client.get(self.isolation.get_absolute_url())
        self.assertContains(page, "记录人 <strong>赵璞</strong>", html=False)
