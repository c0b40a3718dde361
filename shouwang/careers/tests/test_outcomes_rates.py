"""去向落实率 as the Ministry defines it: the employed (in any form) and those
in further study, over every graduate of the cohort, confirmed destinations
only; in total and by class, major and level."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shouwang.careers import actions, queries
from shouwang.careers.models import Destination, DestinationReport, Graduate, Group
from shouwang.people.models import AdminClass, DegreeLevel

from .outcomes import OutcomesTestCase, make_graduate, place, report

D = Destination


class RatesTests(OutcomesTestCase):
    class_m: AdminClass
    a2: Graduate
    pending: DestinationReport

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.class_m = AdminClass.objects.create(
            name="图情专硕2022",
            grade=2022,
            programme="图书情报",
            degree_level=DegreeLevel.MASTER,
            unit=cls.college,
            counsellor=cls.counsellor_b,
        )
        a1 = make_graduate(cls, "2020002", "陈一", cls.class_a)
        cls.a2 = make_graduate(cls, "2020003", "陈二", cls.class_a)
        b1 = make_graduate(cls, "2021010", "林一", cls.class_b)
        m1 = make_graduate(cls, "2022101", "马一", cls.class_m, level=DegreeLevel.MASTER)
        m2 = make_graduate(cls, "2022102", "马二", cls.class_m, level=DegreeLevel.MASTER)
        a, b = cls.counsellor_a_user, cls.counsellor_b_user
        place(cls.graduate_a, D.AGREEMENT, a)
        place(a1, D.FURTHER_STUDY, a)
        place(cls.graduate_b, D.FREELANCE, b)
        place(b1, D.NOT_SEEKING, b)
        place(m1, D.ABROAD, b)
        place(m2, D.PREPARING_STUDY, b)
        # Reported, not yet confirmed: still seeking work.
        cls.pending = report(cls.a2, D.CONTRACT, cls.office)

    def page(self, user=None, **query):
        self.login(user or self.leader)
        return self.client.get(reverse("careers:rates"), query)

    def table(self, response, index):
        _title, _param, rows = response.context["tables"][index]
        return {row.label: (row.rate.graduates, row.rate.placed, row.rate.rate) for row in rows}

    def test_the_rate_is_the_placed_over_every_graduate_of_the_cohort(self):
        response = self.page()
        total = response.context["total"].rate
        self.assertEqual((total.graduates, total.placed), (7, 4))
        self.assertEqual(total.rate, Decimal("57.1"))
        self.assertEqual(
            total.groups,
            {Group.CONTRACTED: 1, Group.FLEXIBLE: 1, Group.STUDY: 2, Group.NOT_PLACED: 3},
        )
        self.assertContains(response, "57.1%")

    def test_the_page_says_how_the_rate_is_defined(self):
        self.assertContains(self.page(), "去向落实率")

    def test_a_report_waiting_for_confirmation_is_not_counted_until_confirmed(self):
        self.assertEqual(self.page().context["total"].rate.placed, 4)
        actions.confirm_report(self.pending, acting_user=self.counsellor_a_user)
        total = self.page().context["total"].rate
        self.assertEqual((total.placed, total.rate), (5, Decimal("71.4")))

    def test_confirming_from_the_page_changes_the_rate(self):
        self.login(self.counsellor_a_user)
        self.client.post(reverse("careers:report_confirm", args=[self.pending.pk]))
        self.assertEqual(self.page().context["total"].rate.placed, 5)

    def test_those_not_working_count_among_the_graduates_only(self):
        codes = dict(Graduate.objects.values_list("person__name", "destination"))
        self.assertEqual(codes["林一"], D.NOT_SEEKING)
        self.assertEqual(codes["马二"], D.PREPARING_STUDY)
        by_class = self.table(self.page(), 0)
        self.assertEqual(by_class["信管2101"], (2, 1, Decimal("50.0")))

    def test_by_class_major_and_level(self):
        response = self.page()
        self.assertEqual(
            self.table(response, 0),
            {
                "计科2001": (3, 2, Decimal("66.7")),
                "信管2101": (2, 1, Decimal("50.0")),
                "图情专硕2022": (2, 1, Decimal("50.0")),
            },
        )
        self.assertEqual(
            self.table(response, 1),
            {
                "计算机科学与技术": (3, 2, Decimal("66.7")),
                "信息管理与信息系统": (2, 1, Decimal("50.0")),
                "图书情报": (2, 1, Decimal("50.0")),
            },
        )
        self.assertEqual(
            self.table(response, 2),
            {"undergraduate": (5, 3, Decimal("60.0")), "master's": (2, 1, Decimal("50.0"))},
        )
        # Each line leads to its graduates.
        self.assertContains(response, "?cohort=2024&amp;level=master")

    def test_a_counsellor_sees_their_own_classes_rates(self):
        total = self.page(self.counsellor_a_user).context["total"].rate
        self.assertEqual((total.graduates, total.placed), (3, 2))
        self.assertEqual(set(self.table(self.page(self.counsellor_a_user), 0)), {"计科2001"})

    def test_another_colleges_leader_sees_none_of_them(self):
        self.create_other_college()
        response = self.page(self.leader_b)
        self.assertIsNone(response.context["cohort"])
        self.assertContains(response, "No graduating cohort yet.")

    def test_a_cohort_is_chosen_among_several(self):
        make_graduate(self, "2019001", "往届一", self.class_a, cohort=2023)
        response = self.page()
        self.assertEqual(response.context["cohort"], 2024)
        self.assertContains(response, 'data-testid="cohorts"')
        older = self.page(cohort="2023").context["total"].rate
        self.assertEqual((older.graduates, older.placed), (1, 0))

    def test_a_graduate_or_a_teacher_has_no_rates_page(self):
        self.assertEqual(self.page(self.student).status_code, 403)
        self.assertEqual(self.page(self.teacher).status_code, 403)

    def test_the_page_asks_one_query_per_table_however_many_graduates(self):
        def count() -> int:
            self.login(self.leader)
            with CaptureQueriesContext(connection) as queries_run:
                self.assertEqual(self.client.get(reverse("careers:rates")).status_code, 200)
            return len(queries_run)

        before = count()
        for n in range(5):
            other = AdminClass.objects.create(
                name=f"电商180{n}", programme="电子商务", degree_level="bachelor", unit=self.college
            )
            make_graduate(self, f"20180{n}01", f"新{n}", other)
        self.assertEqual(count(), before)

    def test_the_figures_agree_with_the_records(self):
        graduates = Graduate.objects.filter(cohort=2024)
        (total,) = queries.rates(graduates)
        placed = sum(1 for graduate in graduates if graduate.is_placed)
        self.assertEqual((total.graduates, total.placed), (graduates.count(), placed))

    def test_the_rates_export_as_a_workbook_of_the_same_figures(self):
        response = self.page()
        self.assertContains(response, reverse("careers:rates_export") + "?cohort=2024")
        export = self.client.get(reverse("careers:rates_export"), {"cohort": "2024"})
        self.assertIn("attachment", export["Content-Disposition"])
        book = load_workbook(io.BytesIO(export.content), read_only=True)
        self.assertEqual(book.sheetnames, ["Total", "By class", "By major", "By degree level"])
        total = list(book["Total"].iter_rows(values_only=True))
        self.assertEqual(total[1][:4], ("Total", 7, 4, 57.1))
        by_class = {
            row[0]: row[1:3] for row in book["By class"].iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(by_class["计科2001"], (3, 2))

    def test_a_graduate_cannot_export_the_rates(self):
        self.login(self.student)
        self.assertEqual(self.client.get(reverse("careers:rates_export")).status_code, 403)
