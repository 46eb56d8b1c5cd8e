"""The journey view: how customers would feel, stage by stage, from what managers observed.

A feeling is scored from -5 to +5: a good feeling counts its strength, a bad one minus
its strength, indifference nought. One grouped query per stage and touchpoint returns the
count, the sum of scores and the sum of their squares, so the average and the spread
(the population standard deviation) add up exactly from touchpoint to stage to the whole
journey. Where an action about a stage and touchpoint was verified in the period, the
observations there are split at the day of the first such verification into before and
after (one more query each for the verifications and the split). Without a persona
filter, one more query compares the personas stage by stage. The themes most filed at
each stage take one query, and the re-visits of verified fixes, stage by stage, another:
six queries, whatever the amount of data.
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, Count, F, IntegerField, Min, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext

from immersion.models import Touchpoint
from insights.charts import one_place, signed
from insights.dashboard_filters import Filters, local_midnight, observation_list_url
from insights.models import Action, ObservationTheme, ReVisit
from insights.revisits import in_period, list_url, revisit_stage
from journal.models import Emotion, JourneyStage, Observation

POSITIVE = (Emotion.DELIGHTED, Emotion.HAPPY, Emotion.REASSURED)
NEGATIVE = (Emotion.CONFUSED, Emotion.ANXIOUS, Emotion.FRUSTRATED, Emotion.ANGRY, Emotion.IGNORED)
# What the journal's list filter calls an observation recorded without a stage.
NO_STAGE = "none"
SCALE = 5

TOP_THEMES = 3


def score(emotion: str = "emotion", intensity: str = "intensity") -> Case:
    """The -5..+5 score of a feeling stored in the fields named."""
    return Case(
        When(**{f"{emotion}__in": POSITIVE}, then=F(intensity)),
        When(**{f"{emotion}__in": NEGATIVE}, then=-F(intensity)),
        default=Value(0),
        output_field=IntegerField(),
    )


SCORE = score()


@dataclass
class Tally:
    """Enough to give the average and spread of any union of groups."""

    count: int = 0
    total: int = 0
    squares: int = 0

    def add(self, count, total, squares=0):
        self.count += count
        self.total += total
        self.squares += squares

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    @property
    def spread(self) -> float | None:
        if not self.count:
            return None
        return math.sqrt(max(self.squares / self.count - self.mean**2, 0.0))

    # Where the marks sit on a track 200 units wide, -5 at the left and +5 at the right.
    @property
    def x(self) -> float:
        return position(self.mean)

    @property
    def low_x(self) -> float:
        return position(max(self.mean - self.spread, -SCALE)) if self.count else 0.0

    @property
    def spread_width(self) -> float:
        if not self.count:
            return 0.0
        return position(min(self.mean + self.spread, SCALE)) - self.low_x

    @property
    def word(self) -> str:
        return feeling_word(self.mean)

    @property
    def text(self) -> str:
        return describe(self)


@dataclass
class Point:
    """One touchpoint at one stage: what was felt there, and before/after a verified fix."""

    touchpoint: str
    label: str
    tally: Tally
    url: str
    verified_on: dt.date | None = None
    before: Tally | None = None
    after: Tally | None = None
    before_url: str = ""
    after_url: str = ""


@dataclass
class Checked:
    """The re-visits of fixes at one stage: how many answered, how many better, and the
    average feeling before and after."""

    answered: int = 0
    improved: int = 0
    before: Tally = field(default_factory=Tally)
    after: Tally = field(default_factory=Tally)
    url: str = ""


@dataclass
class Stage:
    value: str
    label: str
    tally: Tally = field(default_factory=Tally)
    points: list[Point] = field(default_factory=list)
    url: str = ""
    themes: list[dict] = field(default_factory=list)
    checked: Checked | None = None


def observations(filters: Filters):
    return Observation.objects.filter(
        filters.session_q("session__"),
        created_at__gte=filters.since,
        created_at__lt=filters.until,
    ).order_by()


def stage_groups(filters: Filters) -> list[dict]:
    return list(
        observations(filters)
        .annotate(score=SCORE)
        .values("journey_stage", "touchpoint")
        .annotate(count=Count("pk"), total=Sum("score"), squares=Sum(F("score") * F("score")))
    )


def first_verifications(filters: Filters) -> dict[tuple[str, str], dt.date]:
    """Per stage and touchpoint, the day the first action about it was verified in the period.

    An action counts where its team is in scope and it addresses observations within the
    session filters, as on the dashboard.
    """
    links = Action.observations.through.objects.filter(
        filters.session_q("observation__session__"),
        action__team_id__in=filters.team_ids,
        action__status=Action.Status.VERIFIED,
        action__verified_at__gte=filters.since,
        action__verified_at__lt=filters.until,
    )
    rows = (
        links.order_by()
        .values("observation__journey_stage", "observation__touchpoint")
        .annotate(first=Min("action__verified_at"))
    )
    return {
        (row["observation__journey_stage"], row["observation__touchpoint"]): timezone.localtime(
            row["first"]
        ).date()
        for row in rows
    }


def before_after_groups(filters: Filters, splits: dict[tuple[str, str], dt.date]) -> list[dict]:
    if not splits:
        return []
    phase = Case(
        *[
            When(
                journey_stage=stage,
                touchpoint=touchpoint,
                then=Case(
                    When(created_at__lt=local_midnight(day), then=Value("before")),
                    default=Value("after"),
                ),
            )
            for (stage, touchpoint), day in splits.items()
        ],
        default=Value(""),
    )
    return list(
        observations(filters)
        .annotate(score=SCORE, phase=phase)
        .exclude(phase="")
        .values("journey_stage", "touchpoint", "phase")
        .annotate(count=Count("pk"), total=Sum("score"))
    )


def persona_groups(filters: Filters) -> list[dict]:
    return list(
        observations(filters)
        .annotate(score=SCORE)
        .filter(session__persona__isnull=False)
        .values("session__persona", "session__persona__name", "journey_stage")
        .annotate(count=Count("pk"), total=Sum("score"))
    )


def theme_groups(filters: Filters) -> list[dict]:
    return list(
        ObservationTheme.objects.filter(observation__in=observations(filters).values("pk"))
        .values("observation__journey_stage", "theme", "theme__name")
        .annotate(count=Count("observation"))
        .order_by("observation__journey_stage", "-count", "theme__name")
    )


def revisit_groups(filters: Filters) -> list[dict]:
    """Answered re-visits of fixes verified in the period, by the stage they looked at."""
    answered = in_period(
        ReVisit.objects.filter(team_id__in=filters.team_ids, answer__isnull=False),
        filters.start,
        filters.end,
    )
    if filters.persona:
        answered = answered.filter(persona=filters.persona)
    return list(
        answered.annotate(stage=revisit_stage())
        .values("stage")
        .annotate(
            answered=Count("pk"),
            improved=Count("pk", filter=Q(improved=True)),
            before_total=Sum(score("before_emotion", "before_intensity")),
            after_total=Sum(score("answer__emotion", "answer__intensity")),
        )
        .order_by()
    )


def observations_between(filters: Filters, first: dt.date, last: dt.date, **extra) -> str:
    """The observation list for part of the period, with the page's other filters."""
    params = filters.params("since", "until", "team", "session_type", "persona", "programme")
    params.update(since=first.isoformat(), until=last.isoformat(), **extra)
    return f"{reverse('journal:list')}?{urlencode(params)}"


