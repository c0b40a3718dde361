import datetime as dt
import json
import re

from django.urls import reverse
from django.utils import translation

from shouwang.checkins.tests.base import TODAY, YESTERDAY, IncidentTestCase
from shouwang.reports import cockpit

from .cockpit_data import CockpitData, populate


class CockpitTestCase(CockpitData, IncidentTestCase):
    """The personas' college A and college B, with every module's rows (see cockpit_data)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        populate(cls)
        # The URLs are loaded before the tests' clock is frozen: the API's
        # schemas cannot be built while freezegun stands in for dates.
        reverse("reports:cockpit")

    def setUp(self):
        super().setUp()
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        # The figures built outside a request speak the default language.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def values(self, built: cockpit.Cockpit) -> dict[str, object]:
        return {
            f"{panel.key}.{figure.key}": figure.value
            for panel in built.panels
            for figure in panel.figures
        }

    def series(self, built: cockpit.Cockpit, key: str) -> dict[dt.date, object]:
        """A series' value on each of the last four days."""
        panel_key, series_key = key.split(".")
        [series] = [s for s in built.panel(panel_key).series if s.key == series_key]
        return dict(list(zip(built.days, series.values, strict=True))[-4:])


class FiguresTestCase(CockpitTestCase):
    def test_it_counts_every_module_of_the_leaders_college_today(self):
        built = cockpit.build(self.leader)
        self.assertEqual(built.day, TODAY)
        self.assertEqual(built.incident, self.incident)
        self.assertEqual(
            self.values(built),
            {
                "checkins.reported": 3,
                "checkins.missing": 6,
                "screening.flags": 2,
                "screening.open_flags": 1,
                "care.isolated": 1,
                "care.delivered": 1,
                "care.missed": 0,
                "helpdesk.open": 2,
                "helpdesk.overdue": 1,
                "teaching.held": 2,
                "teaching.attendance": 75.0,
                "workplan.late": 1,
                "supplies.low": 1,
                "volunteers.on_site": 1,
                "volunteers.remote": 1,
            },
        )
        self.assertEqual(built.figure("checkins.reported").note, "of 9 expected (33%)")
        self.assertEqual(built.figure("care.delivered").note, "of 2")
        self.assertEqual(built.figure("teaching.attendance").note, "1 absence")

    def test_each_trend_counts_the_days_before_as_they_stood_then(self):
        built = cockpit.build(self.leader)
        days = [TODAY - dt.timedelta(days=n) for n in (3, 2, 1, 0)]

        def by_day(*values):
            return dict(zip(days, values, strict=True))

        # The incident began on 4月8日 (its first day: nobody had checked in).
        self.assertEqual(self.series(built, "checkins.missing"), by_day(9, 9, 4, 6))
        self.assertEqual(self.series(built, "checkins.percent"), by_day(0, 0, 55, 33))
        self.assertEqual(self.series(built, "screening.flags"), by_day(0, 0, 1, 2))
        self.assertEqual(self.series(built, "screening.open_flags"), by_day(0, 0, 1, 1))
        self.assertEqual(self.series(built, "care.isolated"), by_day(1, 2, 1, 1))
        self.assertEqual(self.series(built, "care.meals"), by_day(0, 0, 3, 2))
        self.assertEqual(self.series(built, "care.missed"), by_day(0, 0, 1, 0))
        # 4月9日's two were open that night, neither overdue yet; one was
        # resolved on 4月11日, another submitted on 4月12日.
        self.assertEqual(self.series(built, "helpdesk.open"), by_day(2, 2, 1, 2))
        self.assertEqual(self.series(built, "helpdesk.overdue"), by_day(0, 1, 1, 1))
        self.assertEqual(self.series(built, "teaching.held"), by_day(0, 0, 1, 2))
        self.assertEqual(self.series(built, "teaching.absent"), by_day(0, 0, 0, 1))
        self.assertEqual(self.series(built, "workplan.late"), by_day(1, 2, 1, 1))
        self.assertEqual(self.series(built, "supplies.low"), by_day(2, 1, 2, 1))
        self.assertEqual(self.series(built, "volunteers.on_site"), by_day(0, 0, 1, 1))

    def test_the_trend_covers_fourteen_days_and_none_before_the_incident(self):
        built = cockpit.build(self.leader)
        self.assertEqual(len(built.days), 14)
        self.assertEqual(built.days[-1], TODAY)
        missing = self.series(built, "checkins.missing")
        self.assertEqual(list(missing.values()), [9, 9, 4, 6])
        [percent] = [s for s in built.panel("checkins").series if s.key == "percent"]
        # Before 4月8日 nobody was asked to check in: no value, not zero.
        self.assertEqual(percent.values[:9], [None] * 9)

    def test_a_past_day_is_counted_as_it_stood_then(self):
        built = cockpit.build(self.leader, YESTERDAY)
        values = self.values(built)
        self.assertEqual(values["checkins.reported"], 5)
        self.assertEqual(values["care.missed"], 1)
        self.assertEqual(values["helpdesk.open"], 1)
        self.assertEqual(values["supplies.low"], 2)
        self.assertEqual(built.days[-1], YESTERDAY)


