"""Planning single sessions and series: every refusal on its field, and all or nothing."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from immersion.models import ImmersionSession, SessionEvent
from immersion.scheduling import MAX_SERIES, Repeat, occurrences
from tests import factories

pytestmark = pytest.mark.django_db

CREATE = reverse("immersion:session-create")


@pytest.fixture
def floor_walk():
    return factories.SessionTypeFactory(name="Floor walk", default_duration=dt.timedelta(hours=1))


def local(*args):
    return timezone.make_aware(dt.datetime(*args))  # noqa: DTZ001 - made aware right here


def form_data(session_type, team, **overrides):
    start = timezone.localtime() + dt.timedelta(days=2)
    data = {
        "session_type": session_type.pk,
        "team": team.pk,
        "place": "Front door",
        "planned_start": start.strftime("%Y-%m-%dT10:00"),
        "planned_end": start.strftime("%Y-%m-%dT11:00"),
        "brief": "Watch the queue.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_weekly_series_keeps_the_local_time_across_a_clock_change(settings):
    settings.TIME_ZONE = "Europe/London"
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        slots = occurrences(
            local(2026, 10, 20, 10), local(2026, 10, 20, 11), Repeat.WEEKLY, times=3
        )

        assert [timezone.localtime(s.start).hour for s in slots] == [10, 10, 10]
    assert [s.end - s.start for s in slots] == [dt.timedelta(hours=1)] * 3


def test_monthly_series_until_a_date_includes_that_day():
    slots = occurrences(
        local(2026, 1, 15, 9), local(2026, 1, 15, 10), Repeat.MONTHLY, until=dt.date(2026, 4, 15)
    )

    assert [timezone.localtime(s.start).date().month for s in slots] == [1, 2, 3, 4]


def test_monthly_series_from_the_31st_uses_the_last_day_of_short_months():
    slots = occurrences(local(2026, 1, 31, 9), local(2026, 1, 31, 10), Repeat.MONTHLY, times=3)

    assert [timezone.localtime(s.start).day for s in slots] == [31, 28, 31]


def test_occurrences_stop_just_past_the_limit():
    slots = occurrences(
        local(2026, 1, 1, 9), local(2026, 1, 1, 10), Repeat.WEEKLY, until=dt.date(2030, 1, 1)
    )

    assert len(slots) == MAX_SERIES + 1


def test_cx_lead_schedules_a_weekly_series_for_a_manager(
    client_as, cx_lead, manager, store_a, floor_walk
):
    data = form_data(floor_walk, store_a, lead=manager.pk, repeat="weekly", times=4)

    response = client_as(cx_lead).post(CREATE, data)

    assert response.status_code == 302
    sessions = list(ImmersionSession.objects.order_by("planned_start"))
    assert len(sessions) == 4
    assert len({s.series for s in sessions}) == 1
    assert sessions[1].planned_start - sessions[0].planned_start == dt.timedelta(days=7)
    assert {s.lead for s in sessions} == {manager}
    assert SessionEvent.objects.filter(to_status="planned").count() == 4


def test_manager_schedules_for_themselves_only(
    client_as, manager, other_manager, store_a, floor_walk
):
    data = form_data(floor_walk, store_a, lead=other_manager.pk)

    response = client_as(manager).post(CREATE, data)

    assert response.status_code == 302
    assert ImmersionSession.objects.get().lead == manager


def test_missing_end_uses_the_types_usual_length(client_as, manager, store_a, floor_walk):
    response = client_as(manager).post(CREATE, form_data(floor_walk, store_a, planned_end=""))

    assert response.status_code == 302
    session = ImmersionSession.objects.get()
    assert session.planned_end - session.planned_start == dt.timedelta(hours=1)


def refused(response, field):
    assert response.status_code == 400
    assert response.context["form"].errors[field], response.context["form"].errors
    assert not ImmersionSession.objects.exists()


def test_end_before_start_is_refused_on_the_end(client_as, manager, store_a, floor_walk):
    data = form_data(floor_walk, store_a)
    data["planned_end"] = data["planned_start"].replace("T10:00", "T09:00")

    refused(client_as(manager).post(CREATE, data), "planned_end")


def test_a_session_longer_than_a_day_is_refused(client_as, manager, store_a, floor_walk):
    start = timezone.localtime() + dt.timedelta(days=2)
    data = form_data(
        floor_walk, store_a, planned_end=(start + dt.timedelta(days=2)).strftime("%Y-%m-%dT11:00")
    )

    refused(client_as(manager).post(CREATE, data), "planned_end")


def test_malformed_start_is_refused(client_as, manager, store_a, floor_walk):
    refused(
        client_as(manager).post(CREATE, form_data(floor_walk, store_a, planned_start="soon")),
        "planned_start",
    )


def test_team_outside_scope_is_refused(client_as, manager, store_b, floor_walk):
    refused(client_as(manager).post(CREATE, form_data(floor_walk, store_b)), "team")


def test_cx_lead_cannot_pick_a_lead_outside_scope(client_as, cx_lead, store_a, floor_walk):
    stranger = factories.ManagerFactory(teams=[factories.RegionFactory()])

    refused(
        client_as(cx_lead).post(CREATE, form_data(floor_walk, store_a, lead=stranger.pk)), "lead"
    )


def test_lead_as_companion_is_refused(client_as, cx_lead, manager, store_a, floor_walk):
    data = form_data(floor_walk, store_a, lead=manager.pk, companions=[manager.pk])

    refused(client_as(cx_lead).post(CREATE, data), "companions")


def test_date_outside_the_programme_is_refused(client_as, manager, store_a, floor_walk, cx_lead):
    programme = factories.ProgrammeFactory(
        owner=cx_lead,
        starts_on=timezone.localdate() + dt.timedelta(days=10),
        ends_on=timezone.localdate() + dt.timedelta(days=40),
    )
    programme.participants.add(manager)

    response = client_as(manager).post(
        CREATE, form_data(floor_walk, store_a, programme=programme.pk)
    )

    refused(response, "planned_start")
    assert "outside the programme" in response.context["form"].errors["planned_start"][0]


def test_series_running_past_the_programme_is_refused_whole(
    client_as, manager, store_a, floor_walk, cx_lead
):
    programme = factories.ProgrammeFactory(
        owner=cx_lead,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=20),
    )
    programme.participants.add(manager)
    data = form_data(floor_walk, store_a, programme=programme.pk, repeat="weekly", times=6)

    refused(client_as(manager).post(CREATE, data), "times")


def test_series_over_the_limit_is_refused(client_as, manager, store_a, floor_walk):
    until = (timezone.localdate() + dt.timedelta(weeks=60)).isoformat()
    data = form_data(floor_walk, store_a, repeat="weekly", until=until)

    refused(client_as(manager).post(CREATE, data), "until")


def test_too_many_times_is_refused(client_as, manager, store_a, floor_walk):
    data = form_data(floor_walk, store_a, repeat="weekly", times=MAX_SERIES + 1)

    refused(client_as(manager).post(CREATE, data), "times")


def test_series_without_a_length_is_refused(client_as, manager, store_a, floor_walk):
    refused(
        client_as(manager).post(CREATE, form_data(floor_walk, store_a, repeat="weekly")), "times"
    )


def test_series_with_both_count_and_date_is_refused(client_as, manager, store_a, floor_walk):
    until = (timezone.localdate() + dt.timedelta(weeks=5)).isoformat()
    data = form_data(floor_walk, store_a, repeat="monthly", times=3, until=until)

    refused(client_as(manager).post(CREATE, data), "until")


def test_count_without_repeat_is_refused(client_as, manager, store_a, floor_walk):
    refused(client_as(manager).post(CREATE, form_data(floor_walk, store_a, times=3)), "repeat")


def test_until_before_the_first_session_is_refused(client_as, manager, store_a, floor_walk):
    data = form_data(floor_walk, store_a, repeat="weekly", until=timezone.localdate().isoformat())

    refused(client_as(manager).post(CREATE, data), "until")


def test_unknown_repeat_is_refused(client_as, manager, store_a, floor_walk):
    refused(
        client_as(manager).post(CREATE, form_data(floor_walk, store_a, repeat="daily")), "repeat"
    )


def test_double_booking_the_lead_is_refused_on_the_lead(
    client_as, cx_lead, manager, store_a, floor_walk
):
    data = form_data(floor_walk, store_a, lead=manager.pk)
    start = timezone.make_aware(dt.datetime.fromisoformat(data["planned_start"]))
    factories.SessionFactory(
        lead=manager,
        team=store_a,
        planned_start=start + dt.timedelta(minutes=30),
        planned_end=start + dt.timedelta(minutes=90),
    )

    response = client_as(cx_lead).post(CREATE, data)

    assert response.status_code == 400
    assert "already has" in response.context["form"].errors["lead"][0]
    assert ImmersionSession.objects.count() == 1


def test_a_clash_late_in_a_series_refuses_the_whole_series(client_as, manager, store_a, floor_walk):
    data = form_data(floor_walk, store_a, repeat="weekly", times=5)
    start = timezone.make_aware(dt.datetime.fromisoformat(data["planned_start"]))
    factories.SessionFactory(
        lead=manager, team=store_a, planned_start=start + dt.timedelta(weeks=3)
    )

    response = client_as(manager).post(CREATE, data)

    assert response.status_code == 400
    assert response.context["form"].errors["planned_start"]
    assert ImmersionSession.objects.count() == 1


def test_double_booking_a_companion_is_refused(client_as, cx_lead, manager, store_a, floor_walk):
    companion = factories.ManagerFactory(teams=[store_a])
    data = form_data(floor_walk, store_a, lead=manager.pk, companions=[companion.pk])
    start = timezone.make_aware(dt.datetime.fromisoformat(data["planned_start"]))
    busy = factories.SessionFactory(team=store_a, planned_start=start)
    busy.companions.add(companion)

    response = client_as(cx_lead).post(CREATE, data)

    assert response.status_code == 400
    assert ImmersionSession.objects.count() == 1


def test_a_cancelled_session_does_not_block_the_slot(client_as, manager, store_a, floor_walk):
    data = form_data(floor_walk, store_a)
    start = timezone.make_aware(dt.datetime.fromisoformat(data["planned_start"]))
    old = factories.SessionFactory(lead=manager, team=store_a, planned_start=start)
    old.cancel(by=manager, reason="Moved.")

    response = client_as(manager).post(CREATE, data)

    assert response.status_code == 302


@pytest.mark.parametrize("who", ["executive", "owner"])
def test_only_managers_and_cx_leads_schedule(client_as, cast, who):
    assert client_as(cast[who]).get(CREATE).status_code == 403


def test_edit_moves_a_session_and_refuses_a_clash(client_as, manager, store_a, floor_walk):
    session = factories.SessionFactory(lead=manager, team=store_a, session_type=floor_walk)
    other = factories.SessionFactory(
        lead=manager, team=store_a, planned_start=session.planned_start + dt.timedelta(days=1)
    )
    edit = reverse("immersion:session-edit", args=[session.pk])
    moved = timezone.localtime(other.planned_start).replace(second=0, microsecond=0)
    data = form_data(
        floor_walk,
        store_a,
        planned_start=moved.strftime("%Y-%m-%dT%H:%M"),
        planned_end=(moved + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )

    response = client_as(manager).post(edit, data)

    assert response.status_code == 400
    assert response.context["form"].errors["planned_start"]
    data["planned_start"] = (moved + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    data["planned_end"] = (moved + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    response = client_as(manager).post(edit, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.planned_start == moved + dt.timedelta(hours=3)
    event = session.events.get()
    assert (event.actor, event.to_status) == (manager, "planned")
    assert event.note.startswith("Moved from ")


def test_edit_without_a_move_writes_no_history(client_as, manager, store_a, floor_walk):
    start = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=3)
    session = factories.SessionFactory(
        lead=manager, team=store_a, session_type=floor_walk, planned_start=start
    )
    data = form_data(
        floor_walk,
        store_a,
        planned_start=start.strftime("%Y-%m-%dT%H:%M"),
        planned_end=(start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        brief="Look at the queue at lunchtime.",
    )

    response = client_as(manager).post(reverse("immersion:session-edit", args=[session.pk]), data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.brief == "Look at the queue at lunchtime."
    assert not session.events.exists()


def test_cx_lead_hands_a_session_to_another_manager(
    client_as, cx_lead, manager, store_a, floor_walk
):
    session = factories.SessionFactory(lead=manager, team=store_a, session_type=floor_walk)
    colleague = factories.ManagerFactory(teams=[store_a])
    start = timezone.localtime(session.planned_start)
    data = form_data(
        floor_walk,
        store_a,
        lead=colleague.pk,
        planned_start=start.strftime("%Y-%m-%dT%H:%M"),
        planned_end=(start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )

    response = client_as(cx_lead).post(reverse("immersion:session-edit", args=[session.pk]), data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.lead == colleague
    assert f"Handed from {manager} to {colleague}." in session.events.get().note


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"planned_end": ""}, "planned_end"),
        ({"planned_start": "tomorrow"}, "planned_start"),
        ({"persona": "999999"}, "persona"),
        ({"place": "x" * 201}, "place"),
    ],
)
def test_edit_form_refuses_bad_input(client_as, manager, store_a, floor_walk, overrides, field):
    session = factories.SessionFactory(lead=manager, team=store_a, session_type=floor_walk)
    before = (session.planned_start, session.planned_end, session.place)

    response = client_as(manager).post(
        reverse("immersion:session-edit", args=[session.pk]),
        form_data(floor_walk, store_a, **overrides),
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    session.refresh_from_db()
    assert (session.planned_start, session.planned_end, session.place) == before
