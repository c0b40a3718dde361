from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .actions import set_assistant_counsellor
from .models import AdminClass, Branch, DormRoom, Person, RosterImport, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)


@admin.register(AdminClass)
class AdminClassAdmin(admin.ModelAdmin):
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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "kind", "admin_class", "political_status", "status")
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
    # 兼职辅导员: set by the audited actions below, never by editing the field.
    readonly_fields = ("assistant_counsellor",)
    actions = ["mark_assistant_counsellor", "unmark_assistant_counsellor"]

    @admin.action(description=_("Mark as assistant counsellor (兼职辅导员)"))
    def mark_assistant_counsellor(self, request, queryset):
        marked = 0
        for person in queryset:
            try:
                set_assistant_counsellor(person, True, acting_user=request.user, request=request)
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
    def unmark_assistant_counsellor(self, request, queryset):
        released = 0
        for person in queryset.filter(assistant_counsellor=True):
            released += set_assistant_counsellor(
                person, False, acting_user=request.user, request=request
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

    def has_add_permission(self, request):
        return False
