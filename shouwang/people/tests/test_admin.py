"""The Django admin shows people as the app does: mobiles masked, each
person's page an audited read."""

from django.urls import reverse

from shouwang.core.audit import access_log_for
from shouwang.core.models import LogEntry
from shouwang.people.models import Person
from shouwang.test import BaseTestCase

FULL, MASKED = "13912345678", "139****5678"


class PersonAdminTestCase(BaseTestCase):
    def change_url(self, person: Person) -> str:
        return reverse("admin:people_person_change", args=[person.pk])

    def test_the_list_shows_mobiles_masked(self):
        self.login(self.admin)
        response = self.client.get(reverse("admin:people_person_changelist"))
        self.assertContains(response, MASKED)
        self.assertNotContains(response, FULL)

    def test_the_list_cannot_be_searched_by_mobile(self):
        self.login(self.admin)
        response = self.client.get(reverse("admin:people_person_changelist"), {"q": FULL})
        self.assertNotContains(response, "张三")

    def test_a_persons_page_shows_the_mobile_masked(self):
        self.login(self.admin)
        response = self.client.get(self.change_url(self.student_a))
        self.assertContains(response, MASKED)
        self.assertNotContains(response, FULL)
        self.assertNotContains(response, '5678"')

    def test_a_persons_page_writes_the_apps_audit_row(self):
        self.login(self.admin)
        self.client.get(self.change_url(self.student_a))
        views = access_log_for(self.student_a)
        self.assertEqual(views.count(), 1)
        self.assertEqual(views[0].actor, self.admin)
        self.assertEqual(views[0].kind, "people.person_viewed")

    def change_data(self, person: Person, **fields) -> dict:
        data = {
            "number": person.number,
            "name": person.name,
            "kind": person.kind,
            "gender": person.gender,
            "political_status": person.political_status,
            "unit": person.unit_id or "",
            "grade": person.grade or "",
            "programme": person.programme,
            "degree_level": person.degree_level,
            "admin_class": person.admin_class_id or "",
            "dorm_room": person.dorm_room_id or "",
            "branch": person.branch_id or "",
            "status": person.status,
        }
        data.update(fields)
        return data

    def test_saving_without_a_new_mobile_keeps_the_number(self):
        self.login(self.admin)
        response = self.client.post(
            self.change_url(self.student_a), self.change_data(self.student_a, name="张三丰")
        )
        self.assertEqual(response.status_code, 302)
        self.student_a.refresh_from_db()
        self.assertEqual((self.student_a.name, self.student_a.mobile), ("张三丰", FULL))

    def test_a_new_mobile_replaces_the_number(self):
        self.login(self.admin)
        data = self.change_data(self.student_a, new_mobile="+86 137-0000-1111")
        self.client.post(self.change_url(self.student_a), data)
        self.student_a.refresh_from_db()
        self.assertEqual(self.student_a.mobile, "13700001111")

    def test_a_change_is_recorded_with_the_fields_it_changed_the_mobile_masked(self):
        self.login(self.admin)
        data = self.change_data(self.student_a, name="张三丰", new_mobile="13700001111")
        self.client.post(self.change_url(self.student_a), data, REMOTE_ADDR="10.1.2.3")
        entry = LogEntry.objects.get(kind="people.person_changed")
        self.assertEqual((entry.actor, entry.remote_addr), (self.admin, "10.1.2.3"))
        self.assertEqual(entry.object_id, self.student_a.pk)
        self.assertEqual(
            entry.additional_data["changes"],
            {"name": ["张三", "张三丰"], "mobile": [MASKED, "137****1111"]},
        )
        self.assertNotIn(FULL, str(entry.additional_data))

    def test_saving_with_no_change_records_nothing(self):
        self.login(self.admin)
        self.client.post(self.change_url(self.student_a), self.change_data(self.student_a))
        self.assertFalse(LogEntry.objects.filter(kind="people.person_changed").exists())

    def test_a_person_added_or_deleted_is_recorded(self):
        self.login(self.admin)
        person = Person(number="2020099", name="赵六", kind=Person.Kind.STUDENT)
        add = self.change_data(person, new_mobile="13700002222")
        self.client.post(reverse("admin:people_person_add"), add)
        added = Person.objects.get(number="2020099")
        entry = LogEntry.objects.get_for_object(added).get()
        self.assertEqual(entry.kind, "people.person_created")
        self.assertEqual(entry.additional_data["changes"]["name"], [None, "赵六"])
        self.assertEqual(entry.additional_data["changes"]["mobile"], [None, "137****2222"])
        delete = reverse("admin:people_person_delete", args=[added.pk])
        self.client.post(delete, {"post": "yes"})
        self.assertFalse(Person.objects.filter(pk=added.pk).exists())
        entry = LogEntry.objects.get(kind="people.person_deleted")
        self.assertEqual((entry.object_id, entry.object_repr), (added.pk, "赵六 (2020099)"))

    def test_a_class_renamed_is_recorded(self):
        self.login(self.admin)
        url = reverse("admin:people_adminclass_change", args=[self.class_a.pk])
        data = {
            "name": "计科2001班",
            "grade": self.class_a.grade or "",
            "programme": self.class_a.programme,
            "degree_level": self.class_a.degree_level,
            "unit": self.class_a.unit_id or "",
            "counsellor": self.class_a.counsellor_id or "",
        }
        self.assertEqual(self.client.post(url, data).status_code, 302)
        entry = LogEntry.objects.get(kind="people.class_changed")
        self.assertEqual(entry.additional_data["changes"], {"name": ["计科2001", "计科2001班"]})

    def test_a_bad_new_mobile_is_refused_with_a_clear_error(self):
        self.login(self.admin)
        data = self.change_data(self.student_a, new_mobile="12345")
        response = self.client.post(self.change_url(self.student_a), data)
        self.assertContains(response, "请输入 11 位手机号码")
        self.student_a.refresh_from_db()
        self.assertEqual(self.student_a.mobile, FULL)

    def test_the_user_admin_shows_no_phone(self):
        self.login(self.admin)
        for url in (
            reverse("admin:accounts_user_changelist"),
            reverse("admin:accounts_user_change", args=[self.student.pk]),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, FULL)