class ScopeTestCase(CockpitTestCase):
    def test_the_other_colleges_leader_counts_their_college_only(self):
        values = self.values(cockpit.build(self.leader_b))
        self.assertEqual(values["checkins.reported"], 1)
        self.assertEqual(values["checkins.missing"], 2)
        self.assertEqual(values["screening.flags"], 1)
        self.assertEqual(values["care.isolated"], 1)
        self.assertEqual(values["care.missed"], 1)
        self.assertEqual(values["helpdesk.open"], 1)
        self.assertEqual(values["teaching.held"], 1)
        self.assertEqual(values["teaching.attendance"], 0.0)
        self.assertEqual(values["workplan.late"], 1)
        self.assertEqual(values["supplies.low"], 1)
        self.assertEqual(values["volunteers.on_site"], 1)

    def test_the_universitys_leader_and_the_admin_count_both_colleges(self):
        for user in (self.university_leader, self.admin):
            with self.subTest(user=user.username):
                values = self.values(cockpit.build(user))
                self.assertEqual(values["checkins.reported"], 4)
                self.assertEqual(values["checkins.missing"], 8)
                self.assertEqual(values["screening.flags"], 3)
                self.assertEqual(values["care.isolated"], 2)
                self.assertEqual(values["helpdesk.open"], 3)
                self.assertEqual(values["teaching.held"], 3)
                self.assertEqual(values["workplan.late"], 2)
                self.assertEqual(values["supplies.low"], 2)
                self.assertEqual(values["volunteers.on_site"], 2)


