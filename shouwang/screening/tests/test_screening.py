import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn
from shouwang.checkins.tests.base import (
    NOW,
    STARTED,
    TODAY,
    YESTERDAY,
    IncidentTestCase,
    check_in,
)
from shouwang.checkins.tests.test_checkin import CheckInTestCase, beijing
from shouwang.core.audit import access_log_for
from shouwang.core.models import LogEntry
from shouwang.people.models import AdminClass
from shouwang.screening import actions, rules
from shouwang.screening.models import Flag, FlagAction, RiskRegion
from shouwang.test import make_person

Reason = Flag.Reason


class FlagCheckinTestCase(IncidentTestCase):
    def reasons(self, **fields) -> list[str]:
        checkin = check_in(self.student_a, self.incident, **fields)
        rules.flag_checkin(checkin)
        return sorted(Flag.objects.filter(person=self.student_a).values_list("reason", flat=True))

    def test_symptoms_raise_a_flag(self):
        self.assertEqual(self.reasons(symptoms=["cough", "fatigue"]), [Reason.SYMPTOMS])

    def test_a_temperature_of_37_3_raises_a_flag(self):
        self.assertEqual(self.reasons(temperature=Decimal("37.3")), [Reason.FEVER])

    def test_a_temperature_of_37_2_does_not(self):
        self.assertEqual(self.reasons(temperature=Decimal("37.2")), [])

    def test_contact_with_a_case_raises_a_flag(self):
        self.assertEqual(self.reasons(contact_with_case=True), [Reason.CONTACT])

    def test_a_stay_in_a_risk_area_raises_a_flag(self):
        self.assertEqual(self.reasons(stayed_in_risk_area=True), [Reason.RISK_AREA])

    def test_being_off_campus_in_a_city_marked_risky_raises_a_flag(self):
        RiskRegion.objects.create(incident=self.incident, province="14", city="1401")
        self.assertEqual(
            self.reasons(location="home", province="14", city="1401"), [Reason.RISK_REGION]
        )

    def test_a_whole_province_marked_risky_covers_its_cities(self):
        RiskRegion.objects.create(incident=self.incident, province="14")
        self.assertEqual(
            self.reasons(location="elsewhere", province="14", city="1402"), [Reason.RISK_REGION]
        )

    def test_another_city_of_the_province_is_not_risky(self):
        RiskRegion.objects.create(incident=self.incident, province="14", city="1401")
        self.assertEqual(self.reasons(location="home", province="14", city="1402"), [])

    def test_a_region_marked_for_another_incident_does_not_count(self):
        other = type(self.incident).objects.create(title="洪水", started_at=STARTED)
        RiskRegion.objects.create(incident=other, province="14")
        self.assertEqual(self.reasons(location="home", province="14", city="1401"), [])

    def test_a_normal_check_in_raises_nothing(self):
        self.assertEqual(self.reasons(temperature=Decimal("36.5")), [])

    def test_raising_twice_makes_one_flag(self):
        checkin = check_in(self.student_a, self.incident, symptoms=["cough"])
        rules.flag_checkin(checkin)
        rules.flag_checkin(checkin)
        self.assertEqual(Flag.objects.count(), 1)


class FlagMissedTestCase(IncidentTestCase):
    def test_two_missed_days_in_a_row_raise_a_flag(self):
        check_in(self.student_b, self.incident, YESTERDAY)
        check_in(self.student_b, self.incident, TODAY)
        check_in(self.student_a, self.incident, TODAY - dt.timedelta(days=2))
        rules.flag_missed(self.incident, TODAY)
        flagged = set(
            Flag.objects.filter(reason=Reason.MISSED, date=TODAY).values_list("person", flat=True)
        )
        self.assertIn(self.student_a.pk, flagged)
        self.assertNotIn(self.student_b.pk, flagged)

    def test_one_missed_day_does_not(self):
        check_in(self.student_a, self.incident, YESTERDAY)
        rules.flag_missed(self.incident, TODAY)
        self.assertFalse(Flag.objects.filter(person=self.student_a).exists())

    def test_the_first_day_of_the_incident_has_no_day_before(self):
        self.assertEqual(rules.flag_missed(self.incident, STARTED.date()), 0)
        self.assertFalse(Flag.objects.exists())