def stage_param(value: str) -> str:
    return value or NO_STAGE


def build(filters: Filters) -> dict:
    """The stages in journey order (those without observations too), and the comparison."""
    stage_labels = [*JourneyStage.choices, ("", gettext("Stage not recorded"))]
    touchpoint_labels = dict(Touchpoint.choices)
    stages = {value: Stage(value, str(label)) for value, label in stage_labels}
    journey = Tally()
    points = {}
    for row in stage_groups(filters):
        stage = stages[row["journey_stage"]]
        stage.tally.add(row["count"], row["total"], row["squares"])
        journey.add(row["count"], row["total"], row["squares"])
        tally = Tally(row["count"], row["total"], row["squares"])
        points[row["journey_stage"], row["touchpoint"]] = Point(
            row["touchpoint"],
            str(touchpoint_labels.get(row["touchpoint"], row["touchpoint"])),
            tally,
            observation_list_url(
                filters,
                journey_stage=stage_param(row["journey_stage"]),
                touchpoint=row["touchpoint"],
            ),
        )

    splits = first_verifications(filters)
    for key, day in splits.items():
        point = points.get(key)
        if point is None:
            continue
        stage_value, touchpoint = key
        point.verified_on = day
        point.before, point.after = Tally(), Tally()
        common = {"journey_stage": stage_param(stage_value), "touchpoint": touchpoint}
        point.before_url = observations_between(
            filters, filters.start, day - dt.timedelta(days=1), **common
        )
        point.after_url = observations_between(filters, day, filters.end, **common)
    for row in before_after_groups(filters, splits):
        point = points.get((row["journey_stage"], row["touchpoint"]))
        if point is not None:
            getattr(point, row["phase"]).add(row["count"], row["total"])

    for row in theme_groups(filters):
        stage = stages[row["observation__journey_stage"]]
        if len(stage.themes) < TOP_THEMES:
            stage.themes.append(
                {
                    "name": row["theme__name"],
                    "count": row["count"],
                    "url": observation_list_url(
                        filters,
                        journey_stage=stage_param(stage.value),
                        theme=row["theme"],
                    ),
                }
            )
    for row in revisit_groups(filters):
        stage = stages[row["stage"]]
        stage.checked = Checked(
            row["answered"],
            row["improved"],
            Tally(row["answered"], row["before_total"]),
            Tally(row["answered"], row["after_total"]),
            list_url(filters, filters.team, state="answered", stage=stage_param(stage.value)),
        )

    for (stage_value, _), point in points.items():
        stages[stage_value].points.append(point)
    for stage in stages.values():
        stage.points.sort(key=lambda p: (-p.tally.count, p.label))
        stage.url = observation_list_url(filters, journey_stage=stage_param(stage.value))
    ordered = [s for s in stages.values() if s.value or s.tally.count]

    return {
        "stages": ordered,
        "journey": journey,
        "personas": [] if filters.persona else persona_table(filters, ordered),
        "verified_points": sum(1 for p in points.values() if p.verified_on),
    }


