"""Audits: a random sample of a month's fixes and reports, a finding for each, and a signed
month whose public figures no later change to the data can alter."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from immersion.models import User
from insights.audits import auditable_months, draw_sample
from insights.customer_reports import file_report
from insights.models import Action, Audit, AuditItem, AuditorAccess, MonthSnapshot, Promise
from journal import images
from journal.models import Observation
from tests import factories
from tests.dashboards.conftest import action, finish, observation
from tests.journal import corpus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 8, 15, 12, tzinfo=dt.UTC)
MAY = dt.date(2026, 5, 1)
LIST = reverse("insights:audit-list")
NEW = reverse("insights:audit-create")
PUBLIC = reverse("insights:public")


def at(month, day):
    return dt.datetime(2026, month, day, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now_and_fresh_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def auditor(db):
    return factories.AuditorFactory(username="auditor")


@pytest.fixture
def may(cast, store_a, store_b):
    """May 2026: three fixes verified, two customer problems met, two customer reports."""
    session_a = factories.SessionFactory(team=store_a, lead=cast["manager"])
    session_b = factories.SessionFactory(team=store_b, lead=cast["other_manager"])
    met_a = observation(session_a, at(5, 2), what_happened="The lift was out of order.")
    met_b = observation(session_b, at(5, 3), what_happened="Nobody at the desk.")
    fixes = []
    for team, seen in ((store_a, met_a), (store_a, None), (store_b, None)):
        made = action(team, cast["owner"], at(5, 4), dt.date(2026, 5, 20), [seen] if seen else [])
        finish(made, at(5, 10), verified_at=at(5, 12), verifier=cast["cx_lead"])
        fixes.append(made)
    june = action(store_a, cast["owner"], at(6, 1), dt.date(2026, 6, 20))
    finish(june, at(6, 5), verified_at=at(6, 6), verifier=cast["cx_lead"])
    promise = Promise.objects.create()
    promise.revise(
        by=cast["cx_lead"],
        title="We answer every report",
        can_count_on="An answer.",
        we_expect="Tell us where.",
        if_we_fail="We call you.",
        answer_within_days=2,
        put_right_within_days=10,
    )
    reports = []
    for team, answered in ((store_a, True), (store_b, False)):
        report = file_report(
            team=team,
            what_happened="Nobody came.",
            touchpoint="store",
            happened_on=dt.date(2026, 5, 6),
            promise_version=promise.current,
        )
        report.created_at = at(5, 6)
        report.save(update_fields=["created_at"])
        Observation.objects.filter(pk=report.observation_id).update(
            created_at=at(5, 6), triaged_at=at(5, 7) if answered else None
        )
        reports.append(report)
    return {"fixes": fixes, "june": june, "reports": reports, "promise": promise, "met": met_b}


def start(client, **changes):
    data = {
        "month": MAY.isoformat(),
        "auditor_organisation": "Fairweather Audit LLP",
        "fixes": 2,
        "reports": 5,
    }
    return client.post(NEW, {**data, **changes})


def check_all(client, audit, finding="confirmed"):
    for item in audit.items.all():
        response = client.post(
            reverse("insights:audit-item", args=[audit.pk, item.pk]),
            {"finding": finding, "note": "Photo shows the sign." if finding else ""},
        )
        assert response.status_code == 302


@pytest.fixture
def signed(client_as, auditor, may):
    client = client_as(auditor)
    start(client, fixes=3)
    audit = Audit.objects.get()
    check_all(client, audit)
    first_fix = audit.items.filter(kind="fix").first()
    client.post(
        reverse("insights:audit-item", args=[audit.pk, first_fix.pk]),
        {"finding": "not_confirmed", "note": "No photo of the new sign."},
    )
    response = client.post(
        reverse("insights:audit-sign", args=[audit.pk]),
        {"statement": "We sampled at random and checked each record against its evidence."},
    )
    assert response.status_code == 302
    return Audit.objects.get()


def public_may(client_as):
    cache.clear()
    context = client_as(None).get(PUBLIC).context
    month = next(m for m in context["months"] if m["month"] == MAY)
    promise = context["customer_promises"][0]
    return month, next(m for m in promise["months"] if m["month"] == MAY)


# Which months, and the sample


def test_only_settled_unsigned_months_can_be_audited(may):
    months = auditable_months(NOW.date())

    # The promise puts right within 10 days and the public measure counts 30: July ended
    # 15 days ago, so its figures can still move.
    assert months[0] == dt.date(2026, 6, 1)
    assert MAY in months
    assert dt.date(2026, 7, 1) not in months


def test_a_signed_month_is_no_longer_offered(signed):
    assert MAY not in auditable_months(NOW.date())


def test_the_sample_is_drawn_from_the_months_verified_fixes_and_reports_only(auditor, may):
    audit = Audit.objects.create(month=MAY, auditor=auditor, auditor_organisation="F")

    drawn = draw_sample(audit, fixes=50, reports=50)

    assert drawn == 5
    assert set(audit.items.values_list("action_id", flat=True)) - {None} == {
        f.pk for f in may["fixes"]
    }
    assert may["june"].pk not in audit.items.values_list("action_id", flat=True)


def test_the_sample_takes_as_many_as_asked_at_random(auditor, may):
    audit = Audit.objects.create(month=MAY, auditor=auditor, auditor_organisation="F")

    draw_sample(audit, fixes=2, reports=1)

    assert audit.items.filter(kind="fix").count() == 2
    assert audit.items.filter(kind="report").count() == 1


def test_an_auditor_starts_an_audit_and_lands_on_it(client_as, auditor, may):
    response = start(client_as(auditor))

    audit = Audit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:audit-detail", args=[audit.pk])
    assert (audit.auditor, audit.month, audit.items.count()) == (auditor, MAY, 4)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"month": "2026-07-01"}, "Choose one of the months offered."),
        ({"month": "not a month"}, "Choose one of the months offered."),
        ({"fixes": 500}, "Give a number from 0 to 100."),
        ({"reports": -1}, "Give a number from 0 to 100."),
        ({"fixes": 0, "reports": 0}, "Sample at least one fix or report."),
        ({"auditor_organisation": ""}, "This field is required."),
    ],
)
def test_bad_audit_requests_are_refused_and_nothing_is_stored(client_as, auditor, may, changes,
                                                              message):  # fmt: skip
    response = start(client_as(auditor), **changes)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Audit.objects.exists()


def test_a_month_with_nothing_to_sample_is_refused_whole(client_as, auditor, may):
    response = start(client_as(auditor), month="2026-03-01")

    assert response.status_code == 400
    assert "Nothing was verified or reported in March 2026." in response.content.decode()
    assert not Audit.objects.exists()
    assert not AuditItem.objects.exists()


# Who may


@pytest.mark.parametrize("who", ["manager", "other_manager", "cx_lead", "executive", "owner"])
def test_nobody_but_an_auditor_reaches_the_audit_pages(client_as, cast, who):
    assert client_as(cast[who]).get(LIST).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client_as, db):
    response = client_as(None).get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_auditors_audit_is_not_found(client_as, auditor, may):
    start(client_as(auditor))
    audit = Audit.objects.get()
    other = factories.AuditorFactory()

    client = client_as(other)
    assert client.get(reverse("insights:audit-detail", args=[audit.pk])).status_code == 404
    item = audit.items.first()
    assert client.get(reverse("insights:audit-item", args=[audit.pk, item.pk])).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["insights:dashboard", "insights:action-list", "insights:triage-queue"]
)
def test_an_auditor_reads_no_internal_page_outside_an_audit(client_as, auditor, url_name):
    assert client_as(auditor).get(reverse(url_name)).status_code == 403


def test_an_auditor_finds_no_observation_in_the_journal(client_as, auditor, may):
    response = client_as(auditor).get(reverse("journal:list"))

    assert response.status_code == 403
    assert "The lift was out of order." not in response.content.decode()


def test_an_auditors_home_leads_to_the_audits(client_as, auditor):
    body = client_as(auditor).get("/").content.decode()

    assert f'href="{LIST}"' in body
    assert "Your audits" in body


# Findings


def test_a_finding_is_recorded_and_the_next_item_opens(client_as, auditor, may):
    client = client_as(auditor)
    start(client)
    audit = Audit.objects.get()
    first, second = list(audit.items.all())[:2]

    response = client.post(
        reverse("insights:audit-item", args=[audit.pk, first.pk]),
        {"finding": "confirmed", "note": ""},
    )

    first.refresh_from_db()
    assert first.finding == "confirmed"
    assert first.checked_at == NOW
    assert response["Location"] == reverse("insights:audit-item", args=[audit.pk, second.pk])


def test_not_confirmed_needs_a_note_and_stores_nothing_without_one(client_as, auditor, may):
    client = client_as(auditor)
    start(client)
    item = AuditItem.objects.first()

    response = client.post(
        reverse("insights:audit-item", args=[item.audit_id, item.pk]),
        {"finding": "not_confirmed", "note": "  "},
    )

    assert response.status_code == 400
    assert "Say what the evidence does not show." in response.content.decode()
    item.refresh_from_db()
    assert item.finding == ""


def test_the_item_page_shows_the_evidence_of_a_fix(client_as, auditor, may):
    client = client_as(auditor)
    start(client, fixes=3, reports=0)
    item = AuditItem.objects.get(action=may["fixes"][0])
    Action.objects.filter(pk=item.action_id).update(evidence_note="New sign by the lift.")

    body = client.get(reverse("insights:audit-item", args=[item.audit_id, item.pk])).content
    body = body.decode()

    assert "New sign by the lift." in body
    assert "The lift was out of order." in body


def test_the_item_page_shows_how_a_report_was_counted(client_as, auditor, may):
    client = client_as(auditor)
    start(client, fixes=0, reports=2)
    item = AuditItem.objects.get(report=may["reports"][0])

    body = client.get(reverse("insights:audit-item", args=[item.audit_id, item.pk])).content
    body = body.decode()

    assert may["reports"][0].reference in body
    assert "answered in time: yes" in body


def test_an_auditor_sees_the_photos_of_a_sampled_fix_only(
    client_as, auditor, may, cast, django_capture_on_commit_callbacks
):
    client = client_as(auditor)
    start(client, fixes=3, reports=0)
    item = AuditItem.objects.get(action=may["fixes"][0])
    observed = may["fixes"][0].observations.get()
    with django_capture_on_commit_callbacks(execute=True):
        photo = images.store_photo(
            corpus.upload("lift.jpg", corpus.camera_jpeg()), cast["manager"], observed
        )
        other = images.store_photo(
            corpus.upload("desk.jpg", corpus.camera_jpeg()), cast["manager"], may["met"]
        )

    def url(p):
        return reverse("insights:audit-photo", args=[item.audit_id, item.pk, p.pk, "thumbnail"])

    assert client.get(url(photo)).status_code == 200
    assert client.get(url(other)).status_code == 404


# Signing and the frozen month


def test_signing_waits_for_every_finding(client_as, auditor, may):
    client = client_as(auditor)
    start(client)
    audit = Audit.objects.get()

    response = client.post(
        reverse("insights:audit-sign", args=[audit.pk]), {"statement": "All checked."}
    )

    assert response.status_code == 409
    assert "Record a finding for every sampled item before signing." in response.content.decode()
    assert not MonthSnapshot.objects.exists()


def test_signing_needs_a_statement(client_as, auditor, may):
    client = client_as(auditor)
    start(client)
    audit = Audit.objects.get()
    check_all(client, audit)

    response = client.post(reverse("insights:audit-sign", args=[audit.pk]), {"statement": " "})

    assert response.status_code == 400
    assert not MonthSnapshot.objects.exists()


def test_a_month_is_signed_once(client_as, auditor, may, signed):
    client = client_as(auditor)
    second = Audit.objects.create(month=MAY, auditor=auditor, auditor_organisation="Again")
    draw_sample(second, fixes=1, reports=0)
    check_all(client, second)

    response = client.post(
        reverse("insights:audit-sign", args=[second.pk]), {"statement": "Checked again."}
    )

    assert response.status_code == 409
    assert "May 2026 has already been audited and signed." in response.content.decode()


def test_a_signed_audits_findings_no_longer_change(client_as, auditor, signed):
    item = signed.items.first()
    before = item.finding

    client_as(auditor).post(
        reverse("insights:audit-item", args=[signed.pk, item.pk]),
        {"finding": "not_confirmed", "note": "Changed my mind."},
    )

    item.refresh_from_db()
    assert item.finding == before


def test_the_public_page_says_who_checked_the_month_and_what_they_found(client_as, signed):
    body = client_as(None).get(PUBLIC).content.decode()

    assert "Figures for May 2026 checked by Fairweather Audit LLP" in body
    assert "2 of 3 sampled fixes confirmed" in body
    assert "2 of 2 sampled reports confirmed" in body
    assert reverse("insights:public-audit", args=[signed.pk]) in body


def test_the_audited_month_stays_identical_after_the_data_under_it_changes(client_as, cast,
                                                                          may, signed):  # fmt: skip
    month_before, promise_before = public_may(client_as)
    # Afterwards: the fix behind May's one put-right problem is reopened, another May
    # problem is found, and the unanswered report is answered after all.
    fix = may["fixes"][0]
    Action.objects.filter(pk=fix.pk).update(status=Action.Status.OPEN, done_at=None)
    observation(may["met"].session, at(5, 20))
    Observation.objects.filter(pk=may["reports"][1].observation_id).update(triaged_at=at(5, 7))

    month_after, promise_after = public_may(client_as)

    assert month_after == month_before
    assert promise_after == promise_before
    assert (month_before["issues"], month_before["acted"]) == (4, 1)
    assert (promise_before["answer_due"], promise_before["answered"]) == (2, 1)


def test_an_unaudited_month_moves_with_its_data(client_as, cast, may, signed):
    june = dt.date(2026, 6, 1)
    observation(may["met"].session, at(6, 3))

    cache.clear()
    months = client_as(None).get(PUBLIC).context["months"]

    assert next(m for m in months if m["month"] == june)["issues"] == 1


def test_a_places_page_reads_its_share_of_the_frozen_month(client_as, store_a, may, signed):
    observation(may["met"].session, at(5, 25))  # after signing, at store B

    context = client_as(None).get(reverse("insights:public-place", args=[store_a.pk])).context
    month = next(m for m in context["months"] if m["month"] == MAY)

    # Store A's problem met by a manager, and its customer's report; both as signed.
    assert (month["issues"], month["acted"], month["audited"]) == (2, 1, True)


def test_the_statement_is_public_once_signed(client_as, signed):
    response = client_as(None).get(reverse("insights:public-audit", args=[signed.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "We sampled at random and checked each record against its evidence." in body
    assert "2 of 3" in body


def test_an_unsigned_audit_has_no_public_statement(client_as, auditor, may):
    start(client_as(auditor))
    audit = Audit.objects.get()

    assert client_as(None).get(reverse("insights:public-audit", args=[audit.pk])).status_code == 404


# The access log


def test_every_request_of_an_auditor_is_logged(client_as, auditor, may):
    client = client_as(auditor)
    client.get(LIST)
    client.get(reverse("insights:dashboard"))

    logged = list(AuditorAccess.objects.order_by("pk").values_list("user", "path", "status"))
    assert logged == [
        (auditor.pk, LIST, 200),
        (auditor.pk, reverse("insights:dashboard"), 403),
    ]


def test_other_peoples_requests_are_not_logged(client_as, cast):
    client_as(cast["cx_lead"]).get(reverse("insights:triage-queue"))

    assert not AuditorAccess.objects.exists()


# Query counts


@pytest.mark.parametrize("fixes", [1, 3])
def test_the_audit_pages_read_a_fixed_number_of_queries(client_as, auditor, may, fixes,
                                                        django_assert_max_num_queries):  # fmt: skip
    client = client_as(auditor)
    start(client, fixes=fixes, reports=2)
    audit = Audit.objects.get()
    item = audit.items.filter(kind="fix").first()
    for n in range(fixes * 3):
        Action.objects.get(pk=item.action_id).comment(by=auditor, text=f"Note {n}")

    with django_assert_max_num_queries(14):
        assert client.get(reverse("insights:audit-detail", args=[audit.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        url = reverse("insights:audit-item", args=[audit.pk, item.pk])
        assert client.get(url).status_code == 200


def test_the_audit_pages_speak_french_to_an_auditor_who_chose_it(client_as, auditor, may):
    User.objects.filter(pk=auditor.pk).update(language="fr")
    client = client_as(auditor)
    start(client, fixes=1, reports=2)
    fix = AuditItem.objects.get(action__isnull=False)
    report = AuditItem.objects.get(report=may["reports"][0])

    detail = client.get(reverse("insights:audit-detail", args=[fix.audit_id])).content.decode()
    fix_page = client.get(reverse("insights:audit-item", args=[fix.audit_id, fix.pk]))
    report_page = client.get(reverse("insights:audit-item", args=[report.audit_id, report.pk]))

    assert "Les éléments tirés au sort et vos constats." in detail
    assert "Ce que les responsables ont vu" in fix_page.content.decode()
    assert "réponse dans les délais : oui" in report_page.content.decode()
