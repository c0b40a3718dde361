import datetime as dt
import threading
from unittest.mock import patch

from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.accounts.models import User
from shouwang.care import actions
from shouwang.care.labels import token_for
from shouwang.care.message_kinds import CARE
from shouwang.care.models import BuildingTeam, MealDelivery, floor_of
from shouwang.care.tasks import alert_late_deliveries
from shouwang.notify.models import Message
from shouwang.people.models import DormRoom
from shouwang.test import make_person, make_user
from shouwang.volunteers.models import Membership

from .base import DAY, NOW, CarePlan, CareTestCase, april, isolate, make_plan

ROUTES = reverse("care:routes")


def more_isolated(case, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        room = DormRoom.objects.create(building="B", number=str(401 + n))
        person = make_person(
            f"2020{100 + n}", f"隔离{n}号", admin_class=case.class_a, dorm_room=room
        )
        isolate(case, person)


@freeze_time(NOW)
class GenerateDeliveriesTestCase(CareTestCase):
    def test_it_makes_one_delivery_per_isolation_per_slot_once(self):
        self.assertEqual(actions.generate_deliveries(DAY), 3)
        self.assertEqual(actions.generate_deliveries(DAY), 0)
        delivery = MealDelivery.objects.get(slot=self.lunch)
        self.assertEqual(
            (delivery.building, delivery.floor, delivery.room, delivery.dietary_note),
            ("B", 3, "312", "清真"),
        )
        self.assertEqual(delivery.team, self.team)
        self.assertEqual(delivery.due_at, april(15, 11, 30))

    def test_its_queries_do_not_grow_with_the_isolations(self):
        with CaptureQueriesContext(connection) as few:
            actions.generate_deliveries(DAY)
        more_isolated(self, 12)
        with CaptureQueriesContext(connection) as many:
            actions.generate_deliveries(DAY + dt.timedelta(days=1))
        self.assertEqual(MealDelivery.objects.count(), 3 + 13 * 3)
        self.assertEqual(len(many), len(few))

    def test_a_meal_before_the_start_or_after_the_end_is_not_made(self):
        isolate(self, self.student_b, dorm_room=None, room=self.isolation_room, started_at=NOW)
        actions.generate_deliveries(DAY)
        self.assertEqual(
            set(
                MealDelivery.objects.filter(isolation__person=self.student_b).values_list(
                    "slot__name", flat=True
                )
            ),
            {"午餐", "晚餐"},
        )

    def test_floors_come_from_the_room_number(self):
        self.assertEqual([floor_of(n) for n in ("312", "1205", "08", "A")], [3, 12, 1, 1])

    def test_a_floor_the_roster_stated_is_the_deliverys_floor(self):
        # 3栋2层15: room 15 is on the 2nd floor, which its number does not say.
        room = DormRoom.objects.create(building="3号楼", floor=2, number="15")
        BuildingTeam.objects.create(building="3号楼", team=self.team)
        person = make_person("2020200", "二楼", admin_class=self.class_a, dorm_room=room)
        isolate(self, person)
        actions.generate_deliveries(DAY)
        self.assertEqual(
            set(
                MealDelivery.objects.filter(isolation__person=person).values_list(
                    "building", "floor", "room"
                )
            ),
            {("3号楼", 2, "15")},
        )
        self.login(self.volunteer)
        response = self.client.get(ROUTES)
        self.assertContains(response, '<h2 class="h5">3号楼 <span', count=1)
        self.assertContains(response, "2 层")


@freeze_time(NOW)
class RouteListTestCase(CareTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        actions.generate_deliveries(DAY)

    def test_the_volunteer_sees_doors_by_building_and_floor_with_the_diet(self):
        self.login(self.volunteer)
        response = self.client.get(ROUTES)
        self.assertContains(response, "B 栋")
        self.assertContains(response, "3 层")
        self.assertContains(response, "B-312", count=3)
        self.assertContains(response, "清真", count=3)

    def test_the_volunteer_sees_nothing_else_about_the_person(self):
        self.login(self.volunteer)
        delivery = MealDelivery.objects.get(slot=self.lunch)
        for url in (ROUTES, delivery.get_absolute_url()):
            page = self.client.get(url).text
            for secret in ("张三", "2020001", "13912345678", "密切接触", "计科2001", "赵璞"):
                self.assertNotIn(secret, page, f"{secret} on {url}")

    def test_a_volunteer_of_another_team_sees_none_of_it(self):
        other = make_user(make_person("2021009", "路人"))
        self.login(other)
        self.assertContains(self.client.get(ROUTES), "您不在任何送餐队伍中")
        delivery = MealDelivery.objects.first()
        assert delivery is not None
        self.assertEqual(self.client.get(delivery.get_absolute_url()).status_code, 404)

    def test_its_queries_do_not_grow_with_the_deliveries(self):
        self.login(self.volunteer)
        self.client.get(ROUTES)  # sessions and the like, once
        with CaptureQueriesContext(connection) as few:
            self.client.get(ROUTES)
        more_isolated(self, 10)
        actions.generate_deliveries(DAY)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(ROUTES)
        self.assertContains(response, 'data-testid="stop"', count=33)
        self.assertEqual(len(many), len(few))

    def test_a_leaders_rounds_come_a_page_of_stops_at_a_time_in_walking_order(self):
        more_isolated(self, 10)
        actions.generate_deliveries(DAY)
        self.login(self.leader)
        doors = []
        with patch("shouwang.care.views.STOPS_PER_PAGE", 10):
            for number in (1, 2, 3, 4):
                page = self.client.get(ROUTES, {"date": DAY.isoformat(), "page": number})
                doors += [
                    (room.number, delivery.slot_id)
                    for building in page.context["buildings"]
                    for floor in building.floors
                    for room in floor.rooms
                    for delivery in room.deliveries
                ]
        self.assertContains(page, 'data-testid="stop"', count=3)
        walked = actions.walking_order(MealDelivery.objects.filter(date=DAY))
        self.assertEqual(doors, [(delivery.room, delivery.slot_id) for delivery in walked])
        self.assertEqual(len(doors), 33)

    def test_a_meal_open_30_minutes_past_its_time_shows_as_late(self):
        self.login(self.volunteer)
        with freeze_time(april(15, 12, 5)):
            response = self.client.get(ROUTES)
        # Breakfast and lunch; a late meal is 超时, not a check-in's 迟报.
        self.assertContains(response, "超时", count=2)
        self.assertNotContains(response, "迟报")

    def test_the_label_sheet_is_a_pdf(self):
        self.login(self.volunteer)
        response = self.client.get(reverse("care:labels"), {"slot": self.lunch.pk})
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))


