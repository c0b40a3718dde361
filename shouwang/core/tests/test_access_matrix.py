"""Every URL, every persona, own and others' objects: the status each must get.

The policy table is the contract: a URL that is not in it fails
`test_every_url_is_in_the_policy_table`, so a new view cannot ship without
saying who may see it. 404 means "outside your scope" (the object is not
revealed to exist); 403 means "you may see this page's subject but not do
this"; 302 from an anonymous request is the login redirect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from shouwang.accounts.models import User
from shouwang.people.models import RosterImport
from shouwang.test import BaseTestCase

PERSONAS = ("anonymous", "student", "counsellor_a", "counsellor_b", "volunteer", "leader", "admin")
LOGGED_IN = PERSONAS[1:]


def expect(default: int | None = None, **statuses: int) -> dict[str, int]:
    """Statuses per persona; `default` fills every logged-in persona not named."""
    table = {"anonymous": 302}
    if default is not None:
        table.update(dict.fromkeys(LOGGED_IN, default))
    table.update(statuses)
    missing = set(PERSONAS) - table.keys()
    assert not missing, f"policy row lacks {missing}"
    return table


@dataclass
class Rule:
    name: str
    expected: dict[str, int]
    method: str = "get"
    # Which object the URL's pk names: "self" (the persona's own person),
    # a persona attribute of BaseTestCase ("student_a"), or "import".
    target: str | None = None
    data: dict[str, str] = field(default_factory=dict)


MANAGERS_ONLY = expect(403, leader=200, admin=200)

POLICY = [
    Rule("core:home", expect(200)),
    Rule("accounts:login", expect(302, anonymous=200)),
    Rule("accounts:logout", expect(302), method="post"),
    Rule("accounts:password_change", expect(200)),
    Rule("set_language", expect(302, anonymous=302), method="post", data={"language": "en"}),
    # The list exists for everyone but shows only what people_for_user allows.
    Rule("people:person_list", expect(200)),
    Rule("people:person_detail", expect(200), target="self"),
    Rule(
        "people:person_detail",
        expect(404, student=200, counsellor_a=200, leader=200, admin=200),
        target="student_a",
    ),
    Rule(
        "people:person_detail",
        expect(404, counsellor_b=200, volunteer=404, leader=200, admin=200),
        target="student_b",
    ),
    Rule(
        "people:person_reveal_phone",
        expect(200),
        method="post",
        target="self",
        data={"reason": "核对联系方式"},
    ),
    Rule(
        "people:person_reveal_phone",
        expect(404, student=200, counsellor_a=200, leader=200, admin=200),
        method="post",
        target="student_a",
        data={"reason": "未打卡，电话确认"},
    ),
    Rule(
        "people:person_reveal_phone",
        expect(404, counsellor_b=200, leader=200, admin=200),
        method="post",
        target="student_b",
        data={"reason": "未打卡，电话确认"},
    ),
    # Only admins reset staff passwords; nobody but an admin resets their own this way.
    Rule("people:person_reset_password", expect(403, admin=200), method="post", target="self"),
    Rule(
        "people:person_reset_password",
        expect(404, student=403, counsellor_a=200, leader=200, admin=200),
        method="post",
        target="student_a",
    ),
    Rule(
        "people:person_reset_password",
        expect(404, counsellor_b=200, leader=200, admin=200),
        method="post",
        target="student_b",
    ),
    Rule("people:roster_import", MANAGERS_ONLY),
    Rule("people:roster_import_detail", MANAGERS_ONLY, target="import"),
    Rule(
        "people:roster_import_commit",
        expect(403, leader=302, admin=302),
        method="post",
        target="import",
    ),
    Rule("people:roster_export", MANAGERS_ONLY),
]

# The Django admin is guarded by its own staff check. Every admin URL that
# takes no object id is walked, except the login and logout pages, the
# autocomplete endpoint (it refuses a request without its query parameters)
# and add forms (read-only model admins forbid them even to admins); URLs with
# an object id sit behind the same check.
ADMIN_NAMESPACE = "admin"
ADMIN_SKIPPED = ("admin:login", "admin:logout", "admin:autocomplete")
REFUSED = (302, 401, 403)


def all_url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= all_url_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


class AccessMatrixTestCase(BaseTestCase):
    users: dict[str, User]
    roster_import: RosterImport

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.users = {
            "student": cls.student,
            "counsellor_a": cls.counsellor_a_user,
            "counsellor_b": cls.counsellor_b_user,
            "volunteer": cls.volunteer,
            "leader": cls.leader,
            "admin": cls.admin,
        }
        cls.roster_import = RosterImport.objects.create(
            file=ContentFile(b"number,name\n", name="roster.csv"),
            filename="roster.csv",
            uploaded_by=cls.leader,
            status=RosterImport.Status.CHECKED,
        )

    def url_for(self, rule: Rule, persona: str) -> str:
        if rule.target is None:
            return reverse(rule.name)
        target: Model
        if rule.target == "import":
            target = self.roster_import
        elif rule.target == "self":
            # An anonymous visitor has no self: they try a student's page.
            user = self.users.get(persona)
            target = user.person if user and user.person else self.student_a
        else:
            target = getattr(self, rule.target)
        return reverse(rule.name, args=[target.pk])

    def status_for(self, rule: Rule, persona: str) -> int:
        # Roll back what the request did (a password reset forces a change at
        # the next request), so that every cell of the matrix starts alike.
        with transaction.atomic():
            self.client.logout()
            if persona != "anonymous":
                self.client.force_login(self.users[persona])
            url = self.url_for(rule, persona)
            response = getattr(self.client, rule.method)(url, rule.data)
            transaction.set_rollback(True)
        return response.status_code

    def test_every_url_is_in_the_policy_table(self):
        covered = {rule.name for rule in POLICY}
        missing = {
            name
            for name in all_url_names()
            if name not in covered and not name.startswith(f"{ADMIN_NAMESPACE}:")
        }
        self.assertEqual(missing, set(), "add these URLs to POLICY in test_access_matrix.py")

    def test_each_persona_gets_the_status_the_policy_says(self):
        for rule in POLICY:
            for persona in PERSONAS:
                with self.subTest(url=rule.name, target=rule.target, persona=persona):
                    self.assertEqual(self.status_for(rule, persona), rule.expected[persona])

    def test_only_admins_reach_the_django_admin(self):
        walked = []
        for name in sorted(all_url_names()):
            if (
                not name.startswith(f"{ADMIN_NAMESPACE}:")
                or name in ADMIN_SKIPPED
                or name.endswith("_add")
            ):
                continue
            try:
                reverse(name)
            except NoReverseMatch:
                continue  # needs an object id
            walked.append(name)
            rule = Rule(name, {})
            for persona in PERSONAS:
                with self.subTest(url=name, persona=persona):
                    status = self.status_for(rule, persona)
                    if persona == "admin":
                        self.assertEqual(status, 200)
                    else:
                        self.assertIn(status, REFUSED)
        self.assertIn("admin:people_person_changelist", walked)
