from typing import cast

from django import forms
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import FixedChoices


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
