"""Forms for triage and for changing actions; each checks all its input before anything is saved."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from immersion.forms import DayField, keeping
from immersion.models import Role, Team
from insights.models import Action, ServicePolicy, TeamTriageSettings
from insights.theme_forms import ThemeChoiceField, offer_themes
from insights.triage import observations_in_scope, triage_queue
from journal.images import MultipleImageInput, PhotoUploadsField


def people_in_scope(user):
    """Who a CX lead may give an action to: anyone in a team of their scope."""
    return (
        get_user_model()
        .objects.filter(is_active=True, teams__in=user.scope_team_ids)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def default_due_on(priority: int = Action.Priority.NORMAL):
    """A new action's due date: the priority's policy counted from today."""
    return ServicePolicy.for_priority(priority).due_on(timezone.localdate())


def default_owner_id(team) -> int | None:
    """The default action owner set for the team, or failing that for the nearest team above."""
    return TeamTriageSettings.default_owner_for(team)


def owner_label(user) -> str:
    return user.get_full_name() or user.username


def owner_groups(user, team, *, everyone=False, keep=None) -> list:
    """Owner choices grouped by team: the observation's team and those above it, nearest first.

    Executives are left out unless `everyone` asks for all people in the CX lead's reach,
    whose teams are then listed too. Without a team (several observations at once) every
    team in reach is listed. `keep` is a chosen owner to offer even if not listed.
    """
    if everyone or team is None:
        team_ids = set(user.scope_team_ids)
    else:
        team_ids = {int(pk) for pk in team.path.strip("/").split("/")} & user.scope_team_ids
    memberships = (
        get_user_model()
        .teams.through.objects.filter(team_id__in=team_ids, user__is_active=True)
        .select_related("user", "team")
    )
    if not everyone:
        memberships = memberships.exclude(user__groups__name=Role.EXECUTIVE.label)
    by_team: dict = {}
    for membership in memberships:
        by_team.setdefault(membership.team, []).append(membership.user)
    # Nearest team first: the observation's own team, then each one above it.
    teams = sorted(by_team, key=lambda t: (t.path,) if everyone or team is None else (-t.depth,))
    groups = [
        (str(t), [(u.pk, owner_label(u)) for u in sorted(by_team[t], key=owner_label)])
        for t in teams
    ]
    listed = {pk for _, people in groups for pk, _ in people}
    if keep and str(keep).isdigit() and int(keep) not in listed:
        chosen = people_in_scope(user).filter(pk=keep).first()
        if chosen is not None:
            groups.insert(0, (_("Chosen"), [(chosen.pk, owner_label(chosen))]))
    return groups


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class VersionedForm(forms.Form):
    """Carries the action version the page showed, so a change made meanwhile is noticed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionFieldsMixin:
    """Owner and team limited to the CX lead's scope; due dates not in the past."""

    def _limit_to_scope(self, user):
        self.fields["owner"].queryset = people_in_scope(user)
        self.fields["owner"].error_messages["invalid_choice"] = _(
            "Choose someone in a team you look after."
        )
        self.fields["team"].queryset = Team.objects.filter(pk__in=user.scope_team_ids)
        self.fields["team"].error_messages["invalid_choice"] = _("Choose a team you look after.")

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        unchanged = self.initial.get("due_on") == due_on
        if due_on < timezone.localdate() and not unchanged:
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on