class DrillDownTestCase(CockpitTestCase):
    """Each figure's link opens its module's list, showing exactly the rows counted."""

    def open(self, built: cockpit.Cockpit, key: str):
        url = built.figure(key).url
        assert url is not None, key  # noqa: S101
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_every_figure_of_today_leads_to_a_list(self):
        built = cockpit.build(self.leader)
        for panel in built.panels:
            for figure in panel.figures:
                with self.subTest(figure=f"{panel.key}.{figure.key}"):
                    self.assertTrue(figure.links)

    def test_the_lists_show_exactly_what_the_leader_counted(self):
        self.login(self.leader)
        built = cockpit.build(self.leader)
        missing = self.open(built, "checkins.missing").context["page"]
        self.assertEqual(missing.paginator.count, 6)
        self.assertNotIn(self.student_a, list(missing))
        self.assertNotIn(self.student_c, list(missing))
        compliance = self.open(built, "checkins.reported").context["total"]
        self.assertEqual((compliance.expected, compliance.reported), (9, 3))
        flags = [flag for flag, _outcome in self.open(built, "screening.flags").context["rows"]]
        self.assertEqual({f.person for f in flags}, {self.student_a, self.student_b})
        open_flags = self.open(built, "screening.open_flags").context["rows"]
        self.assertEqual([flag.person for flag, _outcome in open_flags], [self.student_a])
        self.assertEqual(list(self.open(built, "care.isolated").context["page"]), [self.isolated_a])
        self.assertEqual(self.stops(self.open(built, "care.delivered")), 2)
        self.assertEqual(self.stops(self.open(built, "care.missed")), 0)
        opened = self.open(built, "helpdesk.open").context["page"]
        self.assertEqual(set(opened), {self.open_request, self.overdue_request})
        overdue = self.open(built, "helpdesk.overdue").context["page"]
        self.assertEqual(list(overdue), [self.overdue_request])
        held = self.open(built, "teaching.held").context
        self.assertEqual(held["page"].paginator.count, 2)
        self.assertEqual({row.lesson.status for row, _taken in held["rows"]}, {"held"})
        # The attendance figure: every row of the day's lessons, whatever their status.
        taken = [taken for _row, taken in self.open(built, "teaching.attendance").context["rows"]]
        attended = sum(t.attended for t in taken)
        self.assertEqual(100 * attended / sum(t.rows for t in taken), 75.0)
        listed = self.open(built, "workplan.late").context["listed"]
        self.assertEqual(list(listed), [self.late_measure])
        low = self.open(built, "supplies.low").context["low"]
        self.assertEqual(
            [(level.store, level.item) for level in low], [(self.store, self.sanitizer)]
        )
        on_site = self.open(built, "volunteers.on_site").context["page"]
        self.assertEqual([row.person for row in on_site], [self.counsellor_a])
        remote = self.open(built, "volunteers.remote").context["page"]
        self.assertEqual([row.person for row in remote], [self.teacher_person])

    def stops(self, response) -> int:
        return len(re.findall(r'data-testid="stop"', response.content.decode()))

    def test_yesterdays_missed_meal_is_on_yesterdays_list_of_missed_meals(self):
        self.login(self.leader)
        built = cockpit.build(self.leader, YESTERDAY)
        response = self.open(built, "care.missed")
        self.assertEqual(self.stops(response), 1)
        self.assertContains(response, reverse("care:delivery_detail", args=[self.missed_meal.pk]))

    def test_a_past_day_leads_to_no_list_of_how_things_stand_now(self):
        built = cockpit.build(self.leader, YESTERDAY)
        for key in (
            "care.isolated",
            "helpdesk.open",
            "helpdesk.overdue",
            "workplan.late",
            "supplies.low",
        ):
            with self.subTest(figure=key):
                self.assertEqual(built.figure(key).links, [])
        self.assertIn("date=2022-04-11", built.figure("checkins.missing").url or "")

    def test_the_other_colleges_leader_opens_lists_of_their_college(self):
        self.login(self.leader_b)
        built = cockpit.build(self.leader_b)
        missing = self.open(built, "checkins.missing").context["page"]
        self.assertEqual(missing.paginator.count, 2)
        self.assertNotIn(self.student_a, list(missing))
        flags = [flag for flag, _outcome in self.open(built, "screening.flags").context["rows"]]
        self.assertEqual([flag.person for flag in flags], [self.student_c])
        self.assertEqual(list(self.open(built, "care.isolated").context["page"]), [self.isolated_c])


