import csv
import io
import tracemalloc

import pytest
from django.urls import reverse

from insights.models import Action
from insights.views import exports
from journal.models import Observation
from tests import factories
from tests.insights.helpers import in_days

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_actions_csv_lists_visible_actions_with_their_observations(
    client_as, cx_lead, action, observation
):
    factories.ActionFactory()  # another region's

    response = client_as(cx_lead).get(reverse("insights:export-actions"))

    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="actions-')
    header, *rows = read_csv(response)
    assert header[:3] == ["id", "title", "status"]
    assert [row[1] for row in rows] == [action.title]
    assert rows[0][header.index("observations")] == str(observation.pk)


def test_actions_csv_follows_the_list_filters(client_as, cx_lead, store_a):
    late = factories.ActionFactory(team=store_a, due_on=in_days(-2))
    factories.ActionFactory(team=store_a)

    rows = read_csv(client_as(cx_lead).get(reverse("insights:export-actions"), {"overdue": "on"}))

    assert [row[0] for row in rows[1:]] == [str(late.pk)]


def test_observations_csv_shows_each_triage_outcome(client_as, executive, action, observation,
                                                    session_a, cx_lead):  # fmt: skip
    from insights import triage

    skipped = factories.ObservationFactory(session=session_a)
    triage.decide_no_action(skipped, by=cx_lead, reason="Already fixed that morning.")

    header, *rows = read_csv(client_as(executive).get(reverse("insights:export-observations")))

    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id[str(skipped.pk)]["triage"] == "No action"
    assert by_id[str(skipped.pk)]["triage_note"] == "Already fixed that morning."
    assert by_id[str(observation.pk)]["actions"] == f"{action.pk}:open"


def bulk_actions(count, *, owner, team, created_by, session):
    observations = Observation.objects.bulk_create(
        factories.ObservationFactory.build(session=session, author=session.lead)
        for _ in range(count)
    )
    actions = Action.objects.bulk_create(
        Action(title=f"Action {n}", owner=owner, team=team, created_by=created_by,
               due_on=in_days(n % 30 - 10), description="x" * 200)
        for n in range(count)
    )  # fmt: skip
    links = Action.observations.through
    links.objects.bulk_create(
        links(action_id=a.pk, observation_id=o.pk)
        for a, o in zip(actions, observations, strict=True)
    )


def peak_while_streaming(client, url_name) -> tuple[int, int]:
    response = client.get(reverse(url_name))
    tracemalloc.start()
    rows = 0
    for _chunk in response.streaming_content:
        rows += 1
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, peak


@pytest.mark.parametrize("url_name", ["insights:export-actions", "insights:export-observations"])
def test_export_memory_stays_flat_as_rows_grow(client_as, cx_lead, owner, store_a, session_a,
                                               url_name, monkeypatch):  # fmt: skip
    # Smaller database chunks keep the test quick; both sizes span several chunks.
    monkeypatch.setattr(exports, "CHUNK", 100)
    client = client_as(cx_lead)
    bulk_actions(300, owner=owner, team=store_a, created_by=cx_lead, session=session_a)
    small_rows, small_peak = peak_while_streaming(client, url_name)
    bulk_actions(1200, owner=owner, team=store_a, created_by=cx_lead, session=session_a)
    large_rows, large_peak = peak_while_streaming(client, url_name)

    assert (small_rows, large_rows) == (301, 1501)
    # Five times the rows; a buffered export would need about five times the memory.
    # The streamed one levels off after some one-off allocations.
    assert large_peak < small_peak * 2, (small_peak, large_peak)
