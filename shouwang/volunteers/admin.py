from django.contrib import admin

from .models import DutyDay, Membership, ServiceReport, Shift, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 3
    autocomplete_fields = ("person",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [MembershipInline]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ("title", "place", "team", "starts_at", "ends_at", "places")
    list_filter = ("team",)
    list_select_related = ("team",)
    date_hierarchy = "starts_at"


@admin.register(DutyDay)
class DutyDayAdmin(admin.ModelAdmin):
    list_display = ("date", "person", "mode", "role")
    list_filter = ("mode",)
    list_select_related = ("person",)
    date_hierarchy = "date"
    autocomplete_fields = ("person",)


@admin.register(ServiceReport)
class ServiceReportAdmin(admin.ModelAdmin):
    list_display = ("person", "date", "province", "place", "hours", "status")
    list_filter = ("status",)
    list_select_related = ("person",)
    # Photos are served by the report's own view, which checks who is asking.
    exclude = ("photo", "photo_size")
    autocomplete_fields = ("person", "reviewed_by")
