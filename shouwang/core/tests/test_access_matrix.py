"""Every URL, every persona, own and others' objects: the status each must get.

The rules live with each app, in `shouwang/<app>/tests/policy.py` (see
`shouwang/policy.py`). A URL that no app lists fails
`test_every_url_is_in_the_policy`, so a new view cannot ship without saying
who may see it.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from shouwang.accounts.models import User
from shouwang.policy import PERSONAS, Rule
from shouwang.test import BaseTestCase

# The Django admin is guarded by its own staff check. Every admin URL that
# takes no object id is walked, except the login and logout pages, the
# autocomplete endpoint (it refuses a request without its query parameters)
# and add forms (read-only model admins forbid them even to admins); URLs with
# an object id sit behind the same check.
ADMIN_NAMESPACE = "admin"
ADMIN_SKIPPED = ("admin:login", "admin:logout", "admin:autocomplete")
REFUSED = (302, 401, 403)


def policy_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shouwang."):
            continue
        try:
            tests = importlib.import_module(f"{config.name}.tests")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(tests.__path__):
            # An app whose views have several owners may split its rules: policy_*.py.
            if info.name == "policy" or info.name.startswith("policy_"):
                modules.append(importlib.import_module(f"{config.name}.tests.{info.name}"))
    return modules


POLICY_MODULES = policy_modules()
POLICY: list[Rule] = [rule for module in POLICY_MODULES for rule in module.RULES]


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
            "teacher": cls.teacher,
            "supervisor": cls.supervisor,
        }
        for module in POLICY_MODULES:
            if hasattr(module, "make_objects"):
                module.make_objects(cls)

    def url_for(self, rule: Rule, persona: str) -> str:
        if rule.target is None:
            args = []
        elif callable(rule.target):
            args = rule.target(self, persona)
        elif rule.target == "self":
            # An anonymous visitor has no self: they try a student's page.
            user = self.users.get(persona)
            args = [user.person_id if user and user.person_id else self.student_a.pk]
        else:
            args = [getattr(self, rule.target).pk]
        return reverse(rule.name, args=args)

    def status_for(self, rule: Rule, persona: str) -> int:
        # Roll back what the request did (a password reset forces a change at
        # the next request), so that every cell of the matrix starts alike.
        with transaction.atomic():
            self.client.logout()
            if persona != "anonymous":
                self.client.force_login(self.users[persona])
            url = self.url_for(rule, persona)
            if rule.method == "get":
                query = rule.query(self, persona) if callable(rule.query) else rule.query
                response = self.client.get(url, query)
            else:
                response = getattr(self.client, rule.method)(url, rule.data)
            transaction.set_rollback(True)
        return response.status_code

    def test_every_url_is_in_the_policy(self):
        covered = {rule.name for rule in POLICY}
        missing = {
            name
            for name in all_url_names()
            if name not in covered and not name.startswith(f"{ADMIN_NAMESPACE}:")
        }
        self.assertEqual(missing, set(), "add these URLs to their app's tests/policy.py")

    def test_each_persona_gets_the_status_the_policy_says(self):
        for rule in POLICY:
            for persona in PERSONAS:
                with self.subTest(url=rule.name, target=str(rule.target), persona=persona):
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
