"""The college's people and the structures they belong to.

Only what the work needs is collected: no ID-card numbers, no home addresses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shouwang.core.importing import ImportRecord
from shouwang.lib.pinyin import pinyin_keys
from shouwang.lib.text import mask_mobile

from .dorms import dorm_label


class Unit(models.Model):
    """A node of the organisation tree: university > college > department or office."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("university")
        COLLEGE = "college", _("college")
        DEPARTMENT = "department", _("department")
        OFFICE = "office", _("office")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def signing_name(self) -> str:
        """The unit as it signs a letter or a certificate: 山西财经大学信息学院
        (its university first, if any)."""
        parent = self.parent
        if parent is not None and parent.kind == Unit.Kind.UNIVERSITY and self.kind != parent.kind:
            return f"{parent.name}{self.name}"
        return self.name

    def descendant_ids(self) -> set[int]:
        """This unit and everything below it."""
        return Unit.subtree_ids([self.pk])

    @staticmethod
    def parents() -> dict[int, int | None]:
        """Every unit's parent (the tree is a few dozen rows: one query)."""
        return dict(Unit.objects.order_by().values_list("pk", "parent_id"))

    @staticmethod
    def ancestor_ids(pk: int, parents: dict[int, int | None] | None = None) -> set[int]:
        """This unit and every unit above it; `parents` if the caller has them."""
        if parents is None:
            parents = Unit.parents()
        found: set[int] = set()
        current: int | None = pk
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
        return found

    @staticmethod
    def subtree_ids(roots: Iterable[int], parents: dict[int, int | None] | None = None) -> set[int]:
        """These units and everything below them (the tree is a few dozen rows:
        one query, none if the caller has `parents`)."""
        if parents is None:
            parents = Unit.parents()
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in parents.items():
            children.setdefault(parent_id, []).append(pk)
        found: set[int] = set()
        stack = list(roots)
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, []))
        return found


class DegreeLevel(models.TextChoices):
    BACHELOR = "bachelor", _("undergraduate")
    MASTER = "master", _("master's")
    DOCTOR = "doctor", _("doctoral")


class AdminClass(models.Model):
    """An administrative class (行政班): the unit a counsellor looks after."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    programme = models.CharField(_("programme"), max_length=100, blank=True)
    degree_level = models.CharField(
        _("degree level"), max_length=10, choices=DegreeLevel.choices, blank=True
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="classes", verbose_name=_("unit")
    )
    counsellor = models.ForeignKey(
        "Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="counselled_classes",
        verbose_name=_("counsellor"),
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-grade", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.counsellor is not None and not self.counsellor.may_counsel:
            raise ValidationError({"counsellor": counsellor_refusal(self.counsellor)})


def counsellor_refusal(person: Person) -> str:
    """Why a student may not be a class's counsellor."""
    return gettext(
        "%(person)s is a student: only a teacher or staff member counsels a class "
        "(a student only when an admin has marked them an assistant counsellor, 兼职辅导员)."
    ) % {"person": person}


class DormRoom(models.Model):
    """A dormitory room; `people.dorms` reads the labels registrars write."""

    building = models.CharField(_("building"), max_length=50)
    # Stated in the label or implied by the number (445 is on the 4th floor);
    # empty for a label that was not understood. Meal rounds walk by floor.
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    number = models.CharField(_("room"), max_length=20)

    class Meta:
        verbose_name = _("dormitory room")
        verbose_name_plural = _("dormitory rooms")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="dormroom_unique")
        ]

    def __str__(self) -> str:
        return dorm_label(self.building, self.number, self.floor)


class Branch(models.Model):
    """A party branch (党支部) or a league branch (团支部); the league committee
    (团委) is a league branch with children."""

    class Kind(models.TextChoices):
        PARTY = "party", _("party branch")
        LEAGUE = "league", _("league branch")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="branches", verbose_name=_("unit")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


def in_units_q(unit_ids: Iterable[int], path: str = "") -> models.Q:
    """The people of these units, as a condition on the person at `path`
    ("" or e.g. "requester__"): those whose unit is one of them, and those with
    no unit whose class belongs to one (a registrar's student list often has
    classes but no 单位 column). A person belongs to one unit: their own wins
    over their class's. The one definition every leader's reach and every
    incident's coverage goes through."""
    ids = list(unit_ids)
    return models.Q(**{f"{path}unit_id__in": ids}) | models.Q(
        **{f"{path}unit__isnull": True, f"{path}admin_class__unit_id__in": ids}
    )


def party_member_q(path: str = "") -> models.Q:
    """The party members (`Person.PARTY_STATUSES`), as a condition on the
    person at `path` ("" or e.g. "person__")."""
    return models.Q(**{f"{path}political_status__in": Person.PARTY_STATUSES})


class PersonQuerySet(models.QuerySet["Person"]):
    def party_members(self) -> PersonQuerySet:
        return self.filter(party_member_q())

    def in_units(self, unit_ids: Iterable[int]) -> PersonQuerySet:
        """The people of these units (see `in_units_q`); give the subtree, not a root."""
        return self.filter(in_units_q(unit_ids))

    def search(self, text: str) -> PersonQuerySet:
        """Name, number, full pinyin or pinyin initials: "张三", "2021", "zhangsan", "zs"."""
        text = text.strip()
        if not text:
            return self
        key = text.lower().replace(" ", "")
        return self.filter(
            models.Q(name__contains=text)
            | models.Q(number__startswith=text)
            | models.Q(name_initials__startswith=key)
            | models.Q(name_pinyin__startswith=key)
        )


