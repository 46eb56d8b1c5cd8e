"""Customers tell us we failed, without an account: the report reaches triage, whole or not."""

import datetime as dt
import time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from immersion.models import ImmersionSession
from insights.customer_reports import CUSTOMER_USERNAME, form_started_token
from insights.models import Action, CustomerReport
from journal.models import Observation
from tests import factories

pytestmark = pytest.mark.django_db

FORM = reverse("insights:tell-us")
STATUS = reverse("insights:report-status")


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()


def started(seconds_ago: float = 60) -> str:
    """A form start time as the page would have signed it `seconds_ago`."""
    with time_machine.travel(time.time() - seconds_ago, tick=False):
        return form_started_token()


def report(where, **changes) -> dict:
    data = {
        "team": where.pk,
        "touchpoint": "store",
        "what_happened": "Nobody answered at the collection desk for twenty minutes.",
        "happened_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "contact": "",
        "website": "",
        "started": started(),
    }
    return {**data, **changes}


def stored() -> tuple[int, int, int]:
    return (
        CustomerReport.objects.count(),
        Observation.objects.count(),
        ImmersionSession.objects.count(),
    )


def send(client, where, **changes):
    return client.post(FORM, report(where, **changes))


def reference_of(response) -> str:
    assert response.status_code == 302
    return response["Location"].split("reference=")[1].split("&")[0]


def test_the_form_answers_without_an_account(client, store_a):
    response = client.get(reverse("insights:tell-us-team", args=[store_a.pk]))

    assert response.status_code == 200
    assert "Tell us we failed: Store A" in response.content.decode()


def test_a_report_lands_in_the_teams_triage_queue_marked_from_a_customer(
    client, client_as, store_a, cx_lead
):
    send(client, store_a)

    body = client_as(cx_lead).get(reverse("insights:triage-queue")).content.decode()

    assert "Nobody answered at the collection desk" in body
    assert "From a customer" in body


def test_a_report_is_not_in_another_teams_triage(client, client_as, store_a, store_b):
    cx_lead_b = factories.CxLeadFactory(teams=[store_b])
    send(client, store_a)

    body = client_as(cx_lead_b).get(reverse("insights:triage-queue")).content.decode()

    assert "Nobody answered at the collection desk" not in body


def test_a_report_is_a_customer_pain_point_with_its_reference(client, store_a):
    reference = reference_of(send(client, store_a, contact="me@example.com"))

    saved = CustomerReport.objects.select_related("observation").get(reference=reference)
    assert saved.observation.source == Observation.Source.CUSTOMER
    assert saved.observation.kind == Observation.Kind.PAIN_POINT
    assert saved.observation.session.team == store_a
    assert (saved.contact, saved.contact_consent) == ("me@example.com", True)


def test_reports_of_a_team_share_one_standing_session_that_counts_as_no_walk(client, store_a):
    send(client, store_a)
    send(client, store_a, what_happened="The lift was out of order again.")

    sessions = ImmersionSession.objects.filter(team=store_a)
    assert sessions.count() == 1
    assert sessions.get().status == ImmersionSession.Status.CANCELLED


def test_the_account_reports_are_filed_under_cannot_sign_in(client, store_a):
    send(client, store_a)

    author = Observation.objects.get().author
    assert author.username == CUSTOMER_USERNAME
    assert not author.is_active
    assert not author.has_usable_password()


def test_the_new_report_shows_its_reference_and_received(client, store_a):
    response = send(client, store_a)

    body = client.get(response["Location"]).content.decode()
    assert reference_of(response) in body
    assert "Received" in body


def test_a_failure_while_storing_leaves_nothing_behind(client, store_a, monkeypatch):
    def broken(**fields):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(CustomerReport.objects, "create", broken)

    with pytest.raises(DatabaseError):
        send(client, store_a)
    assert stored() == (0, 0, 0)
    assert not get_user_model().objects.filter(username=CUSTOMER_USERNAME).exists()


def test_honeypot_filled_is_refused_and_nothing_is_stored(client, store_a):
    response = send(client, store_a, website="http://spam.example")

    assert response.status_code == 400
    assert "could not accept this report" in response.content.decode()
    assert stored() == (0, 0, 0)


def test_a_post_faster_than_a_person_types_is_refused(client, store_a):
    response = send(client, store_a, started=started(seconds_ago=1))

    assert response.status_code == 400
    assert "quicker than anyone types" in response.content.decode()
    assert stored() == (0, 0, 0)


