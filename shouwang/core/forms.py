import copy
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, ClassVar

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.lib.spreadsheets import EXTENSIONS


def first_error(form: forms.Form) -> str:
    """The form's first error, for a message on the page a POST redirects back to."""
    for errors in form.errors.values():
        return str(errors[0])
    return ""


class _DeclaredFields:
    """Stands in for a form class's `base_fields` while a form is built:
    Django deep-copies them for every form, which for the check-in form cost
    a sixth of its POST (docs/performance.md)."""

    __slots__ = ("copied", "fields")

    def __init__(self, fields: dict[str, forms.Field], copied: Collection[str]):
        self.fields = fields
        self.copied = copied

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {
            name: copy.deepcopy(field, memo) if name in self.copied else field
            for name, field in self.fields.items()
        }


class SharedFieldsMixin:
    """For a form that changes none of its fields once its class is made, except
    those named in `copied_fields`: its forms share the others instead of each
    getting a copy (the check-in form's dozen fields, docs/performance.md).
    Its widgets are styled where they are declared.

    Relies on `BaseForm.__init__` deep-copying `self.base_fields`, read once,
    into `self.fields` (core/tests/test_forms.py watches it)."""

    copied_fields: ClassVar[Collection[str]] = ()
    base_fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Read by BaseForm.__init__ alone, which copies it into self.fields.
        self.base_fields = _DeclaredFields(type(self).base_fields, self.copied_fields)  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        del self.base_fields


class BootstrapMixin:
    """Give every widget its Bootstrap class, so templates render fields plainly."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            # CheckboxList and RadioList put the class on each box of their list.
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


# What a browser's datetime-local input sends and shows.
DATETIME_INPUT = "%Y-%m-%dT%H:%M"
# Commas, Chinese commas and enumeration marks, semicolons or spaces.
SEPARATORS = re.compile(r"[,，、;；\s]+")


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Bootstrap's checkboxes: the class on each box, not on the list around
    them; a long list scrolls within its own box."""

    template_name = "core/widgets/checkbox_list.html"
    option_template_name = "core/widgets/checkbox_option.html"


class RadioList(forms.RadioSelect):
    """Bootstrap's radio buttons, as CheckboxList."""

    template_name = CheckboxList.template_name
    option_template_name = CheckboxList.option_template_name


class SpreadsheetField(forms.FileField):
    """A spreadsheet to import (.xlsx, .xls or .csv) of at most `max_bytes()`
    bytes: a function, so that a setting is read when the form is checked."""

    def __init__(self, *, max_bytes: Callable[[], int], **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy(".xlsx, .xls or .csv"))
        super().__init__(**kwargs)
        self.max_bytes = max_bytes

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            if Path(upload.name).suffix.lower() not in EXTENSIONS:
                raise forms.ValidationError(_("Upload an .xlsx, .xls or .csv file."))
            limit = self.max_bytes()
            if upload.size > limit:
                raise forms.ValidationError(
                    _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
                )
        return upload