class Person(models.Model):
    class Kind(models.TextChoices):
        STUDENT = "student", _("student")
        TEACHER = "teacher", _("teacher")
        STAFF = "staff", _("staff")

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class PoliticalStatus(models.TextChoices):
        PARTY_MEMBER = "party_member", _("CPC member")
        PROBATIONARY = "probationary", _("CPC probationary member")
        LEAGUE_MEMBER = "league_member", _("CYL member")
        DEMOCRATIC_PARTY = "democratic_party", _("democratic party member")
        NONPARTISAN = "nonpartisan", _("nonpartisan")
        MASSES = "masses", _("general public")

    # Party members, as the college counts them (and the seed its 18):
    # full and probationary, 党员 and 预备党员.
    PARTY_STATUSES = (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)

    class Status(models.TextChoices):
        PRESENT = "present", _("at school")
        AWAY = "away", _("left school")
        GRADUATED = "graduated", _("graduated")

    number = models.CharField(_("number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(max_length=200, editable=False, db_index=True)
    name_initials = models.CharField(max_length=50, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    political_status = models.CharField(
        _("political status"),
        max_length=20,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("unit")
    )
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    programme = models.CharField(_("programme"), max_length=100, blank=True)
    degree_level = models.CharField(
        _("degree level"), max_length=10, choices=DegreeLevel.choices, blank=True
    )
    admin_class = models.ForeignKey(
        AdminClass,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="students",
        verbose_name=_("class"),
    )
    dorm_room = models.ForeignKey(
        DormRoom,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("dormitory room"),
    )
    branch = models.ForeignKey(
        Branch,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("branch"),
    )
    graduating = models.BooleanField(_("graduating"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    # A student may counsel a class (兼职辅导员) only when an admin says so,
    # through people.actions.set_assistant_counsellor, which audits it.
    assistant_counsellor = models.BooleanField(
        _("assistant counsellor"),
        default=False,
        help_text=_("A student who may be a class's counsellor (兼职辅导员)."),
    )
    # Where notify's personal channels reach the person (企业微信应用消息,
    # 钉钉工作通知): the roster's optional columns or the accounts sheet set them.
    wecom_userid = models.CharField(_("WeCom account"), max_length=64, blank=True)
    dingtalk_userid = models.CharField(_("DingTalk account"), max_length=64, blank=True)
    # The import that brought the person in: its people get their logins together.
    created_by_import = models.ForeignKey(
        "RosterImport",
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="created_people",
        verbose_name=_("created by import"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["number"]
        indexes = [models.Index(fields=["kind", "status"])]
        # One account, one person: a shared id would deliver one person's messages to another.
        constraints = [
            models.UniqueConstraint(
                fields=["wecom_userid"],
                condition=~models.Q(wecom_userid=""),
                name="person_wecom_userid_unique",
            ),
            models.UniqueConstraint(
                fields=["dingtalk_userid"],
                condition=~models.Q(dingtalk_userid=""),
                name="person_dingtalk_userid_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_pinyin()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # A counsellor made a student (in the admin) would keep their classes.
        if self.pk and not self.may_counsel and self.counselled_classes.exists():
            raise ValidationError(
                {
                    "kind": gettext(
                        "%(person)s counsels a class: give the class another counsellor first."
                    )
                    % {"person": self}
                }
            )

    def refresh_pinyin(self) -> None:
        self.name_pinyin, self.name_initials = pinyin_keys(self.name)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""

    @property
    def may_counsel(self) -> bool:
        """Teachers and staff may counsel a class; a student only when marked an
        assistant counsellor."""
        return self.kind != self.Kind.STUDENT or self.assistant_counsellor

    @property
    def is_party_member(self) -> bool:
        return self.political_status in self.PARTY_STATUSES


class RosterImport(ImportRecord):
    """One roster file brought in through the web or the command line: its
    preview, its errors and what committing it changed (core.importing)."""

    file = models.FileField(_("file"), upload_to="roster/%Y/%m/", blank=True)
    # Unused: a check's progress is reported on its job (core.BackgroundJob).
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # What rows that state no unit or no category (类别) get, chosen on the preview.
    default_unit = models.ForeignKey(
        Unit,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default unit"),
    )
    default_kind = models.CharField(
        _("default category"), max_length=10, choices=Person.Kind.choices, blank=True
    )

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        return reverse("people:roster_import_detail", args=[self.pk])

    @property
    def missing_units(self) -> list[str]:
        """The units the file names that do not exist, as the last check found."""
        for warning in self.warnings:
            if warning.get("code") == "missing_units":
                return list(warning.get("values", []))
        return []


class PlatformAccountImport(ImportRecord):
    """A sheet of people's WeCom and DingTalk accounts by number
    (企业微信/钉钉账号对照表), brought in through the import pipeline."""

    class Meta:
        verbose_name = _("platform account import")
        verbose_name_plural = _("platform account imports")
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        return reverse("people:platform_account_import_detail", args=[self.pk])
