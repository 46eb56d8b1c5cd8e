"""Promises: written by CX leads in versions, shown in public with how well each is kept."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from insights.customer_reports import file_report
from insights.models import Action, CustomerReport, Promise, PromiseVersion
from insights.promise_measures import measures
from journal.models import Observation
from tests import factories
from tests.insights.test_customer_reports import report

pytestmark = pytest.mark.django_db

LIST = reverse("insights:promise-list")
NEW = reverse("insights:promise-create")
PUBLIC = reverse("insights:public")
NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)

WORDING = {
    "title": "We answer every report",
    "can_count_on": "A person reads your report and answers you.",
    "we_expect": "Tell us where and when it happened.",
    "if_we_fail": "The store manager calls you and puts it right.",
    "answer_within_days": 2,
    "put_right_within_days": 10,
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def promise(cx_lead):
    made = Promise.objects.create()
    made.revise(by=cx_lead, **WORDING)
    return made


def at(month, day, hour=12):
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


# Writing promises


def test_a_top_level_cx_lead_publishes_an_organisation_promise(client_as, cx_lead):
    response = client_as(cx_lead).post(NEW, {**WORDING, "team": ""})

    assert response.status_code == 302
    version = PromiseVersion.objects.get()
    assert (version.number, version.title, version.promise.team) == (1, WORDING["title"], None)
    assert version.created_by == cx_lead


def test_a_store_cx_lead_may_promise_for_the_store_but_not_for_everyone(client_as, store_a):
    store_lead = factories.CxLeadFactory(teams=[store_a])
    client = client_as(store_lead)

    refused = client.post(NEW, {**WORDING, "team": ""})
    accepted = client.post(NEW, {**WORDING, "team": store_a.pk})

    assert refused.status_code == 400
    assert "Only a CX lead of a top-level team" in refused.content.decode()
    assert accepted.status_code == 302
    assert list(Promise.objects.values_list("team", flat=True)) == [store_a.pk]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the promise a short title."),
        ({"can_count_on": ""}, "Say what the customer can count on."),
        ({"we_expect": ""}, "Say what we ask of the customer"),
        ({"if_we_fail": ""}, "Say what we do if we fail."),
        ({"answer_within_days": 0}, "Give at least one day."),
        ({"answer_within_days": 12}, "We cannot put it right before we answer"),
        ({"put_right_within_days": "soon"}, "Enter a whole number."),
        ({"can_count_on": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_a_bad_promise_is_refused_and_nothing_is_stored(client_as, cx_lead, changes, message):
    response = client_as(cx_lead).post(NEW, {**WORDING, "team": "", **changes})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Promise.objects.count(), PromiseVersion.objects.count()) == (0, 0)


def test_a_change_publishes_a_new_version_and_keeps_the_old(client_as, cx_lead, promise):
    url = reverse("insights:promise-revise", args=[promise.pk])

    response = client_as(cx_lead).post(url, {**WORDING, "title": "We answer within a day"})

    assert response.status_code == 302
    versions = list(promise.versions.order_by("number").values_list("number", "title"))
    assert versions == [(1, WORDING["title"]), (2, "We answer within a day")]


def test_a_bad_change_leaves_the_versions_as_they_were(client_as, cx_lead, promise):
    url = reverse("insights:promise-revise", args=[promise.pk])

    response = client_as(cx_lead).post(url, {**WORDING, "if_we_fail": ""})

    assert response.status_code == 400
    assert promise.versions.count() == 1


def test_a_cx_lead_of_another_team_may_not_change_a_teams_promise(client_as, store_a, store_b):
    own = Promise.objects.create(team=store_a)
    own.revise(by=None, **WORDING)
    lead_b = factories.CxLeadFactory(teams=[store_b])
    url = reverse("insights:promise-revise", args=[own.pk])

    assert client_as(lead_b).get(url).status_code == 403
    assert client_as(lead_b).post(url, WORDING).status_code == 403
    assert own.versions.count() == 1


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 403),
        ("other_manager", 403),
        ("cx_lead", 200),
        ("executive", 403),
        ("owner", 403),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("page", ["list", "new", "revise"])
def test_promise_pages_by_role(client_as, cast, promise, who, expected, page):
    url = {
        "list": LIST,
        "new": NEW,
        "revise": reverse("insights:promise-revise", args=[promise.pk]),
    }[page]

    assert client_as(cast[who]).get(url).status_code == expected


def test_the_cx_leads_menu_leads_to_the_promises(client_as, cx_lead):
    body = client_as(cx_lead).get("/").content.decode()

    assert f'href="{LIST}"' in body


def test_the_promise_list_reads_a_fixed_number_of_queries(
    client_as, cx_lead, django_assert_max_num_queries
):
    client = client_as(cx_lead)

    def grow(n):
        made = Promise.objects.create()
        for m in range(3):
            made.revise(by=factories.CxLeadFactory(), **{**WORDING, "title": f"Promise {n}.{m}"})

    grow(0)
    with django_assert_max_num_queries(30) as before:
        client.get(LIST)
    for n in range(1, 6):
        grow(n)

    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(LIST).status_code == 200


# In public


def test_the_public_page_shows_the_current_version_with_its_date(client, cx_lead, promise):
    with time_machine.travel(NOW, tick=False):
        promise.revise(by=cx_lead, **{**WORDING, "title": "We answer within a day"})
        body = client.get(PUBLIC).content.decode()

    assert "We answer within a day" in body
    assert "Version 2, in force since 15 June 2026" in body
    assert WORDING["title"] not in body
    assert reverse("insights:public-promise", args=[promise.pk]) in body


def test_earlier_versions_stay_readable_in_public(client, cx_lead, promise):
    promise.revise(by=cx_lead, **{**WORDING, "title": "We answer within a day"})

    body = client.get(reverse("insights:public-promise", args=[promise.pk])).content.decode()

    assert "Version 1: We answer every report" in body
    assert "Version 2: We answer within a day" in body
    assert cx_lead.get_full_name() not in body


def test_a_promise_without_any_version_is_not_public(client, db):
    empty = Promise.objects.create()

    assert client.get(reverse("insights:public-promise", args=[empty.pk])).status_code == 404


def test_the_report_form_names_the_promise_it_is_about(client, promise, store_a):
    form = client.get(reverse("insights:tell-us") + f"?promise={promise.pk}").content.decode()
    version = promise.versions.get()

    assert f'<option value="{version.pk}" selected>{WORDING["title"]}</option>' in form
    client.post(reverse("insights:tell-us"), report(store_a, promise=version.pk))
    assert CustomerReport.objects.get().promise_version == version


def test_a_promise_not_offered_is_refused(client, store_a, db):
    response = client.post(reverse("insights:tell-us"), report(store_a, promise=9999))

    assert response.status_code == 400
    assert CustomerReport.objects.count() == 0


# Measures


def _file(team, version, sent, triaged=None, fixed=None, owner=None, duplicate_of=None):
    made = file_report(
        team=team,
        what_happened="It went wrong.",
        touchpoint="store",
        happened_on=sent.date(),
        promise_version=version,
    )
    CustomerReport.objects.filter(pk=made.pk).update(created_at=sent)
    fields = {"created_at": sent}
    if triaged:
        state = Observation.TriageState.DUPLICATE if duplicate_of else "actioned"
        fields |= {"triaged_at": triaged, "triage_state": state, "duplicate_of": duplicate_of}
    Observation.objects.filter(pk=made.observation_id).update(**fields)
    if fixed:
        action = factories.ActionFactory(
            team=team,
            owner=owner,
            status=Action.Status.DONE,
            done_at=fixed,
            evidence_note="Done.",
        )
        action.observations.add(made.observation)
    return made


def test_measures_match_the_hand_counted_months(cx_lead, owner, store_a):
    made = Promise.objects.create()
    v1 = made.revise(by=cx_lead, **WORDING)  # answer in 2 days, put right in 10
    v2 = made.revise(**{**WORDING, "answer_within_days": 1, "put_right_within_days": 1}, by=None)
    original = factories.ObservationFactory(session__team=store_a)
    early_fix = factories.ActionFactory(
        team=store_a, owner=owner, status=Action.Status.DONE, done_at=at(5, 10), evidence_note="."
    )
    early_fix.observations.add(original)
    # April: answered and fixed in time; both late; neither.
    _file(store_a, v1, at(4, 3), triaged=at(4, 4), fixed=at(4, 8), owner=owner)
    _file(store_a, v1, at(4, 10), triaged=at(4, 15), fixed=at(4, 25), owner=owner)
    _file(store_a, v1, at(4, 20))
    # May: a repeat, put right through its original in time; under v2 (1 day), fixed in 3.
    _file(store_a, v1, at(5, 5), triaged=at(5, 6), duplicate_of=original)
    _file(store_a, v2, at(5, 20), triaged=at(5, 20, 20), fixed=at(5, 23), owner=owner)
    # June 12: its answer is due (14 June), its fix not yet (22 June).
    _file(store_a, v1, at(6, 12))

    with time_machine.travel(NOW, tick=False):
        months = {m["month"]: m for m in measures([made.pk], NOW)[made.pk]}

    def counts(month):
        row = months[month]
        return row["answered"], row["answer_due"], row["fixed"], row["fix_due"]

    assert counts(dt.date(2026, 4, 1)) == (1, 3, 1, 3)
    assert counts(dt.date(2026, 5, 1)) == (2, 2, 1, 2)
    assert counts(dt.date(2026, 6, 1)) == (0, 1, 0, 0)
    assert months[dt.date(2026, 6, 1)]["fixed_share"] is None
    assert months[dt.date(2026, 3, 1)]["answered_share"] is None
    assert len(months) == 12


def test_months_without_reports_say_no_data_in_public(client, promise):
    with time_machine.travel(NOW, tick=False):
        body = client.get(PUBLIC).content.decode()

    table = body.split("How we kept it, month by month", 1)[1].split("<tbody>", 1)[1]
    table = table.split("</tbody>", 1)[0]
    assert table.count("no data") == 24
    assert "0 %" not in table


def test_the_public_page_reads_a_fixed_number_of_queries(
    client, cx_lead, store_a, owner, django_assert_max_num_queries
):
    def grow():
        made = Promise.objects.create(team=store_a)
        version = made.revise(by=cx_lead, **WORDING)
        made.revise(by=cx_lead, **WORDING)
        for day in (2, 9):
            _file(store_a, version, at(5, day), at(5, day + 1), at(5, day + 2), owner=owner)

    with time_machine.travel(NOW, tick=False):
        grow()
        with django_assert_max_num_queries(20) as before:
            client.get(PUBLIC)
        cache.clear()
        for _ in range(4):
            grow()
        with django_assert_max_num_queries(len(before.captured_queries)):
            assert client.get(PUBLIC).status_code == 200


def test_the_report_form_reads_a_fixed_number_of_queries(
    client, cx_lead, django_assert_max_num_queries
):
    Promise.objects.create().revise(by=cx_lead, **WORDING)
    with django_assert_max_num_queries(20) as before:
        client.get(reverse("insights:tell-us"))
    for _ in range(5):
        Promise.objects.create().revise(by=cx_lead, **WORDING)
        factories.TeamFactory()

    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(reverse("insights:tell-us")).status_code == 200


@pytest.mark.parametrize(
    "who", ["manager", "other_manager", "cx_lead", "executive", "owner", "anonymous"]
)
def test_every_public_page_answers_everyone(client_as, cast, promise, store_a, who):
    client = client_as(cast[who])
    pages = [
        PUBLIC,
        reverse("insights:tell-us"),
        reverse("insights:tell-us-team", args=[store_a.pk]),
        reverse("insights:report-status"),
        reverse("insights:public-promise", args=[promise.pk]),
    ]

    assert [client.get(page).status_code for page in pages] == [200] * len(pages)


@pytest.mark.parametrize("who", ["manager", "executive", "owner", "anonymous"])
def test_nobody_but_a_cx_lead_can_publish_a_promise(client_as, cast, promise, who):
    client = client_as(cast[who])

    client.post(NEW, {**WORDING, "team": ""})
    client.post(reverse("insights:promise-revise", args=[promise.pk]), WORDING)

    assert PromiseVersion.objects.count() == 1


def test_a_team_form_for_a_region_or_unknown_team_is_not_found(client, region):
    assert client.get(reverse("insights:tell-us-team", args=[region.pk])).status_code == 404
    assert client.get(reverse("insights:tell-us-team", args=[9999])).status_code == 404
