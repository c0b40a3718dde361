from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.uploads import IMAGES, AllowedUpload

from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    IMAGE_MAX_BYTES,
    Article,
    ArticleAttachment,
    Letter,
    Section,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def image_field(required: bool, label: StrOrPromise) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        validators=[AllowedUpload(IMAGES, IMAGE_MAX_BYTES)],
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("A photo's location and other metadata are removed when it is saved."),
    )


class ArticleForm(forms.ModelForm):
    section = forms.ModelChoiceField(
        Section.objects.all(), to_field_name="slug", empty_label=None, label=_("Section")
    )
    cover_upload = image_field(False, _("Cover image"))

    class Meta:
        model = Article
        fields = ["section", "title", "body", "source"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class", "form-control" if name != "section" else "form-select"
            )


class PublishForm(forms.Form):
    published_at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}),
        help_text=_("Empty: now. A later time publishes the article then."),
    )


class ImageForm(forms.Form):
    file = image_field(True, _("Image"))
    caption = forms.CharField(
        label=_("Caption"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        validators=[ArticleAttachment.allowed()],
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class LetterForm(forms.ModelForm):
    # Hidden from people by the page's style; a robot filling every field fills it.
    homepage = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = Letter
        fields = ["subject", "body", "name", "contact"]
        labels = {"name": _("Your name (optional)"), "contact": _("How to reach you (optional)")}
        help_texts = {
            "name": _("You may write without giving your name."),
            "contact": _("A phone number or e-mail address, if you want a reply in person."),
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "maxlength": 3000})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        self.fields["homepage"].widget.attrs.update(tabindex="-1", autocomplete="off")

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Query code"),
        max_length=CODE_LENGTH + 8,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").upper()
        # Anything else cannot be a code, and a "/" would not even make the
        # letter page's address.
        if len(code) != CODE_LENGTH or not set(code) <= set(CODE_ALPHABET):
            raise forms.ValidationError(
                _("A query code is %(length)d letters and digits, as shown with the letter.")
                % {"length": CODE_LENGTH}
            )
        return code


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
    )
