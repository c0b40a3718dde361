from auditlog import admin as auditlog_admin
from django.contrib import admin

from .audit import shown_log_entries
from .models import LogEntry

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(auditlog_admin.LogEntryAdmin):
    """auditlog's log, without the rows of private models (counselling's
    referrals): not listed, not counted, not in the filters, not found when opened."""

    def get_queryset(self, request):
        return shown_log_entries(super().get_queryset(request))