@freeze_time(NOW)
class ClaimAndConfirmTestCase(CareTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        actions.generate_deliveries(DAY)
        cls.delivery = MealDelivery.objects.get(slot=cls.lunch)
        cls.other_person = make_person("2021008", "赵六", admin_class=cls.class_b)
        cls.other_user = make_user(cls.other_person)
        Membership.objects.create(team=cls.team, person=cls.other_person)

    def claim(self, user: User):
        self.login(user)
        return self.client.post(
            reverse("care:delivery_claim", args=[self.delivery.pk]), follow=True
        )

    def test_the_second_volunteer_is_told_who_has_it(self):
        self.claim(self.volunteer)
        response = self.claim(self.other_user)
        self.assertContains(response, "这一餐已由 王五 认领。")
        self.delivery.refresh_from_db()
        self.assertEqual(self.delivery.claimed_by, self.volunteer_person)

    def test_a_confirm_without_the_label_is_marked_as_such(self):
        self.login(self.volunteer)
        response = self.client.post(
            reverse("care:delivery_confirm", args=[self.delivery.pk]), follow=True
        )
        self.assertContains(response, "已送达：B-312。")
        self.assertContains(response, "未扫码")
        self.delivery.refresh_from_db()
        self.assertEqual(
            (self.delivery.status, self.delivery.confirmed_via), ("delivered", "button")
        )

    def test_another_volunteer_cannot_confirm_a_taken_meal(self):
        self.claim(self.volunteer)
        self.login(self.other_user)
        response = self.client.post(
            reverse("care:delivery_confirm", args=[self.delivery.pk]), follow=True
        )
        self.assertContains(response, "这一餐已由 王五 认领。")
        self.assertEqual(MealDelivery.objects.get(pk=self.delivery.pk).status, "claimed")

    def test_scanning_the_label_opens_the_delivery_and_one_tap_confirms_it(self):
        token = token_for(self.delivery)
        self.login(self.volunteer)
        page = self.client.get(reverse("care:delivery_scan", args=[token]))
        self.assertContains(page, "已扫描门贴")
        self.client.post(
            reverse("care:delivery_confirm", args=[self.delivery.pk]), {"token": token}
        )
        self.delivery.refresh_from_db()
        self.assertEqual((self.delivery.status, self.delivery.confirmed_via), ("delivered", "qr"))

    def test_a_tampered_label_is_refused(self):
        token = token_for(self.delivery)
        other = MealDelivery.objects.get(slot=self.supper)
        forged = f"{other.pk}{token[token.index(':') :]}"
        self.login(self.volunteer)
        response = self.client.get(reverse("care:delivery_scan", args=[forged]))
        self.assertContains(response, "门贴二维码无效", status_code=400)
        response = self.client.post(
            reverse("care:delivery_confirm", args=[other.pk]), {"token": token}, follow=True
        )
        self.assertContains(response, "这张门贴属于另一份送餐。")
        self.assertEqual(MealDelivery.objects.get(pk=other.pk).status, "pending")

    def test_an_expired_label_is_refused(self):
        token = token_for(self.delivery)
        self.login(self.volunteer)
        with freeze_time(NOW + dt.timedelta(days=2, minutes=1)):
            response = self.client.get(reverse("care:delivery_scan", args=[token]))
        self.assertContains(response, "门贴二维码已过期", status_code=400)

    def test_a_label_of_another_teams_door_is_404(self):
        outsider = make_user(make_person("2021007", "孙七"))
        self.login(outsider)
        response = self.client.get(reverse("care:delivery_scan", args=[token_for(self.delivery)]))
        self.assertEqual(response.status_code, 404)


class ConcurrentClaimTestCase(CarePlan, TransactionTestCase):
    def setUp(self):
        self.create_personas()
        make_plan(self)
        with freeze_time(NOW):
            isolate(self, self.student_a)
            actions.generate_deliveries(DAY)
        self.delivery = MealDelivery.objects.get(slot=self.lunch)
        self.other_person = make_person("2021008", "赵六", admin_class=self.class_b)
        Membership.objects.create(team=self.team, person=self.other_person)

    def test_of_two_volunteers_tapping_at_once_exactly_one_wins(self):
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def claim(person):
            try:
                start.wait()
                actions.claim_delivery(MealDelivery.objects.get(pk=self.delivery.pk), person)
                outcomes.append("won")
            except actions.AlreadyTaken:
                outcomes.append("taken")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=claim, args=(person,))
            for person in (self.volunteer_person, self.other_person)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["taken", "won"])
        self.assertIn(
            MealDelivery.objects.get(pk=self.delivery.pk).claimed_by_id,
            {self.volunteer_person.pk, self.other_person.pk},
        )


