import inspect
from typing import cast

from django import forms
from django.test import SimpleTestCase

from shouwang.core.forms import BootstrapMixin, SharedFieldsMixin
from shouwang.people.models import Unit


class StyledForm(BootstrapMixin, forms.Form):
    name = forms.CharField(max_length=5)
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])
    shade = forms.ChoiceField(widget=forms.RadioSelect, choices=[("light", "light")])
    unit = forms.ModelChoiceField(queryset=Unit.objects.all())


class BootstrapTests(SimpleTestCase):
    """Each form gets its own fields to style: what one form changes of them,
    no other form sees."""

    def test_each_form_has_its_own_fields_and_widgets(self):
        first, second = StyledForm(), StyledForm()
        for name in StyledForm.base_fields:
            self.assertIsNot(first.fields[name], second.fields[name])
            self.assertIsNot(first.fields[name].widget, second.fields[name].widget)
            self.assertIsNot(first.fields[name].widget.attrs, second.fields[name].widget.attrs)

    def test_a_change_to_one_forms_field_stays_in_that_form(self):
        changed = StyledForm()
        changed.fields["name"].required = False
        changed.fields["name"].widget.attrs["placeholder"] = "姓名"
        changed.fields["name"].error_messages["required"] = "changed"
        changed.fields["name"].validators.append(lambda value: None)
        cast(forms.ChoiceField, changed.fields["colour"]).choices = [("green", "Green")]
        other = StyledForm()
        self.assertTrue(other.fields["name"].required)
        self.assertNotIn("placeholder", other.fields["name"].widget.attrs)
        self.assertNotEqual(other.fields["name"].error_messages["required"], "changed")
        self.assertEqual(other.fields["name"].validators, StyledForm.base_fields["name"].validators)
        self.assertIn('value="blue"', str(other["colour"]))
        self.assertNotIn('value="green"', str(other["colour"]))

    def test_the_bootstrap_class_is_given_once_per_form(self):
        StyledForm()
        form = StyledForm()
        self.assertEqual(form.fields["name"].widget.attrs["class"], "form-control")
        self.assertEqual(form.fields["colour"].widget.attrs["class"], "form-select")
        self.assertEqual(form.fields["shade"].widget.attrs["class"], "form-check-input")

    def test_the_copies_validate_as_the_declared_fields(self):
        form = StyledForm({"name": "toolong", "colour": "purple", "shade": "light"})
        self.assertFalse(form.is_valid())
        self.assertEqual(set(form.errors), {"name", "colour", "unit"})
        self.assertIs(type(form).base_fields, StyledForm.base_fields)


class SharingForm(SharedFieldsMixin, forms.Form):
    copied_fields = ("colour",)

    name = forms.CharField(max_length=5, widget=forms.TextInput(attrs={"class": "form-control"}))
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])

    def __init__(self, *args, colours=None, **kwargs):
        super().__init__(*args, **kwargs)
        if colours:
            cast(forms.ChoiceField, self.fields["colour"]).choices = colours


class SharedFieldsTests(SimpleTestCase):
    """A form that changes only its copied fields shares the others."""

    def test_forms_share_the_fields_they_do_not_change(self):
        first, second = SharingForm(), SharingForm()
        self.assertIs(first.fields["name"], second.fields["name"])
        self.assertIs(first.fields["name"], SharingForm.base_fields["name"])

    def test_a_copied_field_changed_by_one_form_stays_in_that_form(self):
        green = SharingForm(colours=[("green", "Green")])
        plain = SharingForm()
        self.assertIsNot(green.fields["colour"], plain.fields["colour"])
        self.assertIn('value="green"', str(green["colour"]))
        self.assertNotIn('value="green"', str(plain["colour"]))
        self.assertIn('value="blue"', str(plain["colour"]))

    def test_one_forms_errors_never_show_in_another(self):
        bad = SharingForm({"name": "toolong", "colour": "red"})
        self.assertFalse(bad.is_valid())
        self.assertIn("aria-invalid", str(bad["name"]))
        good = SharingForm({"name": "ok", "colour": "red"})
        self.assertTrue(good.is_valid())
        self.assertNotIn("aria-invalid", str(good["name"]))
        self.assertNotIn("aria-invalid", str(SharingForm()["name"]))

    def test_django_still_builds_a_forms_fields_from_base_fields_read_once(self):
        # The canary of SharedFieldsMixin, which hands BaseForm.__init__ a
        # stand-in for base_fields whose deep copy shares the fields.
        source = inspect.getsource(forms.BaseForm.__init__)
        self.assertIn(
            "self.fields = copy.deepcopy(self.base_fields)",
            source,
            "Django's BaseForm.__init__ no longer deep-copies self.base_fields: re-check "
            "SharedFieldsMixin in shouwang/core/forms.py (the check-in form shares its fields "
            "through it), then this test.",
        )
        code = [line for line in source.splitlines() if not line.strip().startswith("#")]
        reads = [line.strip() for line in code if "base_fields" in line]
        self.assertEqual(
            reads,
            ["self.fields = copy.deepcopy(self.base_fields)"],
            "BaseForm.__init__ reads base_fields otherwise: re-check SharedFieldsMixin.",
        )