class NewActionForm(ActionFieldsMixin, forms.ModelForm):
    """Triage an observation into a new action."""

    owner = OwnerChoiceField(queryset=None, label=_("Owner"))

    class Meta:
        model = Action
        fields = ["title", "description", "owner", "team", "due_on", "priority"]
        field_classes = {"due_on": DayField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "owner": _("Owner"),
            "team": _("Team"),
            "due_on": _("Due date"),
            "priority": _("Priority"),
        }

    def __init__(self, *args, user, observation=None, everyone=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_to_scope(user)
        team = observation.session.team if observation is not None else None
        if team is not None and not self.is_bound:
            self.initial.setdefault("team", team.pk)
            self.initial.setdefault("title", observation.what_happened[:80])
            self.initial.setdefault("owner", default_owner_id(team))
        if not self.is_bound:
            priority = self.initial.get("priority") or self.fields["priority"].initial
            self.initial.setdefault("due_on", default_due_on(priority or Action.Priority.NORMAL))
        chosen = self["owner"].value()
        self.fields["owner"].widget.choices = [
            ("", self.fields["owner"].empty_label),
            *owner_groups(user, team, everyone=everyone, keep=chosen),
        ]


class EditActionForm(ActionFieldsMixin, forms.ModelForm):
    """A CX lead's changes to an action's details, owner, due date, priority and public wording."""

    owner = OwnerChoiceField(queryset=None, label=_("Owner"))
    themes = ThemeChoiceField(help_text=_("The root causes it addresses."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Why (optional, kept in the history)"), required=False, max_length=500
    )
    field_order = ["title", "description", "owner", "team", "due_on", "priority", "themes"]

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "owner",
            "team",
            "due_on",
            "priority",
            "you_said",
            "we_did",
            "is_published",
        ]
        field_classes = {"due_on": DayField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "you_said": forms.Textarea(attrs={"rows": 2}),
            "we_did": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "team": _("Team"),
            "due_on": _("Due date"),
            "priority": _("Priority"),
            "you_said": _("You said"),
            "we_did": _("We did"),
            "is_published": _("Show on the public “you said, we did” page"),
        }
        help_texts = {
            "you_said": _("In the customer's words, what they told us or would have felt."),
            "we_did": _("What changed because of it, in plain words."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_to_scope(user)
        # An owner the CX lead does not reach (given by a lead above them) stays the owner
        # of this action unless they hand it to someone of theirs.
        self.fields["owner"].queryset = keeping(
            self.fields["owner"].queryset, [self.instance.owner_id]
        )
        # A retired theme the action carries stays offered, so saving never drops it.
        held = [theme.pk for theme in self.instance.themes.all()]
        offer_themes(self.fields["themes"], keep=held)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["themes"] = held

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_published"):
            for field, words in (("you_said", _("you said")), ("we_did", _("we did"))):
                if field not in self.errors and not (cleaned.get(field) or "").strip():
                    self.add_error(
                        field,
                        _("Write “%(words)s” before publishing.") % {"words": words},
                    )
        return cleaned

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class LinkActionForm(forms.Form):
    action = forms.ModelChoiceField(
        queryset=None,
        label=_("Action"),
        error_messages={"invalid_choice": _("Choose an open action in your teams.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = (
            Action.objects.visible_to(user)
            .filter(team_id__in=user.scope_team_ids)
            .unfinished()
            .select_related("team")
        )
        self.fields["action"].label_from_instance = lambda a: f"{a.title} ({a.team}, {a.due_on})"


class DuplicateForm(forms.Form):
    original = forms.ModelChoiceField(
        queryset=None,
        label=_("Same as observation"),
        error_messages={"invalid_choice": _("Choose another observation in your teams.")},
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def __init__(self, *args, user, observation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = (
            observations_in_scope(user)
            .filter(touchpoint=observation.touchpoint)
            .exclude(pk=observation.pk)
            .select_related("session__team")
            .order_by("-created_at", "-pk")
        )
        self.fields["original"].label_from_instance = lambda o: (
            f"#{o.pk} {o.session.team}, {o.created_at:%d %b}: {o.what_happened[:70]}"
        )


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give the reason.")},
    )


class NoActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why no action"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give the reason no action will be taken.")},
    )


class StartForm(VersionedForm):
    note = forms.CharField(label=_("Progress note (optional)"), required=False, max_length=2000)


class CompleteForm(VersionedForm):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Say what was done: evidence is required.")},
    )
    # Checked and cleaned by the journal's pipeline, like every photo in the product.
    photos = PhotoUploadsField(
        label=_("Photos of the change (optional)"),
        widget=MultipleImageInput(attrs={"capture": "environment"}),
        help_text=_("Take or choose photos showing what changed."),
    )


class VerifyForm(VersionedForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        error_messages={"required": _("Write a comment first.")},
    )


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["reminder_emails", "board_pack_emails"]
        labels = {
            "reminder_emails": _("Send me reminder e-mails"),
            "board_pack_emails": _("Send me the monthly board pack"),
        }
        help_texts = {
            "reminder_emails": _(
                "Due-soon reminders and daily overdue notices. "
                "E-mails telling you an action is yours are always sent."
            ),
            "board_pack_emails": _(
                "On the first of each month, last month's dashboard for all your teams as a PDF."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The board pack is the executives' report; nobody else may ask for it.
        if not self.instance.is_executive:
            del self.fields["board_pack_emails"]


class TeamTriageSettingsForm(forms.ModelForm):
    """A team's default action owner, chosen from people of the team and the teams above it."""

    default_owner = OwnerChoiceField(
        queryset=None,
        required=False,
        label=_("Default action owner"),
        empty_label=_("Nobody: the team above decides, or the CX lead chooses each time"),
    )

    class Meta:
        model = TeamTriageSettings
        fields = ["default_owner", "revisit_days"]

    def __init__(self, *args, user, team, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post, the window stays as it was.
        self.fields["revisit_days"].required = False
        self.fields["revisit_days"].error_messages.update(
            min_value=_("Give a number of days from 1 to 365."),
            max_value=_("Give a number of days from 1 to 365."),
        )
        field = self.fields["default_owner"]
        field.queryset = people_in_scope(user)
        field.error_messages["invalid_choice"] = _("Choose someone in a team you look after.")
        field.widget.choices = [
            ("", field.empty_label),
            *owner_groups(user, team, keep=self["default_owner"].value()),
        ]

    def clean_revisit_days(self):
        days = self.cleaned_data.get("revisit_days")
        return self.instance.revisit_days if days is None else days


class BulkObservationsForm(forms.Form):
    """Several waiting observations chosen in the queue; the view has checked they are in reach."""

    observations = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Select the observations to decide on."),
            "invalid_choice": _("Observation %(value)s already has a decision; reload the queue."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observations"].queryset = triage_queue(user)


class BulkDuplicateForm(forms.Form):
    original = forms.IntegerField(
        label=_("Same as observation number"),
        min_value=1,
        error_messages={"required": _("Give the number of the observation they repeat.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_original(self):
        found = observations_in_scope(self.user).filter(pk=self.cleaned_data["original"]).first()
        if found is None:
            raise forms.ValidationError(_("Choose an observation in your teams."))
        return found
