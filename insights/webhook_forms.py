"""Registering a webhook: where it sends, in which format, and which events it hears."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from immersion.models import Team
from insights.models import Webhook
from insights.webhooks import EVENTS


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        max_length=500,
        assume_scheme="https",
        label=_("Address to send to"),
        help_text=_(
            "An https address: your system's endpoint, or a Slack or Teams incoming "
            "webhook URL for a channel."
        ),
        error_messages={
            "required": _("Give the address to send to."),
            "invalid": _("Give a whole web address, starting with https://."),
        },
    )
    events = forms.MultipleChoiceField(
        choices=[(name, _(label)) for name, label in EVENTS.items()],
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event to send.")},
    )

    class Meta:
        model = Webhook
        fields = ["name", "team", "url", "format", "events", "active"]
        labels = {
            "name": _("Name"),
            "team": _("Team (and the teams below it)"),
            "format": _("Format"),
            "active": _("Sending"),
        }
        error_messages = {
            "name": {"required": _("Give the webhook a name people will recognise.")},
            "team": {"required": _("Choose the team whose events it sends.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reachable = Team.objects.filter(pk__in=user.scope_team_ids)
        self.fields["team"].queryset = reachable
        self.fields["team"].empty_label = None

    def clean_url(self):
        url = self.cleaned_data["url"]
        # A signed body sent in clear text could be read and its data taken on the way.
        if urlsplit(url).scheme != "https" and not settings.WEBHOOKS_ALLOW_HTTP:
            raise forms.ValidationError(_("Use an https:// address: events are not sent in clear."))
        return url
