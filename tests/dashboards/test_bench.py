"""The benchmark's data generator and its hand-written SQL agree with the dashboard."""

import pytest
from django.db import connection
from django.utils import timezone

from insights.dashboard import build
from insights.dashboard_filters import DashboardFilterForm
from insights.dashboard_headline import previous
from journal.models import Observation
from tests.bench._dashboard_sql import newer_sql, page_figures, sql_figures
from tests.bench.dashboard import Dialect, generate, headline_sql

pytestmark = pytest.mark.django_db


def test_generated_data_gives_the_same_figures_by_view_and_by_hand():
    now = timezone.now()
    made = generate(2_000, 600, now)
    assert Observation.objects.count() == 2_000
    today = timezone.localdate()
    form = DashboardFilterForm({"period": "52w"}, user=made["executive"], today=today)
    assert form.is_valid()
    filters = form.filters()
    head = build(filters)["headline"]
    sql, params = headline_sql(
        filters.team_ids, filters.since, filters.until, today, Dialect(connection.vendor)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row[:3] == (
        head["completed_sessions"],
        head["observations"],
        head["observations"] - head["untriaged"],
    )
    assert row[4:9] == (
        head["actions"],
        head["due"],
        head["finished_due"],
        head["overdue"],
        head["published"],
    )
    assert row[9] == pytest.approx(head["median_days_to_verified"])
    assert row[10] == pytest.approx(head["median_days_to_action"])


def test_generated_themes_and_revisits_give_the_same_newer_figures_by_view_and_by_hand():
    made = generate(2_000, 600, timezone.now())
    form = DashboardFilterForm(
        {"period": "52w"}, user=made["executive"], today=timezone.localdate()
    )
    assert form.is_valid()
    filters = form.filters()
    sql, params = newer_sql(filters, previous(filters), Dialect(connection.vendor))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        by_hand = sql_figures(cursor.fetchall())

    page = {key: value for key, value in page_figures(filters).items() if value}
    assert page == by_hand
    kinds = {name for name, _key in by_hand}
    assert kinds >= {"on_time", "overdue", "waiting", "feelings", "theme_observations", "revisits"}
