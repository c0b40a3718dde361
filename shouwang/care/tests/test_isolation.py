import datetime as dt
import threading
from unittest.mock import patch

from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse
from freezegun import freeze_time

from shouwang.care import actions
from shouwang.care.models import CareContact, Isolation, MealDelivery
from shouwang.core.models import LogEntry
from shouwang.incidents.models import Incident
from shouwang.notify.models import Message
from shouwang.screening.models import Flag
from shouwang.test import BaseTestCase

from .base import DAY, NOW, CarePlan, CareTestCase, april, isolate, make_plan

NEW = reverse("care:isolation_new")


def form(**fields) -> dict:
    return {
        "number": "2021001",
        "place": "room",
        "reason": "核酸初筛阳性",
        "dietary_note": "",
        "started_at": "2022-04-15T08:30",
        "planned_end": "2022-04-22",
        **fields,
    }


@freeze_time(NOW)
class PlaceInIsolationTestCase(CarePlan, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_plan(cls)

    def test_a_counsellor_places_their_student_in_an_isolation_room(self):
        self.login(self.counsellor_b_user)
        response = self.client.post(NEW, form(room=self.isolation_room.pk))
        isolation = Isolation.objects.get()
        self.assertRedirects(response, isolation.get_absolute_url())
        self.assertEqual((isolation.person, isolation.room), (self.student_b, self.isolation_room))
        # Today's lunch and supper are still to come; breakfast was before the start.
        self.assertEqual(
            set(isolation.deliveries.values_list("slot__name", flat=True)), {"午餐", "晚餐"}
        )
        # The person is told where to find their page.
        message = Message.objects.get(recipient=self.student_b)
        self.assertEqual(message.link, reverse("care:mine"))

    def test_it_refuses_another_counsellors_student(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(NEW, form(room=self.isolation_room.pk))
        self.assertContains(response, "您负责的学生中没有学号为 2021001 的学生")
        self.assertFalse(Isolation.objects.exists())

    def test_it_refuses_a_full_room(self):
        isolate(self, self.student_a, dorm_room=None, room=self.isolation_room)
        self.login(self.leader)
        response = self.client.post(NEW, form(room=self.isolation_room.pk))
        self.assertContains(response, "该房间已满，请另选房间。")
        self.assertEqual(Isolation.objects.count(), 1)

    def test_it_refuses_the_own_room_of_someone_without_one(self):
        self.login(self.leader)
        response = self.client.post(NEW, form(place="dorm"))
        self.assertContains(response, "李四 没有登记宿舍，请选择隔离房间。")

    def test_it_refuses_an_end_before_the_start(self):
        self.login(self.leader)
        response = self.client.post(
            NEW, form(room=self.isolation_room.pk, planned_end="2022-04-14")
        )
        self.assertContains(response, "计划解除日期不能早于开始时间。")

    def test_it_refuses_a_second_isolation_of_the_same_person(self):
        isolate(self, self.student_a)
        self.login(self.counsellor_a_user)
        response = self.client.post(NEW, form(number="2020001", place="dorm"))
        self.assertContains(response, "张三 已在隔离中，请先解除。")

    def test_a_link_from_a_persons_page_fills_in_their_number_within_reach(self):
        self.login(self.counsellor_a_user)
        self.assertContains(self.client.get(NEW, {"person": self.student_a.pk}), 'value="2020001"')
        self.login(self.counsellor_b_user)
        self.assertNotContains(
            self.client.get(NEW, {"person": self.student_a.pk}), 'value="2020001"'
        )

    def test_a_screening_flag_fills_the_form_and_is_resolved(self):
        incident = Incident.objects.create(title="封控", started_at=april(2, 8))
        flag = Flag.objects.create(
            person=self.student_a, incident=incident, date=DAY, reason=Flag.Reason.CONTACT
        )
        self.login(self.counsellor_a_user)
        page = self.client.get(NEW, {"flag": flag.pk})
        self.assertContains(page, 'value="2020001"')
        self.client.post(NEW, form(number="2020001", place="dorm", flag=flag.pk))
        flag.refresh_from_db()
        self.assertIsNotNone(flag.resolved_at)
        self.assertEqual(flag.actions.get().outcome, "referred")
        self.assertEqual(Isolation.objects.get().flag, flag)


@freeze_time(NOW)
class IsolationDetailTestCase(CareTestCase):
    def test_the_counsellor_sees_reason_and_diet_and_the_read_is_recorded(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(self.isolation.get_absolute_url())
        self.assertContains(response, "同楼层有阳性病例")
        self.assertContains(response, "清真")
        self.assertTrue(
            LogEntry.objects.get_for_object(self.student_a)
            .reads()
            .filter(kind="care.isolation_viewed")
            .exists()
        )

    def test_it_hides_other_classes(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.isolation.get_absolute_url()).status_code, 404)

    def test_an_ended_isolation_with_contacts_of_no_login_still_opens(self):
        # A brigade's card carries the brigade's name; a call's author may
        # have had their login deleted since.
        CareContact.objects.create(
            isolation=self.isolation, kind="card", body="加油！", signed="红烛志愿服务队"
        )
        CareContact.objects.create(isolation=self.isolation, kind="call", body="电话了解情况")
        self.isolation.ended_at, self.isolation.end_note = NOW, "隔离期满"
        self.isolation.save(update_fields=["ended_at", "end_note"])
        self.login(self.counsellor_a_user)
        response = self.client.get(self.isolation.get_absolute_url())
        self.assertContains(response, "红烛志愿服务队")
        self.assertContains(response, "电话了解情况")

    def test_ending_it_stops_the_meals_not_yet_due(self):
        actions.generate_deliveries(DAY)
        self.login(self.counsellor_a_user)
        self.client.post(
            reverse("care:isolation_end", args=[self.isolation.pk]), {"note": "两次核酸阴性"}
        )
        self.isolation.refresh_from_db()
        self.assertFalse(self.isolation.is_active)
        self.assertEqual(self.isolation.end_note, "两次核酸阴性")
        # Breakfast (07:30) stays on record; lunch and supper are not carried.
        self.assertEqual(list(MealDelivery.objects.values_list("slot__name", flat=True)), ["早餐"])

    def test_ending_needs_a_note(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(
            reverse("care:isolation_end", args=[self.isolation.pk]), {"note": ""}, follow=True
        )
        self.assertContains(response, "请说明解除隔离的情况")
        self.assertTrue(Isolation.objects.get().is_active)

    def test_the_list_comes_a_page_at_a_time_the_soonest_to_end_first(self):
        later = isolate(
            self,
            self.student_b,
            dorm_room=None,
            room=self.isolation_room,
            planned_end=dt.date(2022, 4, 28),
            acting_user=self.leader,
        )
        self.login(self.leader)
        with patch("shouwang.care.views.ISOLATIONS_PER_PAGE", 1):
            first = self.client.get(reverse("care:isolation_list"))
            second = self.client.get(reverse("care:isolation_list"), {"page": 2})
        self.assertEqual(list(first.context["page"]), [self.isolation])
        self.assertEqual(list(second.context["page"]), [later])
        self.assertContains(first, 'data-testid="active-count">2<')

    def test_the_list_shows_the_counsellors_students_only(self):
        self.login(self.counsellor_b_user)
        self.assertNotContains(self.client.get(reverse("care:isolation_list")), "张三")
        self.login(self.counsellor_a_user)
        self.assertContains(self.client.get(reverse("care:isolation_list")), "张三")


class RoomCapacityUnderConcurrencyTestCase(CarePlan, TransactionTestCase):
    """Two counsellors fill the last bed at the same moment: one wins, on
    PostgreSQL (the row lock) and on SQLite (immediate transactions) alike."""

    def setUp(self):
        self.create_personas()
        make_plan(self)

    def test_two_placements_into_a_room_for_one_fill_it_once(self):
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def place(person, user):
            try:
                start.wait()
                isolate(self, person, dorm_room=None, room=self.isolation_room, acting_user=user)
                outcomes.append("placed")
            except actions.RoomFull:
                outcomes.append("full")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=place, args=(self.student_a, self.counsellor_a_user)),
            threading.Thread(target=place, args=(self.student_b, self.counsellor_b_user)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["full", "placed"])
        self.assertEqual(Isolation.objects.filter(room=self.isolation_room).count(), 1)

    def test_a_room_for_two_takes_both(self):
        self.isolation_room.capacity = 2
        self.isolation_room.save(update_fields=["capacity"])
        isolate(self, self.student_a, dorm_room=None, room=self.isolation_room)
        isolate(self, self.student_b, dorm_room=None, room=self.isolation_room)
        with self.assertRaises(actions.RoomFull):
            isolate(self, self.volunteer_person, dorm_room=None, room=self.isolation_room)
        self.assertEqual(Isolation.objects.count(), 2)
        _ = dt
