from django.contrib import admin

from .models import BuildingTeam, IsolationRoom, MealSlot


@admin.register(IsolationRoom)
class IsolationRoomAdmin(admin.ModelAdmin):
    list_display = ("building", "number", "capacity", "is_active", "note")
    list_filter = ("is_active", "building")
    search_fields = ("building", "number")


@admin.register(MealSlot)
class MealSlotAdmin(admin.ModelAdmin):
    list_display = ("name", "time", "drop_point", "is_active")


@admin.register(BuildingTeam)
class BuildingTeamAdmin(admin.ModelAdmin):
    list_display = ("building", "team")
    autocomplete_fields = ("team",)
