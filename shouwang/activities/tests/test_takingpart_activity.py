"""An activity's page, and opening and changing an activity: leaders in
full, organisers its rules and dates."""

import datetime as dt

from django.urls import reverse

from shouwang.activities import actions
from shouwang.activities.models import Activity
from shouwang.core.models import LogEntry
from shouwang.lib import clock

from .takingpart import TakingPartTestCase, png


class ActivityPageTests(TakingPartTestCase):
    def page(self, user, activity=None):
        self.login(user)
        return self.client.get(
            reverse("activities:activity_detail", args=[(activity or self.contest).pk])
        )

    def test_a_student_signed_up_sees_their_sign_up_and_the_entry_button(self):
        page = self.page(self.student)
        self.assertContains(page, "You are signed up.")
        self.assertContains(page, reverse("activities:entry_form", args=[self.contest.pk]))
        self.assertContains(page, 'data-testid="withdraw"')
        self.assertNotContains(page, 'data-testid="signups"')

    def test_a_student_not_signed_up_may_sign_up_alone_or_as_a_team(self):
        page = self.page(self.student_b_user)
        self.assertContains(page, reverse("activities:signup", args=[self.contest.pk]))
        self.assertContains(page, reverse("activities:team_form", args=[self.contest.pk]))

    def test_a_student_who_may_not_join_is_told_why(self):
        self.contest.audience = Activity.Audience.CLASSES
        actions.save_activity(self.contest, classes=[self.class_a], acting_user=self.leader)
        page = self.page(self.student_b_user)
        self.assertContains(page, "This activity is not open to your class.")
        self.assertNotContains(page, reverse("activities:signup", args=[self.contest.pk]))

    def test_a_staff_member_who_does_not_run_it_sees_the_rules_and_no_list(self):
        page = self.page(self.counsellor_a_user)
        self.assertContains(page, self.contest.rules)
        self.assertNotContains(page, "张三")
        self.assertNotContains(page, 'data-testid="you"')

    def test_its_runners_see_the_sign_ups_and_entries(self):
        entry = actions.submit_entry(
            self.contest, self.student_a, "团史", [png()], acting_user=self.student
        )
        for user in (self.organiser, self.leader, self.admin):
            page = self.page(user)
            self.assertContains(page, "张三")
            self.assertContains(page, entry.get_absolute_url())
            self.assertContains(page, "1 took part")

    def test_a_student_sees_the_sessions_they_attended(self):
        forum = self.make_activity(title="青年先锋论坛", kind=Activity.Kind.FORUM)
        session = self.make_session(forum)
        session.attendance.create(person=self.student_a, minutes=80)
        page = self.page(self.student, forum)
        self.assertContains(page, "You attended for 80 minutes.")


class ActivityFormTests(TakingPartTestCase):
    url = reverse("activities:activity_form")

    def data(self, **changes):
        today = clock.today()
        data = {
            "title": "“青春之名，百年之约”照片征集",
            "kind": Activity.Kind.COLLECTION,
            "unit": self.college.pk,
            "organiser": "学院团委",
            "organisers": "T1030",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=10)).isoformat(),
            "rules": "以“青春之名，百年之约”为主题。",
            "audience": Activity.Audience.COLLEGE,
            "entries_close_at": (clock.now() + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
            "entry_kinds": [Activity.EntryKind.IMAGE],
            "team_size_max": 1,
            "hours": "1.0",
        }
        data.update(changes)
        return data

    def test_a_leader_opens_an_activity_with_its_organisers(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data())
        activity = Activity.objects.get(title="“青春之名，百年之约”照片征集")
        self.assertRedirects(response, activity.get_absolute_url())
        self.assertEqual(list(activity.organisers.all()), [self.organiser_person])
        self.assertEqual(activity.entry_kinds, ["image"])
        self.assertEqual(activity.created_by, self.leader)
        self.assertTrue(LogEntry.objects.filter(kind="activities.activity_saved").exists())

    def test_an_activity_for_some_classes_names_them(self):
        self.login(self.leader)
        page = self.client.post(self.url, self.data(audience=Activity.Audience.CLASSES))
        self.assertContains(page, "Choose the classes the activity is open to.")
        self.client.post(
            self.url, self.data(audience=Activity.Audience.CLASSES, classes=[self.class_b.pk])
        )
        activity = Activity.objects.get(title="“青春之名，百年之约”照片征集")
        self.assertEqual(list(activity.classes.all()), [self.class_b])

    def test_bad_dates_and_unknown_organisers_are_refused_and_nothing_is_saved(self):
        self.login(self.leader)
        today = clock.today()
        page = self.client.post(
            self.url,
            self.data(ends_on=(today - dt.timedelta(days=1)).isoformat(), organisers="T9999"),
        )
        self.assertContains(page, "The activity ends before it starts.")
        self.assertContains(page, "T9999")
        self.assertFalse(Activity.objects.filter(title="“青春之名，百年之约”照片征集").exists())

    def test_entries_need_a_closing_time(self):
        self.login(self.leader)
        page = self.client.post(self.url, self.data(entries_close_at=""))
        self.assertContains(page, "Say when entries close.")

    def test_only_leaders_and_admins_open_activities(self):
        for user in (self.organiser, self.counsellor_a_user, self.student):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)


class ActivityEditTests(TakingPartTestCase):
    def url(self):
        return reverse("activities:activity_edit", args=[self.contest.pk])

    def test_an_organiser_changes_the_rules_and_dates_only(self):
        self.login(self.organiser)
        page = self.client.get(self.url())
        self.assertNotIn("organisers", page.context["form"].fields)
        self.assertNotIn("audience", page.context["form"].fields)
        ends = clock.today() + dt.timedelta(days=30)
        response = self.client.post(
            self.url(),
            {
                "starts_on": self.contest.starts_on.isoformat(),
                "ends_on": ends.isoformat(),
                "rules": "延期至月底。",
                "entries_close_at": (clock.now() + dt.timedelta(days=25)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
                "signup_closes_at": "",
            },
        )
        self.assertRedirects(response, self.contest.get_absolute_url())
        self.contest.refresh_from_db()
        self.assertEqual((self.contest.ends_on, self.contest.rules), (ends, "延期至月底。"))
        # The organisers stay as they were.
        self.assertEqual(list(self.contest.organisers.all()), [self.organiser_person])

    def test_a_leader_changes_everything(self):
        self.login(self.leader)
        page = self.client.get(self.url())
        self.assertIn("organisers", page.context["form"].fields)
        self.assertContains(page, 'value="T1030"')

    def test_a_leader_of_another_college_may_not(self):
        self.create_other_college()
        self.login(self.leader_b)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
