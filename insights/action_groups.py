"""The action list grouped by theme: each theme's first actions, its count, and a link to all.

An action with two themes appears under both; actions with none come last. The page asks
the database the same few questions however many actions and themes there are: counts per
theme, each theme's first few actions (ranked in SQL), then those actions in full.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from insights.models import Action, ActionTheme, Theme

SHOWN_PER_GROUP = 10
ORDER = ("due_on", "-priority", "pk")


@dataclass
class Group:
    theme: Theme | None
    count: int
    actions: list = field(default_factory=list)
    all_url: str = ""


def by_theme(actions) -> list[Group]:
    """`actions`: the filtered list's queryset. Themes by how many actions they hold."""
    shown = SHOWN_PER_GROUP
    links = ActionTheme.objects.filter(action__in=actions.values("pk"))
    counts = dict(links.values_list("theme").annotate(n=Count("action")).order_by())
    ranked = (
        links.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("theme")],
                order_by=[F("action__due_on").asc(), F("action__priority").desc(), F("action")],
            )
        )
        .filter(rank__lte=shown)
        .values_list("theme", "action")
    )
    firsts = list(ranked)
    unthemed = actions.filter(themes__isnull=True)
    unthemed_count = unthemed.count()
    unthemed_ids = list(unthemed.order_by(*ORDER).values_list("pk", flat=True)[:shown])
    wanted = {action for _theme, action in firsts} | set(unthemed_ids)
    full = {
        action.pk: action
        for action in Action.objects.filter(pk__in=wanted)
        .select_related("owner", "team")
        .with_status_times()
        .prefetch_related("themes")
    }
    themes = Theme.objects.in_bulk(counts)
    groups = {pk: Group(themes[pk], count) for pk, count in counts.items()}
    for theme, action in firsts:
        groups[theme].actions.append(full[action])
    ordered = sorted(groups.values(), key=lambda group: (-group.count, group.theme.name))
    for group in ordered:
        group.actions.sort(key=lambda a: (a.due_on, -a.priority, a.pk))
    if unthemed_count:
        ordered.append(Group(None, unthemed_count, [full[pk] for pk in unthemed_ids]))
    return ordered
