from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from .models import Edition, Mailbox, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(
        self, request: HttpRequest, obj: Section, form: ModelForm[Section], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        # Section names are on every public page.
        Edition.bump()

    def delete_model(self, request: HttpRequest, obj: Section) -> None:
        super().delete_model(request, obj)
        Edition.bump()


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    """Admins choose whom each mailbox's letters go to."""

    list_display = ("name", "slug", "person", "position")
    autocomplete_fields = ("person",)

    def save_model(
        self, request: HttpRequest, obj: Mailbox, form: ModelForm[Mailbox], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        Edition.bump()
