"""The executive dashboard."""

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext, pgettext
from django.views.decorators.http import require_safe

from immersion.access import role_required
from immersion.models import ImmersionSession, Role
from immersion.replica import reads_from_replica
from insights import chart_feelings, charts
from insights.dashboard import FINISHED, build
from insights.dashboard_filters import (
    DashboardFilterForm,
    action_list_url,
    observation_list_url,
    session_list_url,
)
from insights.dashboard_headline import headline
from insights.dashboard_themes import theme_section
from insights.models import Action
from journal.models import Observation


@require_safe
@role_required(Role.EXECUTIVE, Role.CX_LEAD, Role.MANAGER)
@reads_from_replica
def dashboard(request):
    form = DashboardFilterForm(request.GET, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        # Nothing is computed for a filter we could not read: no figures of the
        # wrong scope or period can leak through a malformed or foreign value.
        return render(request, "insights/dashboard/dashboard.html", {"form": form}, status=400)
    filters = form.filters()
    data = build(filters)
    feelings = request.GET.get("feelings")
    feelings = feelings if feelings in chart_feelings.MODES else chart_feelings.COUNTS
    return render(
        request,
        "insights/dashboard/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "headline_figures": headline(filters, data["headline"]),
            **data,
            **presentation(data, filters, feelings=feelings),
            "feelings_links": feelings_links(request, feelings),
            **theme_section(filters),
        },
    )


def feelings_links(request, current: str) -> list[dict]:
    """The heat map's switch between counts and shares: plain links keeping the filters."""
    links = []
    for mode, label in (
        (chart_feelings.COUNTS, gettext("Counts")),
        (chart_feelings.SHARES, gettext("Shares")),
    ):
        query = request.GET.copy()
        query["feelings"] = mode
        links.append(
            {"label": label, "url": f"?{query.urlencode()}#h-heat", "current": mode == current}
        )
    return links


