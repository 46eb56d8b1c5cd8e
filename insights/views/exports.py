"""CSV exports of actions and observations for CX leads and executives."""

from django import forms
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.http import require_safe

from immersion.access import role_required
from immersion.models import Role
from immersion.replica import reads_from_replica
from insights.csv_export import csv_response
from insights.filters import ActionFilter
from insights.models import Action, ActionTheme, ObservationTheme, Theme
from insights.themes import theme_names
from insights.triage import observations_in_scope
from journal.models import Observation

CHUNK = 500


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _refused(errors) -> HttpResponseBadRequest:
    # Ignoring a bad filter would export more than was asked for, without a word.
    problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
    return HttpResponseBadRequest(
        f"Nothing was exported. {problems}", content_type="text/plain; charset=utf-8"
    )


class ObservationExportFilter(forms.Form):
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Choose one of the themes."},
    )


def _hours(duration) -> str:
    return f"{duration.total_seconds() / 3600:.1f}" if duration is not None else ""


@require_safe
@role_required(Role.CX_LEAD, Role.EXECUTIVE)
@reads_from_replica
def actions_csv(request):
    visible = Action.objects.visible_to(request.user)
    filterset = ActionFilter(request.GET or None, queryset=visible, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        return _refused(filterset.errors)
    actions = filterset.qs if filterset.is_bound else visible
    actions = (
        actions.select_related("owner", "team", "verified_by")
        .with_status_times()
        .annotate(theme_names=theme_names(ActionTheme, "action_id"))
        .prefetch_related(Prefetch("observations", queryset=Observation.objects.only("pk")))
        .order_by("pk")
    )
    header = [
        "id", "title", "status", "priority", "owner", "team", "due_on", "overdue",
        "created_at", "done_at", "evidence", "verified_at", "verified_by", "dropped_reason",
        "observations", "published", "you_said", "we_did",
        "hours_to_start", "hours_to_done", "hours_to_verified", "themes",
    ]  # fmt: skip

    def rows():
        for a in actions.iterator(chunk_size=CHUNK):
            yield [
                a.pk, a.title, a.get_status_display(), a.get_priority_display(), a.owner,
                a.team, a.due_on.isoformat(), "yes" if a.is_overdue else "no",
                _when(a.created_at), _when(a.done_at), a.evidence_note, _when(a.verified_at),
                a.verified_by or "", a.dropped_reason,
                " ".join(str(o.pk) for o in a.observations.all()),
                "yes" if a.is_published else "no", a.you_said, a.we_did,
                _hours(a.time_to_start), _hours(a.time_to_done), _hours(a.time_to_verified),
                a.theme_names or "",
            ]  # fmt: skip

    return csv_response("actions", header, rows())


@require_safe
@role_required(Role.CX_LEAD, Role.EXECUTIVE)
@reads_from_replica
def observations_csv(request):
    chosen = ObservationExportFilter(request.GET)
    if not chosen.is_valid():
        return _refused(chosen.errors)
    in_scope = observations_in_scope(request.user)
    if chosen.cleaned_data["theme"]:
        in_scope = in_scope.filter(themes=chosen.cleaned_data["theme"])
    observations = (
        in_scope.select_related("session__session_type", "session__team", "author", "triaged_by")
        .annotate(theme_names=theme_names(ObservationTheme, "observation_id"))
        .prefetch_related(Prefetch("actions", queryset=Action.objects.only("pk", "status")))
        .order_by("created_at", "pk")
    )
    header = [
        "id", "created_at", "team", "session_type", "author", "touchpoint", "journey_stage",
        "kind", "impact", "feeling", "intensity", "what_happened", "quote", "triage",
        "triaged_at", "triaged_by", "triage_note", "duplicate_of", "actions", "themes",
    ]  # fmt: skip

    def rows():
        for o in observations.iterator(chunk_size=CHUNK):
            yield [
                o.pk, _when(o.created_at), o.session.team, o.session.session_type, o.author,
                o.get_touchpoint_display(), o.get_journey_stage_display(), o.get_kind_display(),
                o.get_impact_display(), o.get_emotion_display(), o.intensity, o.what_happened,
                o.quote, o.get_triage_state_display(), _when(o.triaged_at), o.triaged_by or "",
                o.triage_note, o.duplicate_of_id or "",
                " ".join(f"{a.pk}:{a.status}" for a in o.actions.all()), o.theme_names or "",
            ]  # fmt: skip

    return csv_response("observations", header, rows())
