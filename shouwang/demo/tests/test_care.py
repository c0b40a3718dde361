from django.db.models import Q
from django.test import TestCase
from django.urls import reverse
from freezegun import freeze_time

from shouwang.accounts.models import Role
from shouwang.care.models import LATE_AFTER, CareContact, Isolation, MealDelivery
from shouwang.demo import build
from shouwang.demo.care import NOW
from shouwang.demo.models import DemoLogin


class DemoCareTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build.build()

    def test_there_are_isolations_some_ended_some_from_screening(self):
        self.assertGreaterEqual(Isolation.objects.count(), 6)
        self.assertTrue(Isolation.objects.filter(ended_at__isnull=False).exists())
        self.assertTrue(Isolation.objects.filter(ended_at__isnull=True).exists())
        self.assertTrue(Isolation.objects.filter(flag__isnull=False).exists())
        self.assertTrue(Isolation.objects.filter(room__isnull=False).exists())

    def test_every_meal_of_a_past_slot_is_accounted_for(self):
        past = MealDelivery.objects.filter(due_at__lte=NOW)
        self.assertGreater(past.count(), 100)
        accounted = Q(status="delivered", delivered_at__isnull=False) | Q(
            status="missed", handled_at__isnull=False
        )
        self.assertFalse(past.exclude(accounted).exists())
        self.assertEqual(past.filter(status="missed").count(), 1)
        late = [d for d in past.filter(status="delivered") if d.is_late]
        self.assertGreaterEqual(len(late), 1)
        self.assertLess(len(late), past.count() * 0.1)
        self.assertTrue(all((d.delivered_at or NOW) > d.due_at + LATE_AFTER for d in late))
        # Today's lunch and supper are still to come.
        self.assertTrue(MealDelivery.objects.filter(due_at__gt=NOW, status="pending").exists())

    def test_a_delivery_a_day_per_slot_of_each_isolation(self):
        for isolation in Isolation.objects.all():
            counts = isolation.deliveries.values_list("date", "slot").distinct().count()
            self.assertEqual(counts, isolation.deliveries.count())

    def test_the_isolated_received_cards_a_video_and_calls(self):
        for kind in CareContact.Kind.values:
            if kind == "visit":
                continue
            self.assertTrue(CareContact.objects.filter(kind=kind).exists(), kind)
        self.assertFalse(CareContact.objects.filter(at__gt=NOW).exists())

    @freeze_time(NOW)
    def test_the_walkthrough_logins_see_their_care_pages(self):
        student = DemoLogin.objects.get(role=Role.STUDENT).user
        self.client.force_login(student)
        page = self.client.get(reverse("care:mine"))
        self.assertContains(page, "B-312")
        self.assertContains(page, "隔离中")
        self.client.force_login(DemoLogin.objects.get(role=Role.VOLUNTEER).user)
        self.assertContains(
            self.client.get(reverse("care:routes"), {"date": "2022-04-15"}), "B-312"
        )
        self.client.force_login(DemoLogin.objects.get(role=Role.COUNSELLOR).user)
        assert student.person is not None
        self.assertContains(self.client.get(reverse("care:isolation_list")), student.person.name)
