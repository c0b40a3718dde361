from typing import Any

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Incident, PlanTemplate, PlanTemplateTask


class PlanTemplateTaskInline(admin.TabularInline):
    model = PlanTemplateTask
    extra = 3
    fields = ("position", "title", "due_after")

    def get_formset(
        self, request: HttpRequest, obj: PlanTemplate | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["due_after"].help_text = _(
            "After the incident opens: 2:00:00 is two hours, 3 00:00:00 three days."
        )
        return formset


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    inlines = [PlanTemplateTaskInline]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Read-only: incidents are opened, changed and closed in the app, where
    each step is audited."""

    list_display = ("title", "level", "started_at", "closed_at", "reporters")
    list_filter = ("level", "reporters")
    search_fields = ("title",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Incident | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Incident | None = None) -> bool:
        return False
