from django.contrib import admin

from .models import UnitDesk


@admin.register(UnitDesk)
class UnitDeskAdmin(admin.ModelAdmin):
    list_display = ("unit", "handler")
    autocomplete_fields = ("handler",)
