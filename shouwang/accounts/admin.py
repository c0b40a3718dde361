from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from .models import REFERRAL_ROLES, User

# Roles are the groups' names: whoever edits a group's name or its members
# grants roles with no record. They are granted on the roles page only
# (accounts.actions), so groups are not edited here at all.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "person", "is_staff", "is_superuser", "must_change_password")
    raw_id_fields = ("person",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (None, {"fields": ("person", "must_change_password")}),
    )
    # Shown, never edited: a posted "groups" is not a field of the form.
    readonly_fields = ("groups",)
    filter_horizontal = ("user_permissions",)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # The login of someone who reads referrals is not changed here: a new
        # password, username or person would let an admin sign in as them.
        # Remove the role on the roles page first, which its holders see.
        if obj is not None and obj.has_role(*REFERRAL_ROLES):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.has_role(*REFERRAL_ROLES):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Deleting in bulk would pass over the check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
