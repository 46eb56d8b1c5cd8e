"""What a CX lead has already seen that is most like the observation in front of them.

Candidates come from the same part of the organisation (the observation's team and its
sister teams under the same parent, within the CX lead's reach) and the same touchpoint:
open actions addressing such observations, and such observations of the last weeks.
They are ranked by how alike the words are. On PostgreSQL that is full-text rank plus
trigram word similarity (pg_trgm, added by this app's migration); elsewhere a word
overlap computed here, over a bounded number of the newest candidates. The candidates
are few (one area, one touchpoint, recent weeks), so the ranking needs no text index.
"""

import datetime as dt
import re
from functools import reduce

from django.db import connection
from django.db.models import Case, Exists, F, FloatField, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce

from immersion.models import Team
from insights.models import Action
from insights.triage import observations_in_scope

SHOWN = 3
RECENT = dt.timedelta(weeks=12)
# Trigram word similarity at which two texts read alike without sharing a whole word.
MUCH_ALIKE = 0.5
# Without the database's help, this many of the newest candidates are ranked in Python.
CANDIDATES = 200
# Words too common to tell one problem from another.
# fmt: off
STOP_WORDS = frozenset({
    "the", "and", "was", "were", "for", "with", "that", "this", "there", "they", "them",
    "their", "from", "have", "has", "had", "not", "but", "are", "you", "your", "our", "who",
    "what", "when", "where", "which", "would", "could", "into", "out", "about", "been", "one",
    "all", "any", "can", "did", "does", "its", "than", "then", "too", "very", "just", "only",
    "also",
})
# fmt: on


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]{3,}", text.lower()) if w not in STOP_WORDS}


def _area(observation, user):
    """The observation's team and its sister teams, within what the user reaches."""
    team = observation.session.team
    parent_path = team.path.rsplit("/", 2)[0] + "/" if team.parent_id else team.path
    return Q(path__startswith=parent_path, pk__in=user.scope_team_ids)


def candidate_actions(observation, user, *, finished_too=False, linked_too=False):
    teams = Team.objects.filter(_area(observation, user)).values("pk")
    same_touchpoint = Action.observations.through.objects.filter(
        action_id=OuterRef("pk"), observation__touchpoint=observation.touchpoint
    )
    actions = Action.objects.visible_to(user).filter(team_id__in=teams)
    if not finished_too:
        actions = actions.unfinished()
    actions = actions.filter(Exists(same_touchpoint))
    return actions if linked_too else actions.exclude(observations=observation)


def candidate_observations(observation, user):
    teams = Team.objects.filter(_area(observation, user)).values("pk")
    return (
        observations_in_scope(user)
        .filter(
            session__team_id__in=teams,
            touchpoint=observation.touchpoint,
            created_at__gte=observation.created_at - RECENT,
        )
        .exclude(pk=observation.pk)
    )


def similar_actions(observation, user, *, finished_too=False, linked_too=False, limit=SHOWN):
    """Open actions most like the observation; the bench also asks for finished, linked ones."""
    actions = candidate_actions(
        observation, user, finished_too=finished_too, linked_too=linked_too
    ).select_related("owner", "team")
    team = ("team_id", observation.session.team_id)
    return _ranked(actions, observation.what_happened, ("title", "description"), team, limit)


def similar_observations(observation, user, limit=SHOWN) -> list:
    found = candidate_observations(observation, user).select_related("session__team")
    team = ("session__team_id", observation.session.team_id)
    return _ranked(found, observation.what_happened, ("what_happened", "quote"), team, limit)


def _ranked(queryset, text: str, fields: tuple[str, str], team: tuple, limit: int) -> list:
    """The most alike first; between equally alike ones, those of the observation's own team
    (the same problem is often answered by one action per store)."""
    wanted = words(text)
    if not wanted:
        return []
    if connection.vendor == "postgresql":
        return _ranked_by_postgres(queryset, text, wanted, fields, team, limit)
    return _ranked_by_overlap(queryset, wanted, fields, team, limit)


def _ranked_by_postgres(queryset, text, wanted, fields, team, limit) -> list:
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    # Any of the words may match: an OR of plain queries, so no user text reaches tsquery syntax.
    query = reduce(lambda a, b: a | b, (SearchQuery(w, config="english") for w in wanted))
    vector = SearchVector(*fields, config="english")
    ranked = queryset.annotate(
        found=vector,
        rank=Coalesce(SearchRank(vector, query), Value(0.0), output_field=FloatField()),
        # How much of the candidate's first field reads like some stretch of this text.
        alike=TrigramWordSimilarity(F(fields[0]), Value(text[:1000])),
    )
    # Sharing a word (after stemming) or reading much alike; then the most alike first.
    kept = ranked.filter(Q(found=query) | Q(alike__gte=MUCH_ALIKE))
    own_team = Case(
        When(Q((team[0], team[1])), then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    ordered = kept.order_by(-(F("rank") + F("alike")), -own_team, "-pk")
    return list(ordered[:limit])


def _ranked_by_overlap(queryset, wanted, fields, team, limit) -> list:
    newest = queryset.order_by("-pk")[:CANDIDATES]
    scored = []
    for item in newest:
        theirs = words(" ".join(getattr(item, f) or "" for f in fields))
        shared = len(wanted & theirs)
        if shared:
            # An action has a team; an observation has the team of its session.
            item_team = getattr(item, "team_id", None) or item.session.team_id
            own_team = int(item_team == team[1])
            scored.append((shared / len(wanted | theirs), own_team, item.pk, item))
    scored.sort(key=lambda entry: (-entry[0], -entry[1], -entry[2]))
    return [item for *_, item in scored[:limit]]