def presentation(data: dict, filters, *, feelings: str = chart_feelings.COUNTS) -> dict:
    """Charts, their text alternatives and the links from every figure to its list."""
    head = data["headline"]
    trend = data["trend"]
    teams = data["teams"]
    status_choices = list(Action.Status.choices)
    links = {
        "sessions": session_list_url(filters, status=ImmersionSession.Status.COMPLETED),
        "observations": observation_list_url(filters),
        "actioned": observation_list_url(filters, triage_state=Observation.TriageState.ACTIONED),
        "untriaged": observation_list_url(filters, triage_state=Observation.TriageState.UNTRIAGED),
        "actions": action_list_url(filters),
        "finished_due": action_list_url(
            filters, status=list(FINISHED), due_before=filters.today.isoformat()
        ),
        "overdue": action_list_url(filters, overdue="1"),
        "verified": action_list_url(filters, status=Action.Status.VERIFIED),
        "published": action_list_url(filters, status=Action.Status.VERIFIED, published="1"),
    }
    for point in trend:
        week_end = (point["week"] + dt.timedelta(days=6)).isoformat()
        point["sessions_url"] = session_list_url(
            filters,
            status=ImmersionSession.Status.COMPLETED,
            starts_from=point["week"].isoformat(),
            starts_until=week_end,
        )
        point["actions_url"] = action_list_url(
            filters,
            created_after=point["week"].isoformat(),
            created_before=week_end,
            due_before=filters.today.isoformat(),
        )
    for row in teams:
        row.actions_url = action_list_url(filters, team=row.team.pk)
        row.overdue_url = action_list_url(filters, team=row.team.pk, overdue="1")
        row.status_urls = [
            (
                label,
                row.status_counts[value],
                action_list_url(filters, team=row.team.pk, status=value),
            )
            for value, label in status_choices
        ]
        row.sessions_url = session_list_url(
            filters, team=row.team.pk, status=ImmersionSession.Status.COMPLETED
        )
    for heat_row in data["heatmap"]["rows"]:
        for cell in heat_row["cells"]:
            cell["url"] = observation_list_url(
                filters, touchpoint=heat_row["touchpoint"], emotion=cell["emotion"]
            )

    participation_desc = gettext(
        "%(done)s sessions completed against a target of %(target)s over %(weeks)s weeks."
    ) % {"done": head["completed_sessions"], "target": head["target_sessions"], "weeks": len(trend)}
    best_week = max(trend, key=lambda p: p["completed_sessions"], default=None)
    if best_week and best_week["completed_sessions"]:
        participation_desc += " " + gettext("The busiest week began %(week)s with %(done)s.") % {
            "week": date_format(best_week["week"], "j F"),
            "done": best_week["completed_sessions"],
        }
    rated = [p for p in trend if p["completion"] is not None]
    completion_desc = gettext("Of the actions due, %(share)s are done or verified.") % {
        "share": charts.percent(head["completion"])
    }
    if rated:
        completion_desc += " " + gettext("Weeks range from %(low)s to %(high)s.") % {
            "low": charts.percent(min(p["completion"] for p in rated)),
            "high": charts.percent(max(p["completion"] for p in rated)),
        }
    by_completion = sorted(
        (row for row in teams if row.completion is not None),
        key=lambda row: (-row.completion, row.team.name),
    )
    by_overdue = sorted(
        (row for row in teams if row.overdue),
        key=lambda row: (-row.overdue, row.team.name),
    )
    by_participation = sorted(
        (row for row in teams if row.participation is not None),
        key=lambda row: (-row.participation, row.team.name),
    )
    chart_feelings.add_shares(data["heatmap"])
    heat_desc = feelings_desc(data["heatmap"])
    oldest = head["oldest_untriaged_days"]
    notes = {
        "sessions": gettext("against a target of %(target)s") % {"target": head["target_sessions"]},
        "triaged": (
            gettext("%(count)s waiting") % {"count": head["untriaged"]}
            if oldest is None
            else ngettext(
                "%(count)s waiting, the oldest for %(days)s day",
                "%(count)s waiting, the oldest for %(days)s days",
                oldest,
            )
            % {"count": head["untriaged"], "days": oldest}
        ),
        "completion": gettext("%(finished)s of %(due)s due are done or verified")
        % {"finished": head["finished_due"], "due": head["due"]},
    }
    return {
        "links": links,
        "notes": notes,
        "status_choices": status_choices,
        "feelings": feelings,
        "feelings_title": feelings_title(feelings),
        "ranked_completion": by_completion,
        "ranked_participation": by_participation,
        "ranked_overdue": by_overdue,
        "charts": {
            "participation": charts.weekly_bars(
                trend,
                title=gettext("Sessions completed each week against target"),
                desc=participation_desc,
                value="completed_sessions",
                target="target_sessions",
            ),
            "completion": charts.weekly_bars(
                trend,
                title=gettext("Completion rate of actions due, by week raised"),
                desc=completion_desc,
                value="completion",
                as_percent=True,
            ),
            "status": charts.stacked_bars(
                [
                    {"label": row.team.name, "values": row.status_counts}
                    for row in teams
                    if row.actions
                ],
                status_choices,
                title=gettext("Actions by status, per team"),
                desc=pgettext("list separator", "; ").join(
                    gettext("%(team)s: %(count)s actions, ")
                    % {"team": row.team.name, "count": row.actions}
                    + ", ".join(
                        f"{row.status_counts[value]} {label.lower()}"
                        for value, label in status_choices
                        if row.status_counts[value]
                    )
                    for row in teams
                    if row.actions
                )
                or gettext("No actions raised in this period."),
            ),
            "heatmap": chart_feelings.heatmap(
                data["heatmap"], mode=feelings, title=feelings_title(feelings), desc=heat_desc
            ),
            "ranked_completion": charts.ranking_bars(
                [{"label": row.team.name, "value": row.completion} for row in by_completion],
                title=gettext("Teams ranked by completion"),
                desc=", ".join(
                    f"{row.team.name} {charts.percent(row.completion)}" for row in by_completion
                )
                or gettext("No actions due yet."),
            ),
            "ranked_overdue": charts.ranking_bars(
                [{"label": row.team.name, "value": row.overdue} for row in by_overdue],
                title=gettext("Overdue actions by team, most first"),
                desc=", ".join(f"{row.team.name} {row.overdue}" for row in by_overdue)
                or gettext("No action raised in this period is overdue."),
                as_percent=False,
            ),
            "ranked_participation": charts.ranking_bars(
                [{"label": row.team.name, "value": row.participation} for row in by_participation],
                title=gettext("Teams ranked by participation, against a target of %(percent)s")
                % {"percent": charts.percent(1.0)},
                target=1.0,
                desc=", ".join(
                    f"{row.team.name} {charts.percent(row.participation)}"
                    for row in by_participation
                )
                or gettext("No programme target in this period."),
            ),
        },
    }


def feelings_title(mode: str) -> str:
    if mode == chart_feelings.SHARES:
        return gettext("Share of the observations at each touchpoint, by feeling, good and bad")
    return gettext("Observations by feeling and touchpoint, good and bad")


def feelings_desc(heat: dict) -> str:
    """The three most frequent bad and good feelings, in words."""
    cells = [
        (cell["count"], row["label"], cell["emotion_label"], cell.get("mean_intensity"), cell)
        for row in heat["rows"]
        for cell in row["cells"]
        if cell["count"]
    ]
    parts = []
    for side, name in (
        ("bad", gettext("Most frequent bad feelings: %(feelings)s.")),
        ("good", gettext("Most frequent good feelings: %(feelings)s.")),
    ):
        top = sorted(
            (c for c in cells if chart_feelings.valence(c[4]["emotion"]) == side),
            key=lambda item: (-item[0], item[1]),
        )[:3]
        if top:
            feelings = pgettext("list separator", "; ").join(
                pgettext(
                    "feelings described",
                    "%(touchpoint)s, %(feeling)s: %(count)s (mean strength %(mean)s of 5)",
                )
                % {"touchpoint": tp, "feeling": emo, "count": n, "mean": number_format(m, 1)}
                for n, tp, emo, m, _ in top
            )
            parts.append(name % {"feelings": feelings})
    return " ".join(parts) or gettext("No observations in this period.")