@pytest.mark.parametrize("token", ["", "forged", "1700000000.0:abc:def"])
def test_a_start_time_we_did_not_sign_is_refused(client, store_a, token):
    response = send(client, store_a, started=token)

    assert response.status_code == 400
    assert stored() == (0, 0, 0)


def test_a_form_left_open_for_too_long_is_refused(client, store_a, settings):
    response = send(
        client, store_a, started=started(settings.CUSTOMER_REPORT_FORM_MAX_AGE_SECONDS + 5)
    )

    assert response.status_code == 400
    assert "open too long" in response.content.decode()


def test_a_report_too_long_is_refused_with_the_limit(client, store_a):
    response = send(client, store_a, what_happened="x" * 2001)

    assert response.status_code == 400
    assert "under 2000 characters" in response.content.decode()
    assert stored() == (0, 0, 0)


def test_contact_too_long_is_refused(client, store_a):
    response = send(client, store_a, contact="a" * 201)

    assert response.status_code == 400
    assert stored() == (0, 0, 0)


def test_a_day_in_the_future_is_refused(client, store_a):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = send(client, store_a, happened_on=tomorrow)

    assert response.status_code == 400
    assert "has not come yet" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("what_happened", "Tell us what happened."),
        ("team", "Choose where it happened."),
        ("happened_on", "Say on which day."),
        ("touchpoint", "Say what it was about."),
    ],
)
def test_each_missing_field_is_named(client, store_a, field, message):
    response = send(client, store_a, **{field: ""})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == (0, 0, 0)


def test_a_region_is_not_a_place_to_report(client, store_a):
    response = send(client, store_a, team=store_a.parent_id)

    assert response.status_code == 400


def test_posts_from_one_address_past_the_limit_are_refused_with_429(client, store_a, settings):
    settings.CUSTOMER_REPORT_ADDRESS_LIMIT = 5

    codes = [send(client, store_a, what_happened=f"Report {n}").status_code for n in range(100)]

    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429}
    assert CustomerReport.objects.count() == 5


def test_the_429_page_says_when_to_try_again(client, store_a, settings):
    settings.CUSTOMER_REPORT_ADDRESS_LIMIT = 1
    send(client, store_a)

    response = send(client, store_a)

    assert response.status_code == 429
    assert "Please try again in 60 minutes" in response.content.decode()


def test_refused_posts_count_against_the_address_too(client, store_a, settings):
    settings.CUSTOMER_REPORT_ADDRESS_LIMIT = 2
    send(client, store_a, website="spam")
    send(client, store_a, website="spam")

    assert send(client, store_a).status_code == 429


def test_reports_for_one_team_past_its_limit_are_refused_from_any_address(
    client, store_a, store_b, settings
):
    settings.CUSTOMER_REPORT_TEAM_LIMIT = 2
    for n in range(2):
        client.post(FORM, report(store_a), REMOTE_ADDR=f"10.0.0.{n}")

    refused = client.post(FORM, report(store_a), REMOTE_ADDR="10.0.0.9")
    other_team = client.post(FORM, report(store_b), REMOTE_ADDR="10.0.0.9")

    assert refused.status_code == 429
    assert other_team.status_code == 302
    assert CustomerReport.objects.filter(team=store_a).count() == 2


def test_the_limits_count_per_window(client, store_a, settings):
    settings.CUSTOMER_REPORT_ADDRESS_LIMIT = 1
    send(client, store_a)
    assert send(client, store_a).status_code == 429
    cache.clear()  # the window's counters expire with it

    assert send(client, store_a).status_code == 302


# Status lookup


@pytest.fixture
def filed(client, store_a):
    reference = reference_of(send(client, store_a))
    return CustomerReport.objects.select_related("observation").get(reference=reference)


def lookup(client, reference):
    return client.get(STATUS, {"reference": reference})


def test_the_status_page_answers_without_an_account(client, db):
    assert client.get(STATUS).status_code == 200


def test_an_untriaged_report_is_received(client, filed):
    body = lookup(client, filed.reference).content.decode()

    assert "Received" in body


def test_a_reference_is_found_typed_loosely(client, filed):
    loose = filed.reference.replace("-", "").lower()

    assert lookup(client, f" {loose} ").status_code == 200


