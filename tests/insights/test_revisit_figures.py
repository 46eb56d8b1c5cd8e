"""The dashboard's re-visit figures and the list behind them: the same re-visits, counted once."""

import re

import pytest
from django.urls import reverse

from insights.models import ReVisit
from journal.models import Emotion, Observation
from tests import factories

pytestmark = pytest.mark.django_db
LIST = reverse("insights:revisit-list")


@pytest.fixture
def spread(make_revisit, store_a, store_b):
    make_revisit(store_a, after=Emotion.REASSURED)
    make_revisit(store_a, after=Emotion.ANGRY)
    make_revisit(store_a, due_in=-2)
    make_revisit(store_b, after=Emotion.HAPPY)
    make_revisit(store_b)


def figure(html: str, label: str) -> tuple[str, str]:
    """(value, link) of a dashboard figure card by its label."""
    found = re.search(
        r'href="([^"]+)">\s*<div class="card-body">\s*<p class="figure-number mb-1">([^<]+)</p>'
        rf'\s*<p class="mb-0 fw-semibold">{label}</p>',
        html,
    )
    assert found, label
    return found.group(2), found.group(1).replace("&amp;", "&")


def listed(client, link) -> int:
    text = client.get(link).content.decode()
    return int(re.search(r'id="revisit-count">(\d+) re-visit', text).group(1))


def test_the_dashboard_shows_the_share_of_revisits_that_found_it_improved(
    client_as, executive, spread
):
    html = client_as(executive).get(reverse("insights:dashboard")).content.decode()

    assert figure(html, "Improved")[0] == "67%"
    assert figure(html, "Re-visits answered")[0] == "3"
    assert figure(html, "Re-visits overdue")[0] == "1"


@pytest.mark.parametrize("label", ["Improved", "Re-visits answered", "Re-visits overdue"])
def test_each_figure_links_to_a_list_of_as_many_revisits(client_as, executive, spread, label):
    client = client_as(executive)
    html = client.get(reverse("insights:dashboard")).content.decode()
    value, link = figure(html, label)
    expected = {"Improved": 2, "Re-visits answered": 3, "Re-visits overdue": 1}[label]

    assert listed(client, link) == expected
    if label != "Improved":
        assert int(value) == expected


def test_the_per_team_rows_link_to_lists_that_equal_them(client_as, cx_lead, spread):
    client = client_as(cx_lead)
    html = client.get(reverse("insights:dashboard")).content.decode()

    rows = re.findall(r'<a href="([^"]+)" aria-label="(\d+) (answered|improved|overdue) at', html)
    assert rows
    for link, count, _ in rows:
        assert listed(client, link.replace("&amp;", "&")) == int(count)


def test_a_manager_lists_only_the_revisits_of_their_teams(client_as, manager, spread):
    assert listed(client_as(manager), LIST) == 3


def test_the_list_shows_before_and_after(client_as, cx_lead, make_revisit, store_a):
    make_revisit(store_a, after=Emotion.REASSURED)

    text = " ".join(client_as(cx_lead).get(LIST).content.decode().split())

    assert "before: frustrated (4)</span> → <span" in text
    assert "after: reassured (2)" in text


@pytest.mark.parametrize(
    "query",
    [{"state": "lost"}, {"team": "999999"}, {"since": "1999-12-31"}, {"since": "soon"},
     {"since": "2026-05-02", "until": "2026-05-01"}],
)  # fmt: skip
def test_bad_filters_answer_400_with_the_message(client_as, cx_lead, query):
    response = client_as(cx_lead).get(LIST, query)

    assert response.status_code == 400
    assert "Nothing" in response.content.decode() or "alert" in response.content.decode()


def test_a_team_outside_the_users_reach_is_refused(client_as, manager, store_b):
    response = client_as(manager).get(LIST, {"team": store_b.pk})

    assert response.status_code == 400
    assert "Choose one of the teams in the list." in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_query_count_does_not_grow(
    client_as, cx_lead, make_revisit, store_a, size, django_assert_num_queries
):
    for _ in range(size):
        make_revisit(store_a, after=Emotion.ANGRY)
        make_revisit(store_a)
    client = client_as(cx_lead)
    # user, groups, teams, subtree; the team and theme choices; the count; one page of
    # re-visits with their action, team, persona and answer
    with django_assert_num_queries(8):
        client.get(LIST)


@pytest.mark.parametrize("size", [1, 6])
def test_the_action_page_query_count_does_not_grow_with_revisits(
    client_as, cx_lead, owner, store_a, make_revisit, size, django_assert_num_queries
):
    revisit = make_revisit(store_a, after=Emotion.ANGRY)
    action = revisit.action
    for _ in range(size):
        action.reopen(by=cx_lead, reason="Not fixed.")
        action.complete(by=owner, note="Fixed again.")
        action.verify(by=cx_lead)
        pending = ReVisit.objects.get(action=action, answer__isnull=True)
        pending.record_answer(
            factories.ObservationFactory(session=revisit.before.session, emotion="happy")
        )
    client = client_as(cx_lead)
    with django_assert_num_queries(10):
        client.get(reverse("insights:action-detail", args=[action.pk]))


def test_a_positive_answer_is_not_in_the_triage_queue_a_negative_one_is(
    client_as, cx_lead, make_revisit, store_a
):
    make_revisit(store_a, after=Emotion.ANGRY)

    response = client_as(cx_lead).get(reverse("insights:triage-queue"))

    assert "still negative" in response.content.decode()
    assert Observation.objects.filter(triage_state="untriaged").count() >= 1