def persona_table(filters: Filters, stages: list[Stage]) -> list[dict]:
    """Each persona walked as in the period, stage by stage."""
    cells = defaultdict(dict)
    names = {}
    for row in persona_groups(filters):
        names[row["session__persona"]] = row["session__persona__name"]
        cells[row["session__persona"]][row["journey_stage"]] = Tally(row["count"], row["total"])
    return [
        {
            "name": names[persona_id],
            "cells": [
                {
                    "stage": stage,
                    "tally": cells[persona_id].get(stage.value, Tally()),
                    "url": observation_list_url(
                        filters, journey_stage=stage_param(stage.value), persona=persona_id
                    ),
                }
                for stage in stages
            ],
        }
        for persona_id in sorted(names, key=lambda pk: names[pk])
    ]


def position(score: float | None) -> float:
    """Where a score sits on a track 200 units wide."""
    return 0.0 if score is None else (score + SCALE) * 100 / SCALE


def describe(tally: Tally) -> str:
    if not tally.count:
        return gettext("no observations")
    return ngettext(
        "%(count)s observation, average %(mean)s, spread %(spread)s",
        "%(count)s observations, average %(mean)s, spread %(spread)s",
        tally.count,
    ) % {"count": tally.count, "mean": signed(tally.mean), "spread": one_place(tally.spread)}


def feeling_word(score: float | None) -> str:
    if score is None:
        return gettext("no data")
    if score <= -2.5:
        return pgettext("feeling", "bad")
    if score < -0.5:
        return pgettext("feeling", "poor")
    if score <= 0.5:
        return pgettext("feeling", "mixed")
    if score < 2.5:
        return pgettext("feeling", "good")
    return pgettext("feeling", "very good")
