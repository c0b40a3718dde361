import re

from django import forms
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


class BootstrapMixin:
    """Give every widget its Bootstrap class, so templates render fields plainly."""

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
