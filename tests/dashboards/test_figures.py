"""Dashboard figures on the crafted data set (tests/dashboards/conftest.py), by hand."""

import pytest
from django.urls import reverse

from tests.dashboards.conftest import PERIOD

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")


def dashboard(client_as, user, **params):
    response = client_as(user).get(URL, {**PERIOD, **params})
    assert response.status_code == 200, response.content
    return response.context


def test_headline_figures_for_the_whole_region(client_as, cast, crafted):
    head = dashboard(client_as, cast["executive"])["headline"]
    # Sessions: A on 5 and 19 May, B on 10 May; the April one and the planned one don't count.
    assert head["completed_sessions"] == 3
    # Two participants with a target of 2 each, over the whole programme.
    assert head["target_sessions"] == 4
    assert head["participation"] == pytest.approx(0.75)
    # o1..o4; o1 and o3 actioned, o4 "no action", o2 untriaged since 20 May 12:00.
    assert head["observations"] == 4
    assert head["triaged_share"] == pytest.approx(0.75)
    assert head["untriaged"] == 1
    assert head["oldest_untriaged_days"] == 28
    # a1..a5; due by 17 June: a1, a2, a4, a5, of which a1, a4, a5 are finished.
    assert head["actions"] == 5
    assert head["due"] == 4
    assert head["completion"] == pytest.approx(0.75)
    assert head["overdue"] == 1  # a2, due 10 June and open
    # o1 -> a1 in 1 day, o3 -> a3 in 3 days; a1 verified after 10 days, a5 after 4.
    assert head["median_days_to_action"] == pytest.approx(2.0)
    assert head["median_days_to_verified"] == pytest.approx(7.0)
    assert head["published"] == 1


def test_team_rows_split_actions_sessions_and_targets(client_as, cast, crafted, store_a, store_b):
    rows = {row.team.name: row for row in dashboard(client_as, cast["executive"])["teams"]}
    assert set(rows) == {"Store A", "Store B"}
    assert rows["Store A"].status_counts["verified"] == 1
    assert rows["Store A"].status_counts["open"] == 1
    assert rows["Store B"].status_counts == {
        "open": 0,
        "in_progress": 1,
        "done": 1,
        "verified": 1,
        "dropped": 0,
    }
    assert rows["Store A"].completion == pytest.approx(0.5)  # a1 of a1, a2
    assert rows["Store B"].completion == pytest.approx(1.0)  # a4 and a5
    assert rows["Store A"].participation == pytest.approx(1.0)  # 2 of 2
    assert rows["Store B"].participation == pytest.approx(0.5)  # 1 of 2


def test_ranking_puts_the_better_team_first(client_as, cast, crafted):
    context = dashboard(client_as, cast["executive"])
    assert [row.team.name for row in context["ranked_completion"]] == ["Store B", "Store A"]
    assert [row.team.name for row in context["ranked_participation"]] == ["Store A", "Store B"]


def test_heat_map_counts_and_mean_intensity(client_as, cast, crafted):
    heat = dashboard(client_as, cast["executive"])["heatmap"]
    cells = {
        (row["touchpoint"], cell["emotion"]): cell
        for row in heat["rows"]
        for cell in row["cells"]
        if cell["count"]
    }
    assert set(cells) == {("store", "frustrated"), ("phone", "angry"), ("phone", "happy")}
    assert cells["store", "frustrated"]["count"] == 2
    assert cells["store", "frustrated"]["mean_intensity"] == pytest.approx(3.0)  # (4 + 2) / 2
    assert cells["phone", "angry"]["mean_intensity"] == pytest.approx(5.0)


def test_weekly_trend_buckets_by_monday(client_as, cast, crafted):
    trend = {p["week"].isoformat(): p for p in dashboard(client_as, cast["executive"])["trend"]}
    assert list(trend) == [
        "2026-05-04",
        "2026-05-11",
        "2026-05-18",
        "2026-05-25",
        "2026-06-01",
        "2026-06-08",
    ]
    # Sessions on 5 and 10 May fall in the first week, 19 May in the third.
    assert trend["2026-05-04"]["completed_sessions"] == 2
    assert trend["2026-05-18"]["completed_sessions"] == 1
    # 4 target sessions over 42 days: 4/6 each week.
    assert trend["2026-05-11"]["target_sessions"] == pytest.approx(4 / 6)
    # Raised in week 18 May: a2 (due, open) -> 0%; week 25 May: a4 (done) -> 100%.
    assert trend["2026-05-18"]["completion"] == 0
    assert trend["2026-05-25"]["completion"] == 1


def test_team_filter_keeps_only_that_team(client_as, cast, crafted, store_b):
    head = dashboard(client_as, cast["executive"], team=store_b.pk)["headline"]
    assert head["completed_sessions"] == 1
    assert head["target_sessions"] == 2  # other_manager only
    assert head["observations"] == 2  # o3, o4
    assert head["triaged_share"] == 1
    assert head["actions"] == 3  # a3, a4, a5
    assert head["completion"] == 1  # a4, a5 due and finished
    assert head["overdue"] == 0
    assert head["median_days_to_verified"] == pytest.approx(4.0)
    assert head["median_days_to_action"] == pytest.approx(3.0)


def test_session_type_filter_follows_observations_to_actions(client_as, cast, crafted):
    head = dashboard(client_as, cast["executive"], session_type=crafted["walk"].pk)["headline"]
    assert head["completed_sessions"] == 2  # the two floor walks in store A
    assert head["observations"] == 2  # o1, o2
    assert head["actions"] == 1  # a1, the only action about a floor-walk observation
    assert head["published"] == 1


def test_programme_filter_counts_only_its_sessions(client_as, cast, crafted):
    from immersion.models import ImmersionSession

    ImmersionSession.objects.filter(session_type=crafted["listen"]).update(
        programme=crafted["programme"]
    )
    head = dashboard(client_as, cast["executive"], programme=crafted["programme"].pk)["headline"]
    assert head["completed_sessions"] == 1
    assert head["target_sessions"] == 4
    assert head["observations"] == 2  # o3, o4 from the listening post


def test_persona_filter_narrows_to_its_sessions(client_as, cast, crafted):
    from immersion.models import ImmersionSession
    from tests.factories import PersonaFactory

    persona = PersonaFactory(name="Wheelchair user")
    ImmersionSession.objects.filter(session_type=crafted["walk"]).update(persona=persona)
    head = dashboard(client_as, cast["executive"], persona=persona.pk)["headline"]
    assert head["completed_sessions"] == 2
    assert head["observations"] == 2


def test_preset_period_counts_the_last_four_weeks(client_as, cast, crafted):
    # 4 weeks to 17 June starts on 21 May: o4; a2, a4, a5; no session completed.
    head = dashboard(client_as, cast["executive"], period="4w", start="", end="")["headline"]
    assert head["observations"] == 1
    assert head["actions"] == 3
    assert head["completed_sessions"] == 0


def test_manager_sees_only_their_own_team(client_as, cast, crafted):
    head = dashboard(client_as, cast["manager"])["headline"]
    assert head["observations"] == 2  # o1, o2 in store A
    assert head["actions"] == 2  # a1, a2
    assert head["completed_sessions"] == 2
