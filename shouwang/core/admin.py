import json
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .audit import shown_log_entries
from .models import CalendarDay, LogEntry


class KindFilter(admin.SimpleListFilter):
    """The kinds the shown entries hold, by their labels."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        shown = model_admin.get_queryset(request).order_by().values_list("kind", flat=True)
        entries = [LogEntry(kind=kind) for kind in shown.distinct()]
        return sorted(((e.kind, e.kind_label) for e in entries), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if self.value() is None else queryset.filter(kind=self.value())


class ResourceTypeFilter(admin.SimpleListFilter):
    """The types of the shown entries' objects."""

    title = _("type")
    parameter_name = "resource_type"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        names = ("content_type__app_label", "content_type__model")
        types = model_admin.get_queryset(request).values_list("content_type", *names)
        return [(pk, f"{app}.{model}") for pk, app, model in types.order_by(*names).distinct()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() is None:
            return queryset
        return queryset.filter(content_type_id=self.value())


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """The audit log, read only, without the entries of private models
    (counselling's referrals): not listed, not counted, not in the filters,
    not found when opened."""

    date_hierarchy = "timestamp"
    list_display = ["timestamp", "actor", "kind_label", "resource", "remote_addr"]
    list_filter = [KindFilter, ResourceTypeFilter]
    list_select_related = ["content_type", "actor"]
    search_fields = ["object_repr", "actor__username"]
    readonly_fields = (
        "timestamp",
        "actor",
        "actor_email",
        "remote_addr",
        "kind_label",
        "resource",
        "data",
    )
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[LogEntry]:
        return shown_log_entries(super().get_queryset(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LogEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: LogEntry | None = None) -> bool:
        return False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, entry: LogEntry) -> str:
        return entry.kind_label

    @admin.display(description=_("object"))
    def resource(self, entry: LogEntry) -> str:
        content_type = entry.content_type
        name = f"admin:{content_type.app_label}_{content_type.model}_change"
        try:
            url = reverse(name, args=[entry.object_pk])
        except NoReverseMatch:
            return entry.object_repr
        return format_html('<a href="{}">{}</a>', url, entry.object_repr)

    @admin.display(description=_("data"))
    def data(self, entry: LogEntry) -> str:
        text = json.dumps(entry.additional_data, ensure_ascii=False, indent=2)
        return format_html("<pre>{}</pre>", text)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
