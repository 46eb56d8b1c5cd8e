"""The form a CX lead uses to preview and publish a photo for the public page."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from insights.models.public_photos import BOX_FORMAT, clean_boxes

PREVIEW = "preview"
PUBLISH = "publish"


class PublicPhotoForm(forms.Form):
    """The boxes drawn on the photo (kept as text, so they can be typed without the
    script) and the alt text. Preview needs only valid boxes; publishing needs both."""

    boxes = forms.CharField(
        label=_("Extra areas to blur"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "autocomplete": "off"}),
        help_text=(
            "Drag across the photo to blur anything else: a face that was missed, a name "
            f"badge, a screen. Or type the boxes here as {BOX_FORMAT}."
        ),
    )
    alt_text = forms.CharField(
        label=_("What the photo shows"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Read aloud to people who cannot see the photo, and shown if it cannot load."),
    )

    def __init__(self, *args, photo, publishing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo = photo
        self.publishing = publishing

    def clean_boxes(self) -> list[list[int]]:
        text = self.cleaned_data["boxes"].strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(
                f"These boxes cannot be read: write them as {BOX_FORMAT}.", code="boxes_format"
            ) from None
        return clean_boxes(value, self.photo.width, self.photo.height)

    def clean_alt_text(self) -> str:
        text = " ".join(self.cleaned_data["alt_text"].split())
        if self.publishing and not text:
            raise forms.ValidationError(
                "Describe what the photo shows before publishing it.", code="required"
            )
        return text


def boxes_as_text(boxes) -> str:
    return json.dumps(boxes) if boxes else ""
