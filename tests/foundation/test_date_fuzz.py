"""Every date and date-time field and filter, fed dates far out of range or malformed.

Each is posted or fetched as the role that uses it. A form answers 400 with the error on
the field and stores nothing; a list's filter answers with a message on the field and no
500. Dates must fall between 2000 and 2100 (``immersion.forms.FIRST_DAY``/``LAST_DAY``).
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from immersion.models import ImmersionSession, Programme
from insights.models import Action
from tests import factories

pytestmark = pytest.mark.django_db

BAD_DATES = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31", "2024-02-30", "soon"]
BAD_DATETIMES = [
    "0001-01-01T00:00",
    "1999-12-31T23:59",
    "2101-01-01T00:00",
    "9999-12-31T23:30",
    "9999-12-31T23:59",
    "2024-02-30T10:00",
    "9999-12-31",
]


def in_days(days, hour=10):
    day = timezone.localdate() + dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


@pytest.fixture
def world(manager, cx_lead, store_a, region):
    session_type = factories.SessionTypeFactory(default_duration=dt.timedelta(hours=1))
    session = factories.SessionFactory(lead=manager, team=store_a, session_type=session_type)
    observation = factories.ObservationFactory(session=session)
    action = factories.ActionFactory(team=store_a, owner=manager, created_by=cx_lead)
    return {
        "session_type": session_type,
        "session": session,
        "observation": observation,
        "action": action,
    }


def session_data(world, store_a, **overrides):
    data = {
        "session_type": world["session_type"].pk,
        "team": store_a.pk,
        "place": "Front door",
        "planned_start": in_days(3),
        "planned_end": in_days(3, hour=11),
        "brief": "Watch the queue.",
    }
    data.update(overrides)
    return data


def programme_data(store_a, **overrides):
    today = timezone.localdate()
    data = {
        "name": "Spring walks",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=90)).isoformat(),
        "target_sessions": 3,
        "participant_teams": [store_a.pk],
    }
    data.update(overrides)
    return data


def action_data(world, store_a, **overrides):
    action = world["action"]
    data = {
        "version": action.version,
        "title": "Open the fitting rooms",
        "description": "",
        "owner": action.owner_id,
        "team": store_a.pk,
        "due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "priority": action.priority,
    }
    data.update(overrides)
    return data


def stored(world):
    action = Action.objects.get(pk=world["action"].pk)
    session = ImmersionSession.objects.get(pk=world["session"].pk)
    return (
        Programme.objects.count(),
        ImmersionSession.objects.count(),
        Action.objects.count(),
        (action.title, action.due_on),
        (session.planned_start, session.planned_end, session.brief),
    )


# (who, url, data builder, the field holding the bad value, the values to try)
FORMS = {
    "programme starts on": ("cx_lead", "programme-create", "programme", "starts_on", BAD_DATES),
    "programme ends on": ("cx_lead", "programme-create", "programme", "ends_on", BAD_DATES),
    "session starts (manager)": (
        "manager",
        "session-create",
        "session",
        "planned_start",
        BAD_DATETIMES,
    ),
    "session starts, no end": (
        "manager",
        "session-create",
        "session_no_end",
        "planned_start",
        BAD_DATETIMES,
    ),
    "session ends": ("cx_lead", "session-create", "session_lead", "planned_end", BAD_DATETIMES),
    "series until": ("manager", "session-create", "series_until", "until", BAD_DATES),
    "edit starts": ("manager", "session-edit", "session", "planned_start", BAD_DATETIMES),
    "edit ends": ("manager", "session-edit", "session", "planned_end", BAD_DATETIMES),
    "new action due": ("cx_lead", "triage-new-action", "action", "due_on", BAD_DATES),
    "edit action due": ("cx_lead", "action-edit", "action", "due_on", BAD_DATES),
}

URLS = {
    "programme-create": lambda world: reverse("immersion:programme-create"),
    "session-create": lambda world: reverse("immersion:session-create"),
    "session-edit": lambda world: reverse("immersion:session-edit", args=[world["session"].pk]),
    "triage-new-action": lambda world: reverse(
        "insights:triage-new-action", args=[world["observation"].pk]
    ),
    "action-edit": lambda world: reverse("insights:action-edit", args=[world["action"].pk]),
}


def form_data(kind, world, store_a, manager):
    if kind == "programme":
        return programme_data(store_a)
    if kind == "session":
        return session_data(world, store_a)
    if kind == "session_no_end":
        return session_data(world, store_a, planned_end="")
    if kind == "session_lead":
        return session_data(world, store_a, lead=manager.pk)
    if kind == "series_until":
        return session_data(world, store_a, repeat="weekly")
    return action_data(world, store_a)


@pytest.mark.parametrize(
    ("who", "url", "kind", "field", "value"),
    [
        pytest.param(who, url, kind, field, value, id=f"{name}={value}")
        for name, (who, url, kind, field, values) in FORMS.items()
        for value in values
    ],
)
def test_a_form_refuses_the_date_on_its_field_and_stores_nothing(
    client_as, cast, world, store_a, manager, who, url, kind, field, value
):
    data = form_data(kind, world, store_a, manager)
    data[field] = value
    before = stored(world)

    response = client_as(cast[who]).post(URLS[url](world), data)

    assert response.status_code == 400
    form = response.context["form"] if "form" in response.context else response.context["new_form"]
    assert form.errors[field]
    assert stored(world) == before


# (who, url name, the bad value's parameter, other parameters)
FILTERS = {
    "schedule from": ("cx_lead", "immersion:schedule", "starts_from", {}),
    "schedule until": ("cx_lead", "immersion:schedule", "starts_until", {}),
    "actions due from": ("cx_lead", "insights:action-list", "due_after", {}),
    "actions due by": ("cx_lead", "insights:action-list", "due_before", {}),
    "actions raised from": ("cx_lead", "insights:action-list", "created_after", {}),
    "actions raised by": ("cx_lead", "insights:action-list", "created_before", {}),
    "journal from": ("cx_lead", "journal:list", "since", {}),
    "journal until": ("cx_lead", "journal:list", "until", {}),
    "dashboard from": ("executive", "insights:dashboard", "start", {"period": "custom"}),
    "dashboard to": ("executive", "insights:dashboard", "end", {"period": "custom"}),
}


@pytest.mark.parametrize(
    ("who", "url", "param", "others", "value"),
    [
        pytest.param(who, url, param, others, value, id=f"{name}={value}")
        for name, (who, url, param, others) in FILTERS.items()
        for value in [*BAD_DATES, "9999-12-31T23:59"]
    ],
)
def test_a_list_filter_says_the_date_is_wrong_without_failing(
    client_as, cast, world, who, url, param, others, value
):
    today = timezone.localdate().isoformat()
    query = {"start": today, "end": today} if url == "insights:dashboard" else {}
    query.update(others)
    query[param] = value

    response = client_as(cast[who]).get(reverse(url), query)

    assert response.status_code in (200, 400)
    shown = response.context.get("filter") or response.context["form"]
    errors = shown.errors if hasattr(shown, "errors") else shown.form.errors
    assert errors[param]


@pytest.mark.parametrize("export", ["insights:export-actions", "insights:export-observations"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "soon"])
def test_an_export_never_fails_on_a_date(client_as, cx_lead, world, export, value):
    params = {"due_after": value, "created_before": value, "since": value, "until": value}

    response = client_as(cx_lead).get(reverse(export), params)

    assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "soon"])
def test_the_action_export_refuses_a_bad_date_instead_of_ignoring_it(
    client_as, cx_lead, world, value
):
    response = client_as(cx_lead).get(reverse("insights:export-actions"), {"due_after": value})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Nothing was exported" in response.content.decode()


def test_the_year_9999_dashboard_period_of_the_report_is_refused(client_as, executive):
    response = client_as(executive).get(
        reverse("insights:dashboard"),
        {"period": "custom", "start": "9999-12-31", "end": "9999-12-31"},
    )

    assert response.status_code == 400
    assert "2100" in response.context["form"].errors["end"][0]


@pytest.mark.parametrize("repeat", ["weekly", "monthly"])
def test_a_series_running_past_2100_is_refused_whole(client_as, manager, world, store_a, repeat):
    data = session_data(
        world,
        store_a,
        planned_start="2100-10-04T10:00",
        planned_end="2100-10-04T11:00",
        repeat=repeat,
        times=52,
    )
    before = ImmersionSession.objects.count()

    response = client_as(manager).post(reverse("immersion:session-create"), data)

    assert response.status_code == 400
    assert "2100" in response.context["form"].errors["times"][0]
    assert ImmersionSession.objects.count() == before


def test_the_date_pickers_offer_only_the_allowed_range(client_as, cx_lead):
    client = client_as(cx_lead)
    dates = client.get(reverse("immersion:programme-create")).content.decode()
    times = client.get(reverse("immersion:session-create")).content.decode()

    assert 'min="2000-01-01"' in dates
    assert 'max="2100-12-31"' in dates
    assert 'min="2000-01-01T00:00"' in times
    assert 'max="2100-12-31T23:59"' in times