class LateAlertTestCase(CareTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with freeze_time(april(15, 0, 5)):
            actions.generate_deliveries(DAY)

    def alerts(self):
        return Message.objects.filter(kind=CARE, key__startswith="care-late:")

    def test_a_meal_not_confirmed_30_minutes_after_its_time_alerts_the_lead_and_counsellor(self):
        with freeze_time(april(15, 11, 59)):
            alert_late_deliveries.call()
        self.assertEqual(
            set(self.alerts().values_list("recipient", flat=True)),
            {self.volunteer_person.pk, self.counsellor_a.pk},
        )
        self.assertTrue(
            self.alerts().get(recipient=self.volunteer_person).title.startswith("尚未送达：B-312")
        )
        # The team lead is a volunteer: the door, not the name.
        self.assertNotIn("张三", self.alerts().get(recipient=self.volunteer_person).title)
        self.assertIn("张三", self.alerts().get(recipient=self.counsellor_a).title)

    def test_it_waits_the_30_minutes(self):
        with freeze_time(april(15, 7, 59)):
            alert_late_deliveries.call()
        self.assertFalse(self.alerts().exists())
        with freeze_time(april(15, 8, 0)):
            alert_late_deliveries.call()
        self.assertEqual(self.alerts().count(), 2)

    def test_it_alerts_once_per_delivery(self):
        for minute in (0, 5, 10):
            with freeze_time(april(15, 8, minute)):
                alert_late_deliveries.call()
        self.assertEqual(self.alerts().count(), 2)

    def test_a_delivered_meal_alerts_nobody(self):
        MealDelivery.objects.filter(slot=self.breakfast).update(
            status="delivered", delivered_at=april(15, 7, 40)
        )
        with freeze_time(april(15, 8, 30)):
            alert_late_deliveries.call()
        self.assertFalse(self.alerts().exists())

    def test_the_lead_records_a_missed_meal_with_what_was_done(self):
        delivery = MealDelivery.objects.get(slot=self.breakfast)
        with freeze_time(april(15, 9)):
            self.login(self.volunteer)
            self.client.post(
                reverse("care:delivery_handle", args=[delivery.pk]), {"note": "已补送一份早餐"}
            )
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.handled_note), ("missed", "已补送一份早餐"))
