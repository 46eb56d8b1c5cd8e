"""Themes at work: who keeps the list, what triage suggests, and how themes are changed.

Suggestions for an observation come from two places: the themes most often given to
observations at the same touchpoint in the CX lead's teams, and the themes of the
observations and actions most like it (``insights.similar``). Those seen on a similar
item come first: the same problem, filed before.
"""

from collections import Counter

from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import ngettext

from immersion.access import can_change_catalogue
from insights import summaries
from insights.models import Action, ActionEvent, ActionTheme, ObservationTheme, Theme

SUGGESTED = 3


class JoinedNames(models.Aggregate):
    """Names joined with "; ", in SQL on both databases we run on, for the CSV exports."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '; ' ORDER BY %(expressions)s)"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, '; ')",
            **extra_context,
        )


def theme_names(link_model, owner_field: str) -> Subquery:
    """The row's theme names as one text: a subquery, so a streamed export needs no
    prefetch per chunk and its memory stays flat."""
    names = (
        link_model.objects.filter(**{owner_field: OuterRef("pk")})
        .order_by()
        .values(owner_field)
        .annotate(names=JoinedNames("theme__name"))
        .values("names")
    )
    return Subquery(names, output_field=models.TextField())


def may_change_themes(user) -> bool:
    """Themes are one list for every team, like the session types: staff and the CX leads
    of a top-level team change it; every CX lead reads it and files by it."""
    return can_change_catalogue(user)


def may_read_themes(user) -> bool:
    return user.is_cx_lead or may_change_themes(user)


def touchpoint_themes(touchpoint: str, team_ids) -> list[tuple[int, int]]:
    """(theme id, uses) of the active themes most given at this touchpoint, most used first."""
    rows = (
        ObservationTheme.objects.filter(
            observation__touchpoint=touchpoint,
            observation__session__team_id__in=team_ids,
            theme__is_active=True,
        )
        .values("theme_id")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "theme_id")[:SUGGESTED]
    )
    return [(row["theme_id"], row["uses"]) for row in rows]


def suggestions(observation, user, similar_items=()) -> list[dict]:
    """Up to three themes for the observation, each with why it is suggested.

    `similar_items` are the observations and actions shown as most alike; their themes are
    read in one query per kind.
    """
    observations = [o.pk for o in similar_items if not isinstance(o, Action)]
    actions = [a.pk for a in similar_items if isinstance(a, Action)]
    alike = Counter(
        ObservationTheme.objects.filter(
            observation_id__in=observations, theme__is_active=True
        ).values_list("theme_id", flat=True)
    )
    alike.update(
        ActionTheme.objects.filter(action_id__in=actions, theme__is_active=True).values_list(
            "theme_id", flat=True
        )
    )
    reasons: dict[int, str] = {}
    for theme_id, count in alike.most_common():
        reasons[theme_id] = ngettext(
            "on %(count)d similar item", "on %(count)d similar items", count
        ) % {"count": count}
    for theme_id, uses in touchpoint_themes(observation.touchpoint, user.scope_team_ids):
        at = ngettext(
            "used %(uses)d time at %(where)s", "used %(uses)d times at %(where)s", uses
        ) % {
            "uses": uses,
            "where": observation.get_touchpoint_display(),
        }
        reasons[theme_id] = f"{reasons[theme_id]}, {at}" if theme_id in reasons else at
    chosen = list(reasons)[:SUGGESTED]
    themes = Theme.objects.in_bulk(chosen)
    return [{"theme": themes[pk], "why": reasons[pk]} for pk in chosen if pk in themes]


def set_observation_themes(observation, themes) -> None:
    """Give the observation exactly these themes (in the caller's transaction)."""
    wanted = {theme.pk for theme in themes}
    links = ObservationTheme.objects.filter(observation_id=observation.pk)
    links.exclude(theme_id__in=wanted).delete()
    have = set(links.values_list("theme_id", flat=True))
    ObservationTheme.objects.bulk_create(
        ObservationTheme(observation_id=observation.pk, theme_id=pk) for pk in wanted - have
    )
    summaries.mark_observation(observation)


def add_observation_themes(observation, themes) -> None:
    """Add themes to what the observation already carries (several decided at once)."""
    have = set(
        ObservationTheme.objects.filter(observation_id=observation.pk).values_list(
            "theme_id", flat=True
        )
    )
    ObservationTheme.objects.bulk_create(
        ObservationTheme(observation_id=observation.pk, theme_id=theme.pk)
        for theme in themes
        if theme.pk not in have
    )
    summaries.mark_observation(observation)


def give_action_themes(action, themes) -> None:
    """A new action's themes: those of the observations it was made for."""
    ActionTheme.objects.bulk_create(
        [ActionTheme(action_id=action.pk, theme_id=theme.pk) for theme in set(themes)],
        ignore_conflicts=True,
    )
    summaries.mark_action(action)


def edit_action(action, *, by, version, note, themes, **changes) -> list:
    """The action edit form's save: its fields, then its themes, all or nothing."""
    with transaction.atomic():
        events = action.edit(by=by, version=version, note=note, **changes)
        themed = change_action_themes(action, themes, by=by, note=note)
    return [*events, themed] if themed else events


def change_action_themes(action, themes, *, by, note: str = "") -> ActionEvent | None:
    """Change an action's themes, with a history row and a new version, or nothing if equal.

    Called inside the transaction of the action's other changes, after them, so a form
    posted against an older version has already been refused.
    """
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        before = list(locked.themes.order_by("name"))
        after = sorted(set(themes), key=lambda theme: theme.name)
        if {t.pk for t in before} == {t.pk for t in after}:
            return None
        ActionTheme.objects.filter(action_id=locked.pk).delete()
        give_action_themes(locked, after)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        names = ", ".join(t.name for t in after) or "none"
        event = locked._record(
            by,
            ActionEvent.Kind.EDITED,
            ", ".join(t.name for t in before) or "none",
            names,
            note or f"Themes: {names}.",
        )
    action.version = locked.version
    return event
