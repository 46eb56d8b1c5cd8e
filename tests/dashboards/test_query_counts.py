"""The dashboard and the public page read a fixed number of queries whatever the data size."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from immersion.models import Touchpoint
from insights import summaries
from insights.models import Action
from journal.models import Emotion
from tests import factories
from tests.dashboards.conftest import PERIOD, action, at, completed_session, finish, observation

pytestmark = pytest.mark.django_db

# 1 user (the session itself is in the cache), 2 the user's groups (roles), 3 the
# user's teams and 4 their subtree (scope); figures: 5 a look for days still to
# summarise, 6 teams in scope, 7 actions' times to each step by team from their summary
# (read once for the team medians and the overall median to verified), 8 actions by
# team/week/status, 9 completed sessions by team/week, 10 programmes in the period,
# 11 their participant teams, 12 manager memberships, 13 named participants,
# 14 observations by touchpoint/feeling and 15 the days from observation to action, both
# from their summaries; headline row: 16 finished on time in both periods, 17 overdue
# now and then, 18 waiting now and 19 triaged since the previous period's end,
# 20 sessions of the previous period, 21 its programmes (none in the crafted data, so no
# participants are read); filter form: 22 team, 23 session type, 24 persona and
# 25 programme choices; themes: 26 the theme choices, 27 days still to summarise,
# 28 observations by theme and feeling and 29 actions' times by theme, both from their
# summaries, 30 the themes themselves; re-visits: 31 teams in scope, 32 re-visits by
# team and outcome, 33 re-visits by theme and outcome (their themes are read only where
# there are some: none in the crafted data).
DASHBOARD_QUERIES = 33


def more_data(cast, store_a, store_b, n):
    """n extra sessions, observations and actions spread over teams, weeks and states."""
    extra_team = factories.TeamFactory(name="Store C", parent=store_a.parent)
    walk = factories.SessionTypeFactory(name="Floor walk")
    teams = [store_a, store_b, extra_team]
    themes = [factories.ThemeFactory(name=name) for name in ("Signage", "Waiting", "Packaging")]
    for i in range(n):
        team = teams[i % 3]
        day = at(5, 4 + i % 40 // 2 + 1)
        session = completed_session(team, cast["manager"], day, walk)
        obs = observation(
            session,
            day,
            touchpoint=Touchpoint.values[i % 6],
            emotion=Emotion.values[i % 9],
            intensity=1 + i % 5,
        )
        made = action(team, cast["owner"], day + dt.timedelta(days=1), dt.date(2026, 6, 1), [obs])
        obs.themes.add(themes[i % 3])
        made.themes.add(themes[i % 3])
        if i % 2:
            finish(
                made,
                day + dt.timedelta(days=2),
                verified_at=day + dt.timedelta(days=3),
                verifier=cast["cx_lead"],
            )
    return Action.objects.count()


@pytest.mark.parametrize("size", [2, 40])
def test_dashboard_query_count_does_not_grow(
    client_as, cast, crafted, store_a, store_b, size, django_assert_num_queries
):
    more_data(cast, store_a, store_b, size)
    summaries.refresh_stale()  # as the worker does once the changes commit
    client = client_as(cast["executive"])
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("insights:dashboard"), PERIOD)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 40])
def test_public_page_query_count_does_not_grow(
    client_as, cast, crafted, store_a, store_b, size, django_assert_num_queries
):
    more_data(cast, store_a, store_b, size)
    cache.clear()
    client = client_as(None)
    # Published fixes, what their re-visits found, their published photos, their total, the
    # promise-keeping months, the promises (none here: their versions and figures are read
    # only when there are some), the audited months' frozen figures and the places with fixes.
    with django_assert_num_queries(8):
        assert client.get(reverse("insights:public")).status_code == 200
    # Cached: no query at all for the next visitor.
    with django_assert_num_queries(0):
        assert client.get(reverse("insights:public")).status_code == 200


@pytest.mark.parametrize("size", [2, 40])
def test_a_places_public_page_query_count_does_not_grow(
    client_as, cast, crafted, store_a, store_b, size, django_assert_num_queries
):
    more_data(cast, store_a, store_b, size)
    cache.clear()
    client = client_as(None)
    # The place, then as on the organisation's page but for its fixes and months only,
    # and no list of places.
    with django_assert_num_queries(8):
        response = client.get(reverse("insights:public-place", args=[store_a.parent_id]))
    assert response.status_code == 200
