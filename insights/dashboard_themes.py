"""The dashboard's themes: what customers met, by root cause, and how fast it was acted on.

Three grouped queries whatever the amount of data: observations by theme and feeling,
actions by theme with their median times, and the themes themselves. Figures follow the
dashboard's filters (period, teams, sessions, and a chosen theme).
"""

from django.db.models import Sum
from django.utils.translation import pgettext_lazy

from insights import summaries
from insights.dashboard import summarised_observations
from insights.dashboard_filters import action_list_url, observation_list_url
from insights.dashboard_times import action_times, step_medians
from insights.models import Theme
from journal.templatetags.journal_tags import feeling_tone

TONES = [
    ("bad", pgettext_lazy("tone", "Negative")),
    ("neutral", pgettext_lazy("tone", "Neutral")),
    ("good", pgettext_lazy("tone", "Positive")),
]


def theme_rows(filters) -> list[dict]:
    """One row per theme carried in the period: observations by how customers felt, then
    actions with their median days to start, to done and to verified; most seen first."""
    summaries.catch_up()
    by_feeling = (
        summarised_observations(filters, by_theme=True)
        .values("theme_id", "emotion")
        .annotate(count=Sum("count"))
        .order_by()
    )
    rows: dict[int, dict] = {}

    def row(theme_id):
        return rows.setdefault(
            theme_id,
            {"observations": 0, "actions": 0, **{tone: 0 for tone, _ in TONES}},
        )

    for group in by_feeling:
        found = row(group["theme_id"])
        found["observations"] += group["count"]
        found[feeling_tone(group["emotion"])] += group["count"]
    for theme_id, steps in action_times(filters, by_theme=True).items():
        row(theme_id).update(step_medians(steps))
    themes = Theme.objects.in_bulk(list(rows))
    listed = [{"theme": themes[pk], **rows[pk]} for pk in rows if pk in themes]
    listed.sort(key=lambda r: (-r["observations"], -r["actions"], r["theme"].name))
    for item in listed:
        pk = item["theme"].pk
        item["observations_url"] = observation_list_url(filters, theme=pk)
        item["actions_url"] = action_list_url(filters, theme=pk)
    return listed


def theme_section(filters) -> dict:
    """What the dashboard's themes partial shows."""
    rows = theme_rows(filters)
    return {
        "theme_feelings": [row for row in rows if row["observations"]],
        "theme_times": sorted(
            (row for row in rows if row["actions"]),
            key=lambda row: (-row["actions"], row["theme"].name),
        ),
        "tones": TONES,
    }
