from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "person", "is_staff", "is_superuser", "must_change_password")
    raw_id_fields = ("person",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (None, {"fields": ("person", "must_change_password")}),
    )
