import copy
import re
from collections.abc import Collection
from typing import ClassVar

from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils.choices import BaseChoiceIterator, normalize_choices


class FixedChoices(BaseChoiceIterator):
    """Choices that never change, shared by every instance of a form.

    Django deep-copies a choice field's choices, lazy labels and all, for each
    form it builds, then normalises them again for the widget: for a form of a
    few radio groups that is most of the cost of building it. Django's own
    iterators pass through that normalising untouched, and these are not copied.
    `choices` may be a function, called once, when they are first needed."""

    def __init__(self, choices):
        self._source = choices
        self._choices: tuple | None = None

    @property
    def choices(self) -> tuple:
        if self._choices is None:
            source = self._source() if callable(self._source) else self._source
            self._choices = tuple(normalize_choices(source))
        return self._choices

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def first_error(form: forms.Form) -> str:
    """The form's first error, for a message on the page a POST redirects back to."""
    for errors in form.errors.values():
        return str(errors[0])
    return ""


# The fields and widgets whose copy for a form is Django's plain one.
_PLAIN_FIELD_COPIES = {vars(forms.Field)["__deepcopy__"], vars(forms.ChoiceField)["__deepcopy__"]}
_PLAIN_WIDGET_COPIES = {vars(forms.Widget)["__deepcopy__"], vars(ChoiceWidget)["__deepcopy__"]}


def _shallow(obj):
    # copy.copy's result, without the pickling protocol it goes through.
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def copy_field(field: forms.Field, memo: dict) -> forms.Field:
    """What `copy.deepcopy(field)` makes of a plain field and widget (Django's
    own `__deepcopy__` methods, written out), in a fraction of the time;
    anything else is deep-copied as Django would."""
    widget = field.widget
    if (
        getattr(type(field), "__deepcopy__", None) not in _PLAIN_FIELD_COPIES
        or getattr(type(widget), "__deepcopy__", None) not in _PLAIN_WIDGET_COPIES
    ):
        return copy.deepcopy(field, memo)
    result = _shallow(field)
    memo[id(field)] = result
    result.widget = _shallow(widget)
    result.widget.attrs = widget.attrs.copy()
    if isinstance(widget, ChoiceWidget):
        # Past the `choices` setter: these were normalised when first set.
        result.widget._choices = copy.copy(widget._choices)  # type: ignore[attr-defined]
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if isinstance(field, forms.ChoiceField):
        result._choices = copy.deepcopy(field._choices, memo)  # type: ignore[attr-defined]
    return result


class _DeclaredFields:
    """Stands in for a form class's `base_fields` while a form is built:
    Django deep-copies them for every form, which for a form of a dozen fields
    costs more than validating it (the check-in's figures are in
    docs/performance.md)."""

    __slots__ = ("copied", "fields")

    def __init__(self, fields: dict[str, forms.Field], copied: Collection[str] | None):
        self.fields = fields
        self.copied = copied

    def __deepcopy__(self, memo):
        copied = self.copied
        return {
            name: copy_field(field, memo) if copied is None or name in copied else field
            for name, field in self.fields.items()
        }


class SharedFieldsMixin:
    """For a form that changes none of its fields once its class is made, except
    those named in `copied_fields`: its forms share the others instead of each
    getting a copy (the check-in form's dozen fields, docs/performance.md).
    Its widgets are styled where they are declared; BootstrapMixin would
    change them for each form. `copied_fields = None` copies every field."""

    copied_fields: ClassVar[Collection[str] | None] = ()
    base_fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs):
        # Read by BaseForm.__init__ alone, which copies it into self.fields.
        self.base_fields = _DeclaredFields(type(self).base_fields, self.copied_fields)  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        del self.base_fields


class BootstrapMixin(SharedFieldsMixin):
    """Give every widget its Bootstrap class, so templates render fields
    plainly; each form gets its own copy of every field to style."""

    copied_fields = None
    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs):
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
