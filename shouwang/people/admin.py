from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shouwang.core import audit
from shouwang.lib.text import clean_mobile, is_mobile

from .actions import delete_recorded, save_recorded, set_assistant_counsellor
from .audit import PeopleEvent
from .models import AdminClass, Branch, DormRoom, Person, RosterImport, Unit

if TYPE_CHECKING:
    from shouwang.accounts.models import User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)


class RecordedChangesMixin:
    """Each person or class added, changed or deleted here is recorded in the
    audit log with the fields that changed."""

    def save_model(
        self, request: HttpRequest, obj: Person | AdminClass, form: forms.ModelForm, change: bool
    ) -> None:
        save_recorded(obj, acting_user=cast("User", request.user), request=request)

    def delete_model(self, request: HttpRequest, obj: Person | AdminClass) -> None:
        delete_recorded(obj, acting_user=cast("User", request.user), request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            delete_recorded(obj, acting_user=cast("User", request.user), request=request)


@admin.register(AdminClass)
class AdminClassAdmin(RecordedChangesMixin, admin.ModelAdmin):
    list_display = ("name", "grade", "programme", "degree_level", "unit", "counsellor")
    list_filter = ("grade", "degree_level")
    search_fields = ("name",)
    raw_id_fields = ("counsellor",)


@admin.register(DormRoom)
class DormRoomAdmin(admin.ModelAdmin):
    list_display = ("building", "floor", "number")
    search_fields = ("building", "number")


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "parent")
    list_filter = ("kind",)


class PersonAdminForm(forms.ModelForm):
    """The person without their mobile number: it is replaced, never shown."""

    new_mobile = forms.CharField(
        label=_("new mobile phone"),
        required=False,
        max_length=20,
        help_text=_(
            "The number is shown masked. Its full digits are revealed on the person's "
            "page in the app, with a reason, and recorded. Type a number here to replace it."
        ),
    )

    class Meta:
        model = Person
        # Every other field, those added later included, is edited here.
        exclude = ("mobile",)  # noqa: DJ006

    def clean_new_mobile(self) -> str:
        mobile = clean_mobile(self.cleaned_data["new_mobile"])
        if mobile and not is_mobile(mobile):
            raise forms.ValidationError(_("Enter an 11-digit mobile number."))
        return mobile

    def save(self, commit: bool = True) -> Person:
        if self.cleaned_data.get("new_mobile"):
            self.instance.mobile = self.cleaned_data["new_mobile"]
        return super().save(commit)


@admin.register(Person)
class PersonAdmin(RecordedChangesMixin, admin.ModelAdmin):
    """People as the app shows them: the mobile masked, and each person's page
    an audited read, the same row the app's person page writes."""

    form = PersonAdminForm
    list_display = (
        "number",
        "name",
        "kind",
        "admin_class",
        "mobile_masked",
        "political_status",
        "status",
    )
    list_filter = (
        "kind",
        "status",
        "political_status",
        "degree_level",
        "grade",
        "assistant_counsellor",
    )
    search_fields = ("number", "name", "name_initials", "name_pinyin")
    raw_id_fields = ("admin_class", "dorm_room", "branch")
    exclude = ("mobile",)
    # 兼职辅导员: set by the audited actions below, never by editing the field.
    readonly_fields = ("mobile_masked", "assistant_counsellor")
    actions = ["mark_assistant_counsellor", "unmark_assistant_counsellor"]

    @admin.display(description=_("mobile phone"))
    def mobile_masked(self, person: Person) -> str:
        return person.masked_mobile

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        person = self.get_object(request, object_id)
        if person is not None:
            audit.record(
                PeopleEvent.PERSON_VIEWED,
                person,
                acting_user=cast("User", request.user),
                request=request,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Mark as assistant counsellor (兼职辅导员)"))
    def mark_assistant_counsellor(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        marked = 0
        for person in queryset:
            try:
                set_assistant_counsellor(
                    person, True, acting_user=cast("User", request.user), request=request
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                marked += 1
        if marked:
            self.message_user(
                request,
                ngettext(
                    "%(count)d student may now counsel a class.",
                    "%(count)d students may now counsel a class.",
                    marked,
                )
                % {"count": marked},
            )

    @admin.action(description=_("Unmark as assistant counsellor"))
    def unmark_assistant_counsellor(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        released = 0
        for person in queryset.filter(assistant_counsellor=True):
            released += set_assistant_counsellor(
                person, False, acting_user=cast("User", request.user), request=request
            )
        self.message_user(
            request,
            ngettext(
                "Unmarked; %(count)d class lost its counsellor.",
                "Unmarked; %(count)d classes lost their counsellor.",
                released,
            )
            % {"count": released},
        )


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "uploaded_by", "created_at", "status", "valid_rows", "invalid_rows")
    readonly_fields = [f.name for f in RosterImport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
