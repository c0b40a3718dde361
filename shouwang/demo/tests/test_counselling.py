from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from shouwang.accounts.models import Role, User
from shouwang.counselling.models import Referral
from shouwang.demo import build
from shouwang.demo.models import DemoLogin


class DemoReferralsTestCase(TestCase):
    logins: dict[str, User]

    @classmethod
    def setUpTestData(cls):
        build.build()
        cls.logins = {login.role: login.user for login in DemoLogin.objects.select_related("user")}

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_zhao_pu_referred_two_students_with_their_consent_and_notes(self):
        referrals = Referral.objects.all()
        self.assertEqual(referrals.count(), 2)
        for referral in referrals:
            self.assertEqual(referral.referred_by, self.logins[Role.COUNSELLOR])
            self.assertTrue(referral.has_consent)
            self.assertTrue(referral.notes.exists())
            counsellor = referral.referred_by.person
            self.assertEqual(getattr(counsellor, "name", None), "赵璞")
            cls = referral.student.admin_class
            self.assertEqual(getattr(cls, "counsellor", None), counsellor)

    def test_the_support_login_sees_them_and_the_leader_and_admin_do_not(self):
        referral = Referral.objects.filter(status=Referral.Status.OPEN).get()
        self.client.force_login(self.logins[Role.PSYCH_SUPPORT])
        response = self.client.get(reverse("counselling:referral_list"))
        self.assertContains(response, referral.get_absolute_url())
        self.assertContains(self.client.get(referral.get_absolute_url()), "Take this referral on")
        for role in (Role.LEADER, Role.ADMIN):
            self.client.force_login(self.logins[role])
            self.assertEqual(self.client.get(referral.get_absolute_url()).status_code, 404)