class NothingAutoResolvesTestCase(IncidentTestCase):
    def test_later_good_news_leaves_a_flag_open(self):
        checkin = check_in(self.student_a, self.incident, YESTERDAY, temperature=Decimal("38.1"))
        rules.flag_checkin(checkin)
        checkin = check_in(self.student_a, self.incident, TODAY, temperature=Decimal("36.4"))
        rules.flag_checkin(checkin)
        rules.flag_missed(self.incident, TODAY)
        flag = Flag.objects.get(person=self.student_a)
        self.assertIsNone(flag.resolved_at)
        self.assertFalse(flag.actions.exists())

    def test_unmarking_a_region_leaves_its_flags_open(self):
        check_in(self.student_a, self.incident, location="home", province="14", city="1401")
        region = actions.mark_risk_region(self.incident, "14", acting_user=self.leader)
        actions.unmark_risk_region(region, acting_user=self.leader)
        flag = Flag.objects.get(person=self.student_a, reason=Reason.RISK_REGION)
        self.assertIsNone(flag.resolved_at)


class MarkRiskRegionTestCase(IncidentTestCase):
    def test_it_flags_todays_check_ins_already_made_from_there_and_audits(self):
        check_in(self.student_a, self.incident, location="home", province="14", city="1401")
        check_in(self.student_b, self.incident, location="campus", province="14", city="1401")
        check_in(self.volunteer_person, self.incident, location="home", province="14", city="1402")
        actions.mark_risk_region(self.incident, "14", "1401", acting_user=self.leader)
        flagged = Flag.objects.filter(reason=Reason.RISK_REGION).values_list("person", flat=True)
        self.assertEqual(list(flagged), [self.student_a.pk])
        entry = LogEntry.objects.get(kind="screening.risky_region_marked")
        self.assertEqual(entry.actor, self.leader)
        self.assertEqual(entry.additional_data["flagged"], 1)

    def test_marking_twice_is_one_region(self):
        actions.mark_risk_region(self.incident, "14", acting_user=self.leader)
        actions.mark_risk_region(self.incident, "14", acting_user=self.leader)
        self.assertEqual(RiskRegion.objects.count(), 1)


class RiskRegionsViewTestCase(IncidentTestCase):
    url = reverse("screening:risk_regions")

    def test_a_leader_marks_a_city_and_unmarks_it(self):
        self.login(self.leader)
        response = self.client.post(f"{self.url}?incident={self.incident.pk}", {"region": "1401"})
        self.assertRedirects(response, f"{self.url}?incident={self.incident.pk}")
        region = RiskRegion.objects.get()
        self.assertEqual(
            (region.province, region.city, region.marked_by), ("14", "1401", self.leader)
        )
        self.assertContains(self.client.get(self.url), "太原市")
        self.client.post(self.url, {"unmark": region.pk})
        self.assertFalse(RiskRegion.objects.exists())
        self.assertTrue(LogEntry.objects.filter(kind="screening.risky_region_unmarked"))

    def test_a_whole_province_is_marked_without_a_city(self):
        self.login(self.admin)
        self.client.post(self.url, {"region": "14"})
        self.assertEqual(RiskRegion.objects.get().city, "")

    def test_an_unknown_region_is_refused(self):
        self.login(self.leader)
        response = self.client.post(self.url, {"region": "99"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["mark_form"].errors)
        self.assertFalse(RiskRegion.objects.exists())

    def test_counsellors_and_students_are_refused(self):
        for user in (self.counsellor_a_user, self.student):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(self.url, {"region": "14"}).status_code, 403)
        self.assertFalse(RiskRegion.objects.exists())


