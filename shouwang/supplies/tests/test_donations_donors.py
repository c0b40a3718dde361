"""The donor register: members of the college picked by number or name,
outside donors with a contact; phones masked in lists, the full number read
on purpose and recorded; for leaders, admins and store keepers only."""

from __future__ import annotations

from django.urls import reverse

from shouwang.core.models import LogEntry
from shouwang.supplies import actions
from shouwang.supplies.audit import SuppliesEvent
from shouwang.supplies.models import Donor

from .donations import DonationsTestCase

PHONE = "13812345678"


class DonorsTestCase(DonationsTestCase):
    def setUp(self):
        self.company = actions.save_donor(
            Donor(
                kind=Donor.Kind.COMPANY,
                name="山西某某科技有限公司",
                contact_name="王经理",
                contact_phone=PHONE,
            ),
            acting_user=self.leader,
        )

    def contact_reads(self):
        return LogEntry.objects.filter(kind=SuppliesEvent.DONOR_CONTACT_READ.value)


class DonorListTest(DonorsTestCase):
    def test_it_lists_donors_with_their_phones_masked(self):
        self.client.force_login(self.keeper)
        response = self.client.get(reverse("supplies:donor_list"))
        self.assertContains(response, "山西某某科技有限公司")
        self.assertContains(response, "138****5678")
        self.assertNotContains(response, PHONE)
        self.assertFalse(self.contact_reads().exists())

    def test_it_is_for_those_who_run_supplies(self):
        self.client.force_login(self.donor_user)
        self.assertEqual(self.client.get(reverse("supplies:donor_list")).status_code, 403)
        detail = reverse("supplies:donor_detail", args=[self.company.pk])
        self.assertEqual(self.client.get(detail).status_code, 404)

    def test_it_reads_a_page_in_a_fixed_number_of_queries(self):
        for number in range(5):
            actions.save_donor(
                Donor(kind=Donor.Kind.PARENT, name=f"家长{number}", contact_phone=PHONE),
                acting_user=self.leader,
            )
        actions.donor_for(self.donor_person)
        self.client.force_login(self.leader)
        # The session, the user, their roles, the unit tree, the count, the
        # unread messages, the page.
        with self.assertNumQueries(7):
            self.client.get(reverse("supplies:donor_list"))


class DonorContactTest(DonorsTestCase):
    def test_the_full_number_is_shown_for_a_reason_and_recorded(self):
        self.client.force_login(self.keeper)
        url = reverse("supplies:donor_contact", args=[self.company.pk])
        response = self.client.post(url, {"reason": "确认到货时间"})
        self.assertContains(response, PHONE)
        read = self.contact_reads().get()
        self.assertEqual(read.actor, self.keeper)
        self.assertEqual(read.additional_data["reason"], "确认到货时间")

    def test_no_reason_no_number(self):
        self.client.force_login(self.keeper)
        url = reverse("supplies:donor_contact", args=[self.company.pk])
        response = self.client.post(url, {"reason": ""})
        self.assertNotContains(response, PHONE)
        self.assertFalse(self.contact_reads().exists())

    def test_the_page_shows_the_number_masked(self):
        self.client.force_login(self.leader)
        response = self.client.get(reverse("supplies:donor_detail", args=[self.company.pk]))
        self.assertContains(response, "138****5678")
        self.assertNotContains(response, PHONE)

    def test_opening_the_edit_form_is_a_recorded_read(self):
        self.client.force_login(self.leader)
        response = self.client.get(reverse("supplies:donor_edit", args=[self.company.pk]))
        self.assertContains(response, PHONE)
        self.assertEqual(self.contact_reads().count(), 1)


class DonorFormTest(DonorsTestCase):
    def post(self, data, donor=None):
        self.client.force_login(self.keeper)
        url = (
            reverse("supplies:donor_edit", args=[donor.pk])
            if donor
            else reverse("supplies:donor_new")
        )
        return self.client.post(url, data)

    def test_a_member_is_picked_by_number(self):
        response = self.post({"kind": "person", "person": "2021115", "name": "ignored"})
        donor = Donor.objects.get(person=self.donor_person)
        self.assertRedirects(response, reverse("supplies:donor_detail", args=[donor.pk]))
        self.assertEqual(donor.name, "")
        self.assertEqual(donor.display_name, "梁世婕")

    def test_a_member_is_picked_by_name(self):
        self.post({"kind": "person", "person": "梁世婕"})
        self.assertTrue(Donor.objects.filter(person=self.donor_person).exists())

    def test_a_name_two_people_share_needs_the_number(self):
        from shouwang.test import make_person

        make_person("2022999", "梁世婕", unit=self.college)
        response = self.post({"kind": "person", "person": "梁世婕"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Donor.objects.filter(kind="person").exists())

    def test_a_member_is_in_the_register_once(self):
        actions.donor_for(self.donor_person)
        response = self.post({"kind": "person", "person": "2021115"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Donor.objects.filter(person=self.donor_person).count(), 1)

    def test_an_outside_donor_needs_a_name_and_a_phone(self):
        response = self.post({"kind": "alumni", "name": "张校友"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Donor.objects.filter(name="张校友").exists())
        self.post({"kind": "alumni", "name": "张校友", "contact_phone": "+86 139-1234-5678"})
        self.assertEqual(Donor.objects.get(name="张校友").contact_phone, "13912345678")

    def test_a_phone_must_look_like_one(self):
        response = self.post({"kind": "parent", "name": "李家长", "contact_phone": "微信 lijia"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Donor.objects.filter(name="李家长").exists())

    def test_an_edit_is_saved_and_audited(self):
        self.post(
            {"kind": "company", "name": "山西某某科技有限公司", "contact_phone": "0351-7666000"},
            donor=self.company,
        )
        self.company.refresh_from_db()
        self.assertEqual(self.company.contact_phone, "0351-7666000")
        self.assertTrue(
            LogEntry.objects.filter(
                kind=SuppliesEvent.DONOR_SAVED.value, actor=self.keeper
            ).exists()
        )


class OtherCollegesDonorsTest(DonorsTestCase):
    def test_another_colleges_donors_are_not_in_the_register(self):
        from decimal import Decimal

        self.create_other_college()
        actions.pledge(
            self.company,
            [actions.Pledge(self.suits, Decimal(10))],
            unit=self.college,
            acting_user=self.leader,
        )
        self.client.force_login(self.leader_b)
        self.assertNotContains(
            self.client.get(reverse("supplies:donor_list")), "山西某某科技有限公司"
        )
        detail = reverse("supplies:donor_detail", args=[self.company.pk])
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(detail).status_code, 200)
