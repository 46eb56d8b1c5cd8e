"""The benchmark's data generator and its hand-written SQL agree with the dashboard."""

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from insights.dashboard import build
from insights.dashboard_filters import DashboardFilterForm
from insights.dashboard_headline import previous
from journal.models import Observation
from tests.bench._dashboard_load import LOADED, fill, organisation
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


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and dropped indexes are PostgreSQL's"
)


@postgresql_only
def test_copy_writes_the_rows_insert_select_writes():
    now = timezone.now()
    org = organisation(now)
    dialect = Dialect(connection.vendor)
    fill(org, 2_000, 600, now, dialect, copy=True)
    copied = loaded_rows()
    with connection.cursor() as cursor:
        for table in reversed(LOADED[:4]):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the bench's own names
    fill(org, 2_000, 600, now, dialect, copy=False)

    assert [len(rows) for rows in copied] == [250, 2_000, 600, 600]
    assert loaded_rows() == copied


def loaded_rows() -> list[list[tuple]]:
    """Every row of sessions, observations, actions and their links but ids and client
    UUIDs, with the references among them counted from their table's first id."""
    models = [
        apps.get_model("immersion", "ImmersionSession"),
        apps.get_model("journal", "Observation"),
        apps.get_model("insights", "Action"),
        apps.get_model("insights", "Action").observations.through,
    ]
    firsts = {model._meta.db_table: model.objects.order_by("pk")[0].pk for model in models}
    tables = []
    with connection.cursor() as cursor:
        for model in models:
            columns = []
            for field in model._meta.concrete_fields:
                if field.primary_key or field.column == "client_uuid":
                    continue
                target = field.related_model._meta.db_table if field.related_model else None
                first = firsts.get(target)
                columns.append(f"{field.column} - {first}" if first else field.column)
            table = model._meta.db_table
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")  # noqa: S608
            tables.append(cursor.fetchall())
    return tables


@postgresql_only
def test_the_load_builds_again_every_index_and_constraint_it_dropped():
    def indexes():
        """Each index's definition up to its condition, which PostgreSQL prints again with
        its casts in other places (the same condition, differently spelt)."""
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT tablename, indexname, split_part(indexdef, ' WHERE ', 1),
                    indexdef LIKE '%% WHERE %%'
                FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2""",
                [LOADED],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2""",
                [LOADED],
            )
            return indexes, cursor.fetchall()

    before = indexes()
    generate(200, 60, timezone.now())

    assert len(before[0]) > len(LOADED)
    assert any(partial for *_, partial in before[0])
    assert indexes() == before