class PageTestCase(CockpitTestCase):
    def found(self, pattern: str, html: str) -> str:
        match = re.search(pattern, html, re.S)
        assert match is not None, pattern  # noqa: S101
        return match.group(1)

    def test_a_leader_reads_every_module_with_its_table_for_phones_without_javascript(self):
        self.login(self.leader)
        response = self.client.get(reverse("reports:cockpit"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for key in cockpit.MODULES:
            with self.subTest(panel=key):
                self.assertIn(f'data-testid="panel-{key}"', html)
                self.assertIn(f'data-testid="table-{key}"', html)
                self.assertIn(f'id="chart-{key}"', html)
                self.assertIn(reverse("reports:module", args=[key]), html)
        # The table holds the figures the chart draws: 14 days, newest first.
        table = self.found(r'data-testid="table-checkins">(.*?)</table>', html)
        self.assertEqual(table.count("<tr>"), 15)
        self.assertRegex(table, r"April 12</th><td>33</td><td>6</td>")
        self.assertContains(response, "vendor/echarts-6.1.0/echarts.common.min.js")
        # No inline script: the data comes as JSON, the code from a file.
        self.assertNotIn("<script>", html)

    def test_the_charts_data_is_the_trend(self):
        self.login(self.leader)
        html = self.client.get(reverse("reports:cockpit")).content.decode()
        data = json.loads(
            self.found(r'<script id="chart-helpdesk" type="application/json">(.*?)</script>', html)
        )
        self.assertEqual(data["labels"][-2:], ["4/11", "4/12"])
        self.assertEqual([s["name"] for s in data["series"]], ["Still open", "Overdue"])
        self.assertEqual(data["series"][0]["data"][-3:], [2, 1, 2])

    def test_a_past_day_and_an_incident_are_chosen_by_the_query(self):
        self.login(self.leader)
        response = self.client.get(
            reverse("reports:cockpit"), {"incident": str(self.incident.pk), "date": "2022-04-11"}
        )
        self.assertEqual(response.context["cockpit"].day, YESTERDAY)
        self.assertContains(response, "April 11, 2022")

    def test_a_day_to_come_falls_back_to_today(self):
        self.login(self.leader)
        response = self.client.get(reverse("reports:cockpit"), {"date": "2022-04-20"})
        self.assertEqual(response.context["cockpit"].day, TODAY)
        self.assertContains(response, "That day has not come yet.")

    def test_a_module_page_shows_its_panel_over_thirty_days(self):
        self.login(self.leader)
        response = self.client.get(reverse("reports:module", args=["care"]))
        self.assertEqual(response.status_code, 200)
        built = response.context["cockpit"]
        self.assertEqual([panel.key for panel in built.panels], ["care"])
        self.assertEqual(len(built.days), 30)
        self.assertContains(response, 'data-chart-height="360"')
        self.assertEqual(
            self.client.get(reverse("reports:module", args=["nothing"])).status_code, 404
        )

    def test_anyone_but_leaders_and_admins_is_refused(self):
        for user in (self.student, self.counsellor_a_user, self.teacher, self.volunteer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("reports:cockpit")).status_code, 403)
                url = reverse("reports:module", args=["care"])
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_an_incident_outside_the_leaders_reach_is_not_found(self):
        from shouwang.incidents.models import Incident

        other = Incident.objects.create(
            title="会计学院封控", started_at=self.incident.started_at, opened_by=self.leader_b
        )
        other.units.add(self.college_b)
        self.login(self.leader)
        response = self.client.get(reverse("reports:cockpit"), {"incident": other.pk})
        self.assertEqual(response.status_code, 404)

    def test_the_leaders_home_and_menu_lead_to_the_cockpit(self):
        self.login(self.leader)
        home = self.client.get(reverse("home:home"))
        self.assertContains(home, f'href="{reverse("reports:cockpit")}"', count=2)
        self.login(self.student)
        self.assertNotContains(self.client.get(reverse("home:home")), reverse("reports:cockpit"))


class NoIncidentTestCase(IncidentTestCase):
    def test_without_an_incident_the_other_modules_still_count(self):
        self.incident.delete()
        self.login(self.leader)
        response = self.client.get(reverse("reports:cockpit"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        built = response.context["cockpit"]
        self.assertIsNone(built.incident)
        self.assertEqual(built.panel("checkins").figures, [])
        self.assertContains(response, "No incident: nobody is asked to check in.")
        self.assertEqual(built.figure("helpdesk.open").value, 0)