def test_an_unknown_reference_is_a_clear_400(client, db):
    response = lookup(client, "ZZZZ-9999")

    assert response.status_code == 400
    assert "We have no report with this reference" in response.content.decode()


def test_a_reference_too_long_is_a_clear_400(client, db):
    response = lookup(client, "A" * 50)

    assert response.status_code == 400
    assert "A reference is 9 characters" in response.content.decode()


def _action_for(report, owner, status=Action.Status.OPEN, **fields):
    action = factories.ActionFactory(team=report.team, owner=owner, status=status, **fields)
    action.observations.add(report.observation)
    return action


def test_a_report_with_an_open_action_is_being_put_right(client, filed, owner):
    _action_for(filed, owner)

    assert "Being put right" in lookup(client, filed.reference).content.decode()


def test_a_report_whose_action_is_done_was_put_right_on_that_day(client, filed, owner):
    done_at = dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
    _action_for(
        filed, owner, status=Action.Status.DONE, done_at=done_at, evidence_note="Bell fitted."
    )

    assert "Put right on 4 March 2026" in lookup(client, filed.reference).content.decode()


def test_a_published_fix_shows_its_public_wording_and_nothing_internal(
    client, filed, owner, cx_lead
):
    _action_for(
        filed,
        owner,
        status=Action.Status.VERIFIED,
        done_at=timezone.now(),
        verified_at=timezone.now(),
        verified_by=cx_lead,
        is_published=True,
        title="INTERNAL title",
        evidence_note="INTERNAL evidence",
        you_said="Nobody came to the collection desk.",
        we_did="The desk now has a bell that rings in the back office.",
    )

    body = lookup(client, filed.reference).content.decode()
    assert "The desk now has a bell" in body
    assert "INTERNAL" not in body
    assert owner.get_full_name() not in body


def test_a_report_judged_to_need_no_action_says_it_was_looked_at_without_the_reason(client, filed):
    Observation.objects.filter(pk=filed.observation_id).update(
        triage_state=Observation.TriageState.NO_ACTION, triage_note="INTERNAL reason"
    )

    body = lookup(client, filed.reference).content.decode()
    assert "Looked at" in body
    assert "INTERNAL" not in body


def test_a_duplicate_report_follows_the_original_action(client, filed, owner, store_a):
    original = factories.ObservationFactory(session__team=store_a)
    action = factories.ActionFactory(team=store_a, owner=owner)
    action.observations.add(original)
    Observation.objects.filter(pk=filed.observation_id).update(
        triage_state=Observation.TriageState.DUPLICATE, duplicate_of=original
    )

    assert "Being put right" in lookup(client, filed.reference).content.decode()


def test_status_lookups_are_limited_per_address(client, filed, settings):
    settings.CUSTOMER_REPORT_ADDRESS_LIMIT = 1  # lookups get ten times as many

    codes = [lookup(client, "ZZZZ-9999").status_code for _ in range(11)]

    assert codes[-1] == 429


def test_the_status_page_reads_a_fixed_number_of_queries(
    client, filed, owner, django_assert_max_num_queries
):
    for _ in range(5):
        _action_for(filed, owner)
    # The report with its observation, team and promise; its actions.
    with django_assert_max_num_queries(2):
        assert lookup(client, filed.reference).status_code == 200


# Shown as from a customer to staff


def test_the_journal_page_says_from_a_customer(client_as, filed, cx_lead):
    response = client_as(cx_lead).get(filed.observation.get_absolute_url())

    assert "From a customer" in response.content.decode()


def test_the_triage_page_gives_the_reference_and_the_contact(client_as, client, store_a, cx_lead):
    reference = reference_of(send(client, store_a, contact="0113 496 0000"))
    observation = CustomerReport.objects.get(reference=reference).observation

    url = reverse("insights:triage-observation", args=[observation.pk])
    body = client_as(cx_lead).get(url).content.decode()

    assert reference in body
    assert "0113 496 0000" in body


def test_the_action_page_says_from_a_customer(client_as, filed, owner, cx_lead):
    action = _action_for(filed, owner)

    url = reverse("insights:action-detail", args=[action.pk])
    body = client_as(cx_lead).get(url).content.decode()

    assert "From a customer" in body


def test_staff_observations_are_not_marked(client_as, cx_lead, store_a):
    observation = factories.ObservationFactory(session__team=store_a)

    body = client_as(cx_lead).get(observation.get_absolute_url()).content.decode()

    assert "From a customer" not in body