class FlagTestCase(IncidentTestCase):
    flag_a: Flag
    flag_b: Flag

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flag_a = Flag.objects.create(
            person=cls.student_a, incident=cls.incident, date=TODAY, reason=Reason.FEVER
        )
        cls.flag_b = Flag.objects.create(
            person=cls.student_b, incident=cls.incident, date=TODAY, reason=Reason.SYMPTOMS
        )


class FlagListTestCase(FlagTestCase):
    url = reverse("screening:flag_list")

    def flags(self, user, **query) -> list[Flag]:
        self.login(user)
        response = self.client.get(self.url, query)
        self.assertEqual(response.status_code, 200)
        return [flag for flag, _outcome in response.context["rows"]]

    def test_a_counsellor_sees_the_open_flags_of_their_classes(self):
        self.assertEqual(self.flags(self.counsellor_a_user), [self.flag_a])
        self.assertEqual(self.flags(self.counsellor_b_user), [self.flag_b])

    def test_a_leader_sees_all_and_filters_by_reason(self):
        self.assertEqual(len(self.flags(self.leader)), 2)
        self.assertEqual(self.flags(self.leader, reason="fever"), [self.flag_a])
        self.assertEqual(self.flags(self.leader, **{"class": self.class_b.pk}), [self.flag_b])

    def test_a_leader_filters_by_unit_rather_than_from_a_list_of_every_class(self):
        self.assertEqual(len(self.flags(self.leader, unit=self.college.pk)), 2)
        # The university lies above the college leader's reach.
        response = self.client.get(self.url, {"unit": self.university.pk})
        self.assertEqual(response.status_code, 404)
        response = self.client.get(self.url)
        self.assertContains(response, '<input type="hidden" name="admin_class"')
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url)
        self.assertContains(response, '<select name="admin_class"')
        self.assertNotContains(response, 'name="unit"')

    def test_resolved_flags_leave_the_open_list(self):
        actions.record_flag_action(
            self.flag_a, outcome="cleared", note="复测正常", acting_user=self.leader
        )
        self.assertEqual(self.flags(self.leader), [self.flag_b])
        self.assertEqual(self.flags(self.leader, status="resolved"), [self.flag_a])
        self.assertEqual(len(self.flags(self.leader, status="all")), 2)

    def test_another_counsellors_class_is_404(self):
        self.login(self.counsellor_b_user)
        response = self.client.get(self.url, {"class": self.class_a.pk})
        self.assertEqual(response.status_code, 404)

    def test_students_and_volunteers_are_refused(self):
        for user in (self.student, self.volunteer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_its_query_count_does_not_grow_with_flags_or_classes(self):
        def queries() -> int:
            self.login(self.leader)
            with CaptureQueriesContext(connection) as captured:
                self.client.get(self.url)
            return len(captured)

        before = queries()
        for c in range(4):
            admin_class = AdminClass.objects.create(name=f"新班{c}", counsellor=self.counsellor_b)
            person = make_person(
                f"20220{c}", f"学生{c}", unit=self.college, admin_class=admin_class
            )
            flag = Flag.objects.create(
                person=person, incident=self.incident, date=TODAY, reason=Reason.CONTACT
            )
            FlagAction.objects.create(flag=flag, outcome="contacted", by=self.leader)
        self.assertEqual(queries(), before)


class FlagDetailTestCase(FlagTestCase):
    def url(self, flag: Flag) -> str:
        return reverse("screening:flag_detail", args=[flag.pk])

    def test_it_shows_the_flag_and_the_persons_recent_check_ins_and_audits(self):
        check_in(self.student_a, self.incident, YESTERDAY, temperature=Decimal("36.6"))
        check_in(self.student_a, self.incident, TODAY, temperature=Decimal("38.2"))
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url(self.flag_a))
        self.assertContains(response, "38.2")
        self.assertContains(response, "36.6")
        self.assertEqual([c.date for c, _s in response.context["checkins"]], [TODAY, YESTERDAY])
        entry = access_log_for(self.student_a).get()
        self.assertEqual(
            (entry.kind, entry.additional_data), ("screening.flag_viewed", {"flag": self.flag_a.pk})
        )

    def test_a_counsellor_records_what_was_done_with_a_note(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(
            self.url(self.flag_a), {"outcome": "contacted", "note": "电话联系，复测36.8"}
        )
        self.assertRedirects(response, self.url(self.flag_a))
        action = self.flag_a.actions.get()
        self.assertEqual(
            (action.outcome, action.note, action.by),
            ("contacted", "电话联系，复测36.8", self.counsellor_a_user),
        )
        self.assertEqual(action.at, NOW)
        self.flag_a.refresh_from_db()
        self.assertIsNone(self.flag_a.resolved_at)  # contacting is not settling
        entry = LogEntry.objects.get(kind="screening.flag_action")
        self.assertEqual(entry.actor, self.counsellor_a_user)
        self.assertEqual(entry.additional_data["outcome"], "contacted")
        self.assertContains(self.client.get(self.url(self.flag_a)), "电话联系，复测36.8")

    def test_clearing_or_referring_resolves_the_flag(self):
        self.login(self.counsellor_a_user)
        self.client.post(self.url(self.flag_a), {"outcome": "referred", "note": "转隔离观察"})
        self.flag_a.refresh_from_db()
        self.assertEqual(self.flag_a.resolved_at, NOW)
        self.login(self.leader)
        with freeze_time(NOW + dt.timedelta(hours=1)):
            self.client.post(self.url(self.flag_b), {"outcome": "cleared", "note": "已排除"})
        self.flag_b.refresh_from_db()
        self.assertEqual(self.flag_b.resolved_at, NOW + dt.timedelta(hours=1))

    def test_a_later_action_keeps_the_first_resolution_time(self):
        actions.record_flag_action(
            self.flag_a, outcome="cleared", note="已排除", acting_user=self.leader
        )
        with freeze_time(NOW + dt.timedelta(days=1)):
            actions.record_flag_action(
                self.flag_a, outcome="contacted", note="回访", acting_user=self.leader
            )
        self.flag_a.refresh_from_db()
        self.assertEqual(self.flag_a.resolved_at, NOW)
        self.assertEqual(self.flag_a.actions.count(), 2)

    def test_it_asks_for_a_note_and_records_nothing_without_one(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url(self.flag_a), {"outcome": "cleared", "note": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "invalid-feedback")
        self.assertFalse(FlagAction.objects.exists())
        self.flag_a.refresh_from_db()
        self.assertIsNone(self.flag_a.resolved_at)

    def test_another_counsellors_flag_is_404_and_leaves_no_trace(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url(self.flag_a)).status_code, 404)
        response = self.client.post(self.url(self.flag_a), {"outcome": "cleared", "note": "x"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(FlagAction.objects.exists())
        self.assertEqual(access_log_for(self.student_a).count(), 0)

    def test_the_student_is_refused_their_own_flag(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url(self.flag_a)).status_code, 403)

    def test_a_flag_resolved_by_someone_without_a_login_still_opens(self):
        # Follow-ups recorded for a counsellor who has no login, or whose
        # login was deleted since, have no author.
        FlagAction.objects.create(flag=self.flag_a, outcome="cleared", note="复测正常", by=None)
        RiskRegion.objects.create(incident=self.incident, province="31", marked_by=None)
        self.flag_a.resolved_at = NOW
        self.flag_a.save(update_fields=["resolved_at"])
        self.login(self.counsellor_a_user)
        self.assertContains(self.client.get(self.url(self.flag_a)), "复测正常")
        timeline = self.client.get(reverse("screening:timeline", args=[self.student_a.pk]))
        self.assertContains(timeline, "复测正常")
        self.login(self.leader)
        self.assertEqual(self.client.get(reverse("screening:risk_regions")).status_code, 200)


class TimelineTestCase(FlagTestCase):
    def url(self, person) -> str:
        return reverse("screening:timeline", args=[person.pk])

    def test_it_lists_check_ins_flags_and_actions_in_date_order_and_audits(self):
        at = dt.datetime.combine(YESTERDAY, dt.time(7, 30), tzinfo=NOW.tzinfo)
        check_in(self.student_a, self.incident, YESTERDAY, at=at, temperature=Decimal("36.5"))
        check_in(self.student_a, self.incident, TODAY, temperature=Decimal("38.0"))
        Flag.objects.filter(pk=self.flag_a.pk).update(created_at=NOW - dt.timedelta(minutes=50))
        actions.record_flag_action(
            self.flag_a, outcome="contacted", note="已电话联系", acting_user=self.counsellor_a_user
        )
        self.login(self.counsellor_a_user)
        response = self.client.get(self.url(self.student_a))
        events = response.context["events"]
        self.assertEqual(
            [(event.kind, event.at) for event in events],
            [
                ("checkin", at),
                ("checkin", dt.datetime.combine(TODAY, dt.time(8, 0), tzinfo=NOW.tzinfo)),
                ("flag", NOW - dt.timedelta(minutes=50)),
                ("action", NOW),
            ],
        )
        self.assertContains(response, "已电话联系")
        entry = access_log_for(self.student_a).get()
        self.assertEqual(
            (entry.actor, entry.kind), (self.counsellor_a_user, "screening.timeline_viewed")
        )

    def test_it_takes_a_fixed_number_of_queries(self):
        for day in range(4):
            check_in(self.student_a, self.incident, STARTED.date() + dt.timedelta(days=day))
        self.login(self.leader)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url(self.student_a))
        FlagAction.objects.create(flag=self.flag_a, outcome="contacted", by=self.leader)
        Flag.objects.create(
            person=self.student_a, incident=self.incident, date=YESTERDAY, reason=Reason.MISSED
        )
        with self.assertNumQueries(len(few)):
            self.client.get(self.url(self.student_a))

    def test_another_counsellors_student_is_404_and_not_audited(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.url(self.student_a)).status_code, 404)
        self.assertEqual(access_log_for(self.student_a).count(), 0)

    def test_students_are_refused_even_their_own(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url(self.student_a)).status_code, 403)

    def test_its_old_address_redirects_for_good(self):
        # Before screening had its own addresses, the timeline was under people/.
        old = f"/people/{self.student_a.pk}/timeline/"
        response = self.client.get(old)
        self.assertRedirects(
            response, self.url(self.student_a), status_code=301, fetch_redirect_response=False
        )
        self.login(self.counsellor_a_user)
        response = self.client.get(old, follow=True)
        self.assertEqual(response.redirect_chain, [(self.url(self.student_a), 301)])
        self.assertEqual(response.context["person"], self.student_a)


@freeze_time(beijing(2022, 4, 15, 8, 31))
class StoredCheckInTestCase(CheckInTestCase):
    """Screening's hook on the check-in: each submission stored is screened."""

    def reasons(self) -> set[str]:
        return set(Flag.objects.filter(person=self.student_a).values_list("reason", flat=True))

    def test_each_submission_raises_the_flags_it_calls_for(self):
        self.accept()
        self.login(self.student)
        self.submit(health="unwell", symptoms=["fever", "cough"], temperature="38.2")
        self.assertEqual(self.reasons(), {Flag.Reason.SYMPTOMS, Flag.Reason.FEVER})
        self.submit(health="unwell", symptoms=["cough"], contact_with_case="yes")
        self.assertEqual(
            self.reasons(), {Flag.Reason.SYMPTOMS, Flag.Reason.FEVER, Flag.Reason.CONTACT}
        )
        self.assertEqual(CheckIn.objects.count(), 1)

    def test_off_campus_in_a_risky_region_is_flagged_as_it_comes_in(self):
        RiskRegion.objects.create(incident=self.incident, province="14")
        self.accept()
        self.login(self.student)
        self.submit(location="home", province="14", city="1401")
        self.assertEqual(self.reasons(), {Flag.Reason.RISK_REGION})
