import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def registered_models():
    return [
        pytest.param(model, id=f"{model._meta.app_label}.{model._meta.model_name}")
        for model in admin.site._registry
    ]


@pytest.fixture
def some_of_everything(cast):
    """A few rows in the main tables, so the admin lists render real rows."""
    from immersion.models import SessionReminder
    from insights.models import Audit, AuditorAccess, Notification, ReVisit, ServicePolicy
    from journal.models import ObservationDeletion, Photo

    session = factories.SessionFactory(team=cast["manager"].teams.first())
    observation = factories.ObservationFactory(session=session)
    action = factories.ActionFactory(team=session.team, owner=cast["owner"])
    action.observations.add(observation)
    Photo.objects.create(
        observation=observation,
        uploaded_by=cast["manager"],
        original="photos/original.jpg",
        width=640,
        height=480,
        byte_size=1024,
        sha256="0" * 64,
    )
    SessionReminder.objects.create(
        session=session,
        recipient=cast["manager"],
        kind=SessionReminder.Kind.values[0],
        claimed_at=timezone.now(),
    )
    ObservationDeletion.objects.create(
        observation_pk=observation.pk + 1000,
        session=session,
        author=cast["manager"],
        deleted_by=cast["manager"],
        snapshot={"what_happened": "A broken lift"},
    )
    Notification.objects.create(
        action=action, kind=Notification.Kind.values[0], recipient=cast["owner"], period="test"
    )
    ServicePolicy.objects.create(priority=4, days_to_due=2, reminder_days=1)
    ReVisit.objects.create(
        action=action,
        team=session.team,
        touchpoint=observation.touchpoint,
        before=observation,
        before_emotion=observation.emotion,
        before_intensity=observation.intensity,
        verified_at=timezone.now(),
        due_on=timezone.localdate(),
    )
    factories.PersonaFactory()
    factories.ThemeFactory().observations.add(observation)
    factories.ProgrammeFactory(owner=cast["cx_lead"])
    auditor = factories.AuditorFactory()
    Audit.objects.create(
        month=dt.date(2026, 5, 1), auditor=auditor, auditor_organisation="Fairweather"
    )
    AuditorAccess.objects.create(user=auditor, method="GET", path="/insights/audits/", status=200)
    signin = {"username": "manager", "ip_address": "198.51.100.20", "user_agent": "Firefox"}
    AccessAttempt.objects.create(**signin, failures_since_start=2, attempt_time=timezone.now())
    AccessFailureLog.objects.create(**signin, attempt_time=timezone.now())
    AccessLog.objects.create(**signin, attempt_time=timezone.now())
    return session


def admin_labels():
    registered = {model._meta.label for model in admin.site._registry}
    inline = {
        inline.model._meta.label
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    return registered, inline


def test_the_domain_is_managed_in_the_admin():
    registered, _ = admin_labels()

    assert {
        "immersion.User",
        "immersion.Team",
        "immersion.SessionType",
        "immersion.Persona",
        "immersion.Programme",
        "immersion.ImmersionSession",
        "journal.Observation",
        "journal.Photo",
        "insights.Action",
        "auth.Group",
    } <= registered


def test_history_rows_are_shown_with_their_subject_in_the_admin():
    _, inline = admin_labels()

    assert {"immersion.SessionEvent", "insights.ActionEvent"} <= inline


@pytest.mark.parametrize("model", registered_models())
def test_staff_can_list_and_add_every_registered_model(client_as, staff, some_of_everything, model):
    info = (model._meta.app_label, model._meta.model_name)
    client = client_as(staff)
    request = RequestFactory().get("/admin/")
    request.user = staff
    can_add = admin.site._registry[model].has_add_permission(request)

    changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    add = client.get(reverse("admin:{}_{}_add".format(*info)))

    assert changelist.status_code == 200
    assert add.status_code == (200 if can_add else 403)


@pytest.mark.parametrize("model", registered_models())
def test_staff_can_open_an_existing_row_of_every_registered_model(
    client_as, staff, some_of_everything, model
):
    row = model._default_manager.first()
    assert row is not None, f"some_of_everything should make a {model._meta.verbose_name}"
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk])

    response = client_as(staff).get(url)

    assert response.status_code == 200
