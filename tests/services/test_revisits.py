"""Two phones answering the same re-visit at once, against real PostgreSQL: one answer wins."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from insights.models import Action, ReVisit
from insights.revisit_prompts import RevisitPrompts
from journal import services
from journal.models import Observation
from journal.prompts import PromptRefused
from tests import factories
from tests.insights.helpers import verified

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_answers_to_one_revisit_store_one_and_refuse_the_other(
    store_a, manager, owner, cx_lead
):
    source = factories.ObservationFactory(
        session=factories.SessionFactory(
            team=store_a, lead=manager, planned_start=timezone.now() - dt.timedelta(days=3)
        )
    )
    action = Action.create(
        by=cx_lead,
        observations=[source],
        title="Open the fitting rooms",
        owner=owner,
        team=store_a,
        due_on=timezone.localdate(),
    )
    verified(action, owner, cx_lead)
    walk = factories.SessionFactory(
        team=store_a, lead=manager, planned_start=timezone.now() + dt.timedelta(minutes=1)
    )
    walk.start(by=manager)
    revisit = ReVisit.objects.get(action=action)
    provider = RevisitPrompts()
    both_checked = threading.Barrier(2, timeout=30)
    stored, refused, errors = [], [], []

    def answer():
        fields = {
            "client_uuid": uuid.uuid4(),
            "touchpoint": revisit.touchpoint,
            "emotion": "reassured",
            "intensity": 2,
            "what_happened": "Open and staffed.",
            "quote": "",
            "kind": "delight",
            "impact": "",
            "journey_stage": "",
        }
        try:
            prompt = provider.check(walk, manager, str(revisit.pk), fields["client_uuid"])
            # Both phones have been told the re-visit is open before either stores.
            both_checked.wait()
            observation, _ = services.record_observation(
                walk, manager, fields, [], on_create=lambda o: provider.attach(o, prompt)
            )
            stored.append(observation.pk)
        except PromptRefused as exc:
            refused.append(str(exc))
        except Exception as exc:  # reported below, so a failure in a thread is not lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert len(stored) == 1
    assert len(refused) == 1
    assert ReVisit.objects.get(pk=revisit.pk).answer_id == stored[0]
    assert Observation.objects.filter(session=walk).count() == 1
