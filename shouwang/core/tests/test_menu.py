"""The menu each persona sees (core/nav.py), and that each of its entries opens for them."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.html import Element, parse_html
from django.urls import reverse

from shouwang.accounts.models import Role, User
from shouwang.core import nav
from shouwang.people.models import Person
from shouwang.test import BaseTestCase, make_person, make_user

# A menu as drawn: an entry standing alone is its label; a group is its label
# and its entries' labels.
Menu = list[str | tuple[str, list[str]]]

# Setting up a term: for leaders, the teaching office and admins.
TEACHING_SETUP = ["Terms", "Timetable import", "Enrolment import"]


def elements(node: Element | str) -> Iterator[Element]:
    """`node` and every element under it, in document order."""
    if isinstance(node, str):
        return
    yield node
    for child in node.children:
        yield from elements(child)


def text(node: Element | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(text(child) for child in node.children).strip()


def attribute(element: Element, name: str) -> str:
    return dict(element.attributes).get(name) or ""


def menu_items(response) -> list[Element]:
    """The registry's part of the bar: its <li> items, in order."""
    page = parse_html(response.content.decode())
    bar = next(e for e in elements(page) if attribute(e, "data-testid") == "menu")
    return [child for child in bar.children if isinstance(child, Element)]


def shown(response) -> Menu:
    menu: Menu = []
    for item in menu_items(response):
        links = [text(e) for e in elements(item) if e.name == "a"]
        summary = next((e for e in elements(item) if e.name == "summary"), None)
        menu.append((text(summary), links) if summary else links[0])
    return menu


def addresses(response) -> list[str]:
    return [
        attribute(e, "href")
        for item in menu_items(response)
        for e in elements(item)
        if e.name == "a"
    ]


