from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: for troubleshooting "did the reminder go out?" by its key."""

    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind", "created_at")
    list_select_related = ("recipient",)
    search_fields = ("key", "recipient__number", "recipient__name")
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
