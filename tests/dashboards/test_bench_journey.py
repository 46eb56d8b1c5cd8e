"""The journey bench's hand-written SQL agrees with the journey view on generated data."""

import pytest
from django.db import connection
from django.utils import timezone

from insights.dashboard_filters import DashboardFilterForm
from insights.journey import build
from tests.bench.dashboard import Dialect, generate
from tests.bench.journey import compare, journey_sql, spread_stages

pytestmark = pytest.mark.django_db


def test_generated_data_gives_the_same_journey_by_view_and_by_hand(capsys):
    made = generate(2_000, 600, timezone.now())
    spread_stages()
    form = DashboardFilterForm(
        {"period": "52w"}, user=made["executive"], today=timezone.localdate()
    )
    assert form.is_valid()
    filters = form.filters()
    sql, params = journey_sql(
        filters.team_ids, filters.since, filters.until, Dialect(connection.vendor)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    data = build(filters)

    assert compare(data, rows) == []
    assert any(point.verified_on for stage in data["stages"] for point in stage.points)
    assert data["personas"]
