import secrets

import pytest
from django.core.cache import cache
from django.db import transaction

from immersion.celery import app as celery_app
from immersion.models import Team
from tests import factories
from tests.services.conftest import wait_for
from tests.services.worker_app import create_team

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_dispatched_on_commit_runs_in_a_real_worker_and_writes_its_row(
    celery_worker_process,
):
    assert celery_app.conf.task_always_eager is False
    with transaction.atomic():
        region = factories.RegionFactory()
        transaction.on_commit(lambda: create_team.delay(region.pk, "Probe store"))

    team = wait_for(
        lambda: Team.objects.filter(parent=region, name="Probe store").first(),
        timeout=30,
        message="the worker never wrote the probe team",
    )
    assert team.path == f"{region.path}{team.pk}/"


def test_a_task_whose_process_is_killed_mid_way_is_run_again_and_done_once(
    celery_worker_process, kill_worker_mid_task
):
    region = factories.RegionFactory()
    hold_key = f"hold-{secrets.token_hex(4)}"
    cache.set(hold_key, "held", 120)
    create_team.delay(region.pk, "Survivor store", hold_key)

    killed = kill_worker_mid_task("tests.services.create_team")
    cache.delete(hold_key)

    wait_for(
        lambda: Team.objects.filter(parent=region, name="Survivor store").exists(),
        timeout=30,
        message=f"the task killed in process {killed['worker_pid']} was never run again",
    )
    assert Team.objects.filter(parent=region).count() == 1


def test_health_reports_real_postgresql_redis_and_broker_as_ok(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}