class MenuTestCase(BaseTestCase):
    support_worker: User
    first_admin: User

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.support_worker = make_user(
            make_person("S0100", "吴心语", Person.Kind.STAFF, unit=cls.college)
        )
        cls.support_worker.grant(Role.PSYCH_SUPPORT)
        # The admin of the first hour: created on the command line, on no roster.
        cls.first_admin = User.objects.create_superuser(
            "admin", password="a-long-first-password", must_change_password=False
        )

    def setUp(self):
        # Assert on English source strings: the Chinese catalogue is written last.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def personas(self) -> list[User]:
        return [
            self.student,
            self.volunteer,
            self.teacher,
            self.support_worker,
            self.counsellor_a_user,
            self.leader,
            self.admin,
            self.first_admin,
        ]

    def menu_of(self, user: User) -> Menu:
        self.login(user)
        return shown(self.client.get(reverse("home:home")))

    def test_a_student_sees_their_own_few_pages_flat(self):
        self.assertEqual(
            self.menu_of(self.student),
            [
                "Home",
                "Daily check-in",
                "Help requests",
                "Today's classes",
                "Activities",
                "Notices",
                "Volunteering",
            ],
        )

    def test_a_graduating_student_sees_careers_too_still_flat(self):
        Person.objects.filter(pk=self.student_a.pk).update(graduating=True)
        self.assertEqual(
            self.menu_of(self.student),
            [
                "Home",
                "Daily check-in",
                "Help requests",
                "Today's classes",
                "Careers",
                "Activities",
                "Notices",
                "Volunteering",
            ],
        )

    def test_the_employment_office_sees_careers_positions_and_employers(self):
        office = make_user(make_person("S0300", "吕就业", Person.Kind.STAFF, unit=self.college))
        office.grant(Role.EMPLOYMENT_OFFICE)
        careers = dict(item for item in self.menu_of(office) if isinstance(item, tuple))
        self.assertEqual(
            careers["Careers and activities"],
            ["Careers", "Job fairs", "Positions", "Employers", "Activities", "Entries to judge"],
        )
        for entry in ("careers:index", "careers:position_list", "careers:employer_list"):
            self.assertEqual(self.client.get(reverse(entry)).status_code, 200)

    def test_a_volunteer_sees_the_meal_rounds_too_still_flat(self):
        self.assertEqual(
            self.menu_of(self.volunteer),
            [
                "Home",
                "Daily check-in",
                "Help requests",
                "Meal rounds",
                "Write a card",
                "Today's classes",
                "Activities",
                "Notices",
                "Volunteering",
            ],
        )

    def test_a_teacher_sees_their_teaching_pages_in_groups(self):
        self.assertEqual(
            self.menu_of(self.teacher),
            [
                "Home",
                ("Check-ins", ["Daily check-in", "Leave"]),
                ("Care", ["Help requests", "Write a card", "Supply requests"]),
                ("Teaching", ["Today's classes", "Teaching classes"]),
                ("Careers and activities", ["Activities", "Entries to judge"]),
                (
                    "Work",
                    [
                        "Notices",
                        "Incidents",
                        "Meetings",
                        "Volunteering",
                        "Work plan",
                        "My measures",
                    ],
                ),
            ],
        )

    def test_a_support_worker_sees_the_referrals_in_groups(self):
        self.assertEqual(
            self.menu_of(self.support_worker),
            [
                "Home",
                ("Check-ins", ["Daily check-in", "Leave"]),
                (
                    "Care",
                    [
                        "Help requests",
                        "Help requests overview",
                        "Write a card",
                        "Referrals",
                        "Supply requests",
                    ],
                ),
                ("Teaching", ["Today's classes", "Teaching classes"]),
                ("Careers and activities", ["Activities", "Entries to judge"]),
                (
                    "Work",
                    [
                        "Notices",
                        "Incidents",
                        "Meetings",
                        "Volunteering",
                        "Work plan",
                        "My measures",
                    ],
                ),
            ],
        )

    def test_a_counsellor_sees_their_classes_pages_in_groups(self):
        self.assertEqual(
            self.menu_of(self.counsellor_a_user),
            [
                "Home",
                (
                    "Check-ins",
                    [
                        "Daily check-in",
                        "Compliance",
                        "Not checked in",
                        "Screening",
                        "Leave",
                        "Not back from leave",
                    ],
                ),
                (
                    "Care",
                    [
                        "Help requests",
                        "Help requests overview",
                        "Isolation",
                        "Write a card",
                        "Referrals",
                        "Supply requests",
                    ],
                ),
                ("Teaching", ["Today's classes", "Teaching classes", "Absences", "Readiness"]),
                (
                    "Careers and activities",
                    ["Careers", "Job fairs", "Activities", "Entries to judge"],
                ),
                (
                    "Work",
                    [
                        "Notices",
                        "Incidents",
                        "Meetings",
                        "Volunteering",
                        "Work plan",
                        "My measures",
                    ],
                ),
                ("College website", ["Public pages", "Bulletin articles"]),
                ("Administration", ["People", "Initial passwords"]),
            ],
        )

    def leaders_menu(self, administration: list[str], checks_in: bool = True) -> Menu:
        own = ["Daily check-in"] if checks_in else []
        own_classes = ["Today's classes"] if checks_in else []
        # Staff on the roster own work-plan measures; the first admin is on none.
        own_measures = ["My measures"] if checks_in else []
        # Activities and entries to judge are for people on the roster; the
        # first admin is on none.
        own_activities = ["Activities", "Entries to judge"] if checks_in else []
        careers = [
            (
                "Careers and activities",
                ["Careers", "Job fairs", "Positions", "Employers", *own_activities],
            )
        ]
        return [
            "Home",
            (
                "Check-ins",
                [
                    *own,
                    "Compliance",
                    "Not checked in",
                    "Screening",
                    "Risky regions",
                    "Leave",
                    "Not back from leave",
                ],
            ),
            (
                "Care",
                [
                    "Help requests",
                    "Help requests overview",
                    "Isolation",
                    "Meal rounds",
                    "Write a card",
                    "Supplies",
                    "Supply requests",
                    "Supply catalogue",
                ],
            ),
            (
                "Teaching",
                [
                    *own_classes,
                    "Teaching classes",
                    "The day's lessons",
                    "Lesson approvals",
                    "Go online",
                    "Absences",
                    "Readiness",
                    "Observations",
                    "Online-teaching report",
                    *TEACHING_SETUP,
                ],
            ),
            *careers,
            (
                "Work",
                [
                    "Cockpit",
                    "Notices",
                    "Incidents",
                    "Meetings",
                    "Volunteering",
                    "Work plan",
                    *own_measures,
                ],
            ),
            ("College website", ["Public pages", "Bulletin articles", "Chronicles"]),
            ("Administration", administration),
        ]

    def test_a_leader_sees_the_college_wide_pages_in_groups(self):
        self.assertEqual(
            self.menu_of(self.leader),
            self.leaders_menu(
                ["People", "Roster import", "Initial passwords", "Undelivered messages"]
            ),
        )

    def test_an_admin_sees_the_roles_and_the_admin_site_too(self):
        administration = [
            "People",
            "Roster import",
            "WeCom and DingTalk accounts",
            "Initial passwords",
            "Roles",
            "Undelivered messages",
            "Administration",
        ]
        self.assertEqual(self.menu_of(self.admin), self.leaders_menu(administration))
        # The first admin is on no roster: nothing of their own to check in.
        self.assertEqual(
            self.menu_of(self.first_admin), self.leaders_menu(administration, checks_in=False)
        )

    def test_the_teaching_office_sees_the_terms_and_the_imports(self):
        office = make_user(make_person("S0200", "郑教务", Person.Kind.STAFF, unit=self.college))
        office.grant(Role.TEACHING_OFFICE)
        teaching = dict(item for item in self.menu_of(office) if isinstance(item, tuple))
        self.assertEqual(
            teaching["Teaching"],
            [
                "Today's classes",
                "Teaching classes",
                "The day's lessons",
                "Lesson approvals",
                "Go online",
                "Observations",
                "Online-teaching report",
                *TEACHING_SETUP,
            ],
        )
        for entry in ("teaching:term_list", "teaching:timetable_import"):
            self.assertEqual(self.client.get(reverse(entry)).status_code, 200)

    def test_every_entry_shown_opens_for_whoever_is_shown_it(self):
        for user in self.personas():
            self.login(user)
            for address in addresses(self.client.get(reverse("home:home"))):
                with self.subTest(user=user.username, address=address):
                    self.assertEqual(self.client.get(address).status_code, 200)

    def test_every_registered_entry_is_shown_to_a_persona(self):
        seen = set()
        for user in self.personas():
            self.login(user)
            seen.update(addresses(self.client.get(reverse("home:home"))))
        self.assertEqual(seen, {reverse(entry.url_name) for entry in nav.registered()})

    def test_the_group_of_the_page_shown_is_marked(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("people:person_detail", args=[self.student_a.pk]))
        active = [
            (e.name, text(e), attribute(e, "aria-current"))
            for item in menu_items(response)
            for e in elements(item)
            if "active" in attribute(e, "class").split()
        ]
        # A page under an entry is not the entry's page itself: not aria-current.
        self.assertEqual(active, [("summary", "Administration", ""), ("a", "People", "")])

        response = self.client.get(reverse("people:person_list"))
        self.assertContains(response, f'href="{reverse("people:person_list")}" aria-current="page"')

    def test_a_flat_menu_marks_the_page_shown(self):
        self.login(self.student)
        response = self.client.get(reverse("notices:notice_list"))
        self.assertContains(
            response,
            f'<a class="nav-link active" href="{reverse("notices:notice_list")}"'
            ' aria-current="page">Notices</a>',
            html=True,
        )

    def test_drawing_the_menu_asks_the_database_nothing_once_the_roles_are_known(self):
        for user in self.personas():
            user.roles  # noqa: B018  (read once per request, for every page)
            with self.subTest(user=user.username), self.assertNumQueries(0):
                nav.menu_for(user, "/")

    def test_the_menu_leaves_the_pages_own_variables_alone(self):
        request = RequestFactory().get("/")
        request.user = self.admin
        page = Template(
            "{% extends 'base.html' %}{% block content %}[{{ sections }}]{% endblock %}"
        )
        html = page.render(RequestContext(request, {"sections": "the page's own"}))
        self.assertIn("[the page&#x27;s own]", html)
        self.assertIn(f'href="{reverse("people:roster_import")}"', html)

    def test_an_address_is_registered_once(self):
        before = nav.registered()
        with self.assertRaises(ImproperlyConfigured):
            nav.register(nav.Entry(nav.WORK, "Notices", "notices:notice_list", nav.everyone))
        self.assertEqual(nav.registered(), before)
