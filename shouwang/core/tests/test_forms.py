from typing import cast

from django import forms
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, FixedChoices, SharedFieldsMixin
from shouwang.people.models import Unit


class ColourForm(forms.Form):
    colour = forms.ChoiceField(choices=FixedChoices([("red", "Red"), ("blue", "Blue")]))
    shade = forms.ChoiceField(
        widget=forms.RadioSelect, choices=FixedChoices(lambda: [("light", "light")])
    )


def colour(form: ColourForm) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields["colour"])


class FixedChoicesTests(SimpleTestCase):
    def test_forms_share_the_choices_instead_of_copying_them(self):
        first, second = ColourForm(), ColourForm()
        self.assertIs(colour(first).choices, colour(second).choices)
        self.assertIs(cast(forms.Select, colour(first).widget).choices, colour(first).choices)

    def test_a_form_that_replaces_its_choices_changes_only_itself(self):
        changed = ColourForm()
        colour(changed).choices = [("green", "Green")]
        self.assertFalse(ColourForm({"colour": "green", "shade": "light"}).is_valid())
        self.assertTrue(ColourForm({"colour": "red", "shade": "light"}).is_valid())

    def test_validation_and_rendering_use_them(self):
        form = ColourForm({"colour": "purple", "shade": "light"})
        self.assertIn("colour", form.errors)
        with translation.override("zh-hans"):
            html = str(ColourForm()["colour"])
        self.assertIn('<option value="red">', html)
        self.assertIn('<option value="blue">', html)

    def test_a_function_is_called_once_and_only_when_needed(self):
        calls = []

        def load():
            calls.append(1)
            return [("a", "A")]

        choices = FixedChoices(load)
        self.assertEqual(calls, [])
        self.assertEqual(list(choices), [("a", "A")])
        self.assertEqual(list(choices), [("a", "A")])
        self.assertEqual(len(calls), 1)

    def test_labels_follow_the_language(self):
        choices = FixedChoices([("yes", _("yes"))])
        with translation.override("zh-hans"):
            self.assertEqual(str(dict(choices)["yes"]), "是")
        with translation.override("en"):
            self.assertEqual(str(dict(choices)["yes"]), "yes")


class StyledForm(BootstrapMixin, forms.Form):
    name = forms.CharField(max_length=5)
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])
    shade = forms.ChoiceField(widget=forms.RadioSelect, choices=FixedChoices([("light", "light")]))
    unit = forms.ModelChoiceField(queryset=Unit.objects.all())


class FieldCopyTests(SimpleTestCase):
    """Each form gets its own fields, copied by hand rather than deep-copied:
    what one form changes of them, no other form sees."""

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

    def test_a_field_with_its_own_copy_is_copied_its_way(self):
        first, second = StyledForm(), StyledForm()
        first_unit = cast(forms.ModelChoiceField, first.fields["unit"])
        second_unit = cast(forms.ModelChoiceField, second.fields["unit"])
        # ModelChoiceField copies its queryset, so that forms do not share results.
        self.assertIsNot(first_unit.queryset, second_unit.queryset)
        self.assertIs(first_unit.widget.choices.field, first_unit)

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
