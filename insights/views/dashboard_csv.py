"""Each dashboard chart's data table as CSV, for the page's filters.

The rows are the page's own (``build`` and ``presentation``), so a download holds the
figures the page shows; every file goes through the spreadsheet-safe writer.
"""

from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from immersion.access import role_required
from immersion.models import Role
from immersion.replica import reads_from_replica
from insights import chart_feelings
from insights.csv_export import csv_response
from insights.dashboard import build
from insights.dashboard_filters import DashboardFilterForm
from insights.dashboard_headline import headline
from insights.views.dashboard import presentation


def _rate(value):
    return "" if value is None else round(value, 4)


def _headline(data, context, filters):
    header = [
        _("Figure"),
        _("Period"),
        _("Value"),
        _("Detail"),
        _("Previous period"),
        _("Change"),
        _("Verdict"),
    ]
    rows = [
        [f.label, f.period, f.value, f.detail, f.previous, f.change_text, f.verdict]
        for f in headline(filters, data["headline"])
    ]
    return header, rows


def _participation(data, context, filters):
    header = [_("Week of"), _("Sessions completed"), _("Target")]
    rows = [
        [p["week"].isoformat(), p["completed_sessions"], round(p["target_sessions"], 2)]
        for p in data["trend"]
    ]
    return header, rows


def _completion(data, context, filters):
    header = [_("Week raised"), _("Actions raised"), _("Due"), _("Done or verified"), _("Rate")]
    rows = [
        [p["week"].isoformat(), p["actions"], p["due"], p["finished_due"], _rate(p["completion"])]
        for p in data["trend"]
    ]
    return header, rows


def _overdue(data, context, filters):
    header = [_("Team"), _("Overdue"), _("Actions raised")]
    return header, [[r.team.name, r.overdue, r.actions] for r in context["ranked_overdue"]]


def _status(data, context, filters):
    choices = context["status_choices"]
    header = [_("Team"), *[label for _, label in choices]]
    rows = [[r.team.name, *[r.status_counts[v] for v, _ in choices]] for r in data["teams"]]
    return header, rows


def _status_times(data, context, filters):
    header = [
        _("Team"),
        _("Median days to start"),
        _("Median days to done"),
        _("Median days to verified"),
    ]
    rows = [
        [r["team"].name, _rate(r["to_start"]), _rate(r["to_done"]), _rate(r["to_verified"])]
        for r in data["status_times"]
    ]
    return header, rows


def _feelings(data, context, filters):
    header = [
        _("Touchpoint"),
        _("Feeling"),
        _("Valence"),
        _("Observations"),
        _("Share of touchpoint"),
    ]
    rows = [
        [
            row["label"],
            cell["emotion_label"],
            chart_feelings.valence(cell["emotion"]),
            cell["count"],
            _rate(cell["share"]),
        ]
        for row in data["heatmap"]["rows"]
        for cell in row["cells"]
        if cell["count"]
    ]
    return header, rows


def _ranked_completion(data, context, filters):
    header = [_("Team"), _("Due"), _("Done or verified"), _("Rate")]
    rows = [
        [r.team.name, r.due, r.finished_due, _rate(r.completion)]
        for r in context["ranked_completion"]
    ]
    return header, rows


def _ranked_participation(data, context, filters):
    header = [_("Team"), _("Sessions completed"), _("Target"), _("Rate")]
    rows = [
        [r.team.name, r.completed_sessions, round(r.target, 2), _rate(r.participation)]
        for r in context["ranked_participation"]
    ]
    return header, rows


TABLES = {
    "headline": _headline,
    "participation": _participation,
    "completion": _completion,
    "overdue": _overdue,
    "status": _status,
    "status-times": _status_times,
    "feelings": _feelings,
    "ranked-completion": _ranked_completion,
    "ranked-participation": _ranked_participation,
}


@require_safe
@role_required(Role.EXECUTIVE, Role.CX_LEAD, Role.MANAGER)
@reads_from_replica
def dashboard_csv(request, table):
    if table not in TABLES:
        raise Http404("No such table.")
    form = DashboardFilterForm(request.GET, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("These filters could not be used: correct them on the dashboard first."),
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    data = build(filters)
    context = presentation(data, filters)
    header, rows = TABLES[table](data, context, filters)
    name = f"dashboard-{table}-{filters.start:%Y-%m-%d}-to-{filters.end:%Y-%m-%d}"
    return csv_response(name, header, rows)
