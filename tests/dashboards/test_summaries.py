"""The dashboard's observation summary stays equal to the observations: each change marks
its team's day, the refresh after the commit (or the sweep, or the next page) computes it
again, the repair rebuilds everything and the check finds what drifted."""

import datetime as dt
import io
import random
import statistics
from unittest import mock

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from kombu.exceptions import OperationalError

from immersion.models import ImmersionSession, Touchpoint
from insights import dashboard_times, revisits, summaries, tasks
from insights.dashboard import action_groups, median_days_to_action, observation_groups
from insights.dashboard_filters import DashboardFilterForm, week_of
from insights.dashboard_headline import completed_sessions, on_time, overdue, previous
from insights.models import (
    Action,
    ActionDay,
    ActionTimeDay,
    ObservationDay,
    ObservationWaitDay,
    ReVisit,
    RevisitDay,
    SessionDay,
    StaleSummaryDay,
)
from insights.models.revisits import answer_revisit
from insights.revisits import State as RevisitState
from insights.revisits import in_period, state_q
from insights.themes import set_observation_themes
from journal.models import Emotion, Observation
from tests import factories
from tests.dashboards.conftest import NOW, at, completed_session, observation

pytestmark = pytest.mark.django_db

State = Observation.TriageState


@pytest.fixture
def walk(store_a, manager):
    return factories.SessionFactory(team=store_a, lead=manager)


def summary() -> dict:
    """The rows without a theme, by (day, team, touchpoint, feeling)."""
    return {
        (row.day, row.team_id, row.touchpoint, row.emotion): (row.count, row.triaged)
        for row in ObservationDay.objects.filter(theme__isnull=True)
    }


def committed(django_capture_on_commit_callbacks, change):
    """Make the change and run what its commit queues, as a request does."""
    with django_capture_on_commit_callbacks(execute=True):
        return change()


def test_a_new_observation_is_counted_once_its_change_commits(
    django_capture_on_commit_callbacks, walk
):
    made = committed(
        django_capture_on_commit_callbacks,
        lambda: factories.ObservationFactory(
            session=walk, touchpoint=Touchpoint.PHONE, emotion=Emotion.ANXIOUS
        ),
    )

    day = made.created_at.date()
    assert summary() == {(day, walk.team_id, "phone", "anxious"): (1, 0)}
    assert not StaleSummaryDay.objects.exists()


def test_triage_moves_it_to_triaged(django_capture_on_commit_callbacks, walk):
    made = committed(
        django_capture_on_commit_callbacks, lambda: factories.ObservationFactory(session=walk)
    )
    made.triage_state, made.triage_note = State.NO_ACTION, "Nothing to change."
    committed(django_capture_on_commit_callbacks, made.save)

    assert list(summary().values()) == [(1, 1)]
    assert ObservationDay.objects.get(theme__isnull=True).oldest_untriaged is None


def test_themes_count_it_once_more_under_each(django_capture_on_commit_callbacks, walk):
    signage, queues = factories.ThemeFactory(name="Signage"), factories.ThemeFactory(name="Queues")
    made = committed(
        django_capture_on_commit_callbacks, lambda: factories.ObservationFactory(session=walk)
    )

    committed(django_capture_on_commit_callbacks, lambda: set_observation_themes(made, [signage]))
    committed(django_capture_on_commit_callbacks, lambda: made.themes.add(queues))
    committed(django_capture_on_commit_callbacks, lambda: made.themes.remove(signage))

    themed = ObservationDay.objects.filter(theme__isnull=False)
    assert list(themed.values_list("theme__name", "count")) == [("Queues", 1)]
    assert list(summary().values()) == [(1, 0)]


def test_a_deleted_observation_leaves_the_summary(django_capture_on_commit_callbacks, walk):
    made = committed(
        django_capture_on_commit_callbacks, lambda: factories.ObservationFactory(session=walk)
    )

    committed(django_capture_on_commit_callbacks, lambda: made.delete_by(walk.lead))

    assert not ObservationDay.objects.exists()


def test_the_first_action_about_it_counts_the_whole_days_it_waited(
    django_capture_on_commit_callbacks, walk, cx_lead, owner
):
    made = committed(
        django_capture_on_commit_callbacks, lambda: factories.ObservationFactory(session=walk)
    )
    for days_later in (3.5, 5):
        with time_machine.travel(made.created_at + dt.timedelta(days=days_later), tick=False):
            committed(
                django_capture_on_commit_callbacks,
                lambda: Action.create(
                    by=cx_lead,
                    observations=[made],
                    title="Open the locked door",
                    owner=owner,
                    team=walk.team,
                    due_on=made.created_at.date() + dt.timedelta(days=9),
                ),
            )

    waits = ObservationWaitDay.objects.filter(theme__isnull=True)
    assert list(waits.values_list("wait_days", "count")) == [(3, 1)]


def lived_action(django_capture_on_commit_callbacks, walk, cx_lead, owner, raised, seen=()):
    """An action raised at `raised` about `seen`, started 1.5 days later, done at 3.2 and
    verified at 4."""
    steps = [
        (
            0,
            lambda: Action.create(
                by=cx_lead,
                title="Mend the ramp",
                owner=owner,
                team=walk.team,
                due_on=raised.date(),
                observations=seen,
            ),
        ),
    ]
    with time_machine.travel(raised, tick=False):
        made = committed(django_capture_on_commit_callbacks, steps[0][1])
    for days_later, change in (
        (1.5, lambda: made.start(by=owner)),
        (3.2, lambda: made.complete(by=owner, note="Fixed the hinge and tested it.")),
        (4, lambda: made.verify(by=cx_lead)),
    ):
        with time_machine.travel(raised + dt.timedelta(days=days_later), tick=False):
            committed(django_capture_on_commit_callbacks, change)
            made.refresh_from_db()
    return made


def test_an_actions_steps_are_counted_in_whole_days_from_being_raised(
    django_capture_on_commit_callbacks, walk, cx_lead, owner
):
    lived_action(django_capture_on_commit_callbacks, walk, cx_lead, owner, at(5, 11))

    times = ActionTimeDay.objects.filter(theme__isnull=True, day=dt.date(2026, 5, 11))
    assert set(times.values_list("team_id", "step", "days", "count")) == {
        (walk.team_id, "raised", 0, 1),
        (walk.team_id, "started", 1, 1),
        (walk.team_id, "done", 3, 1),
        (walk.team_id, "verified", 4, 1),
    }


def test_an_action_done_after_its_due_date_keeps_the_day_it_was_done(
    django_capture_on_commit_callbacks, walk, cx_lead, owner
):
    # Due on the day it was raised, 11 May; done at 3.2 days, on 14 May; verified on 15 May.
    lived_action(django_capture_on_commit_callbacks, walk, cx_lead, owner, at(5, 11))

    rows = ActionDay.objects.filter(theme__isnull=True)
    assert list(rows.values_list("day", "status", "due_on", "late_done_on", "count")) == [
        (dt.date(2026, 5, 11), "verified", dt.date(2026, 5, 11), dt.date(2026, 5, 14), 1)
    ]


def test_an_action_done_by_its_due_date_has_no_late_day(
    django_capture_on_commit_callbacks, walk, cx_lead, owner
):
    made = lived_action(django_capture_on_commit_callbacks, walk, cx_lead, owner, at(5, 11))
    made.due_on = dt.date(2026, 5, 14)

    committed(django_capture_on_commit_callbacks, lambda: made.save(update_fields=["due_on"]))

    assert list(ActionDay.objects.values_list("due_on", "late_done_on")) == [
        (dt.date(2026, 5, 14), None)
    ]


def revisited_action(django_capture_on_commit_callbacks, walk, cx_lead, owner):
    """Seen on 8 May, acted on from 11 May, verified on 15 May: its re-visit waits."""
    seen = committed(django_capture_on_commit_callbacks, lambda: observation(walk, at(5, 8)))
    return lived_action(django_capture_on_commit_callbacks, walk, cx_lead, owner, at(5, 11), [seen])


def revisit_summary() -> list[tuple]:
    fields = ("day", "theme_id", "has_answer", "feels_better", "waiting_due_on", "count")
    return list(RevisitDay.objects.values_list(*fields))


def test_a_verified_actions_re_visit_is_counted_on_the_day_it_was_verified(
    django_capture_on_commit_callbacks, walk, cx_lead, owner, now
):
    made = revisited_action(django_capture_on_commit_callbacks, walk, cx_lead, owner)
    due_on = made.revisits.get().due_on

    assert revisit_summary() == [(dt.date(2026, 5, 15), None, False, None, due_on, 1)]


def test_an_answered_re_visit_stops_waiting_and_an_answer_deleted_starts_it_again(
    django_capture_on_commit_callbacks, walk, cx_lead, owner, now
):
    made = revisited_action(django_capture_on_commit_callbacks, walk, cx_lead, owner)
    waiting = made.revisits.get()
    with django_capture_on_commit_callbacks(execute=True):
        answer = observation(walk, at(5, 20), emotion=Emotion.DELIGHTED)
        answer_revisit(waiting.pk, answer)
    assert revisit_summary() == [(dt.date(2026, 5, 15), None, True, True, None, 1)]

    committed(django_capture_on_commit_callbacks, answer.delete)

    assert revisit_summary() == [(dt.date(2026, 5, 15), None, False, None, waiting.due_on, 1)]


def test_a_theme_given_to_the_action_files_its_re_visit_under_it(
    django_capture_on_commit_callbacks, walk, cx_lead, owner, now
):
    made = revisited_action(django_capture_on_commit_callbacks, walk, cx_lead, owner)
    signage = factories.ThemeFactory(name="Signage")

    committed(django_capture_on_commit_callbacks, lambda: signage.actions.add(made))

    assert {row[1] for row in revisit_summary()} == {signage.pk, None}
    assert list(RevisitDay.objects.values_list("themed", flat=True)) == [True, True]


def test_a_reopened_action_no_longer_waits_for_its_re_visit(
    django_capture_on_commit_callbacks, walk, cx_lead, owner, now
):
    made = revisited_action(django_capture_on_commit_callbacks, walk, cx_lead, owner)

    committed(django_capture_on_commit_callbacks, lambda: made.reopen(by=cx_lead, reason="Broke."))

    assert revisit_summary() == []


def sessions_summary() -> list[tuple]:
    return list(SessionDay.objects.order_by("day").values_list("day", "team_id", "count"))


def completed_walk(django_capture_on_commit_callbacks, walk, manager):
    with time_machine.travel(walk.planned_start, tick=False):
        committed(django_capture_on_commit_callbacks, lambda: walk.start(by=manager))
        committed(
            django_capture_on_commit_callbacks,
            lambda: walk.complete(
                by=manager,
                surprised_by="The queue.",
                customer_feeling="Ignored.",
                would_change="A till.",
            ),
        )
    return walk


def test_a_completed_session_counts_on_the_day_it_was_planned(
    django_capture_on_commit_callbacks, walk, manager
):
    assert sessions_summary() == []

    completed_walk(django_capture_on_commit_callbacks, walk, manager)

    assert sessions_summary() == [(timezone.localdate(walk.planned_start), walk.team_id, 1)]


def test_a_completed_session_moved_to_another_day_and_team_moves_along(
    django_capture_on_commit_callbacks, walk, manager, store_b
):
    completed_walk(django_capture_on_commit_callbacks, walk, manager)
    walk.planned_start -= dt.timedelta(days=3)
    walk.team = store_b

    committed(django_capture_on_commit_callbacks, walk.save)

    assert sessions_summary() == [(timezone.localdate(walk.planned_start), store_b.pk, 1)]


def test_a_deleted_session_leaves_the_sessions_summary(
    django_capture_on_commit_callbacks, walk, manager
):
    completed_walk(django_capture_on_commit_callbacks, walk, manager)

    committed(django_capture_on_commit_callbacks, walk.delete)

    assert sessions_summary() == []


def test_a_cancelled_session_is_not_counted(django_capture_on_commit_callbacks, walk, manager):
    committed(django_capture_on_commit_callbacks, lambda: walk.cancel(manager, "Store closed."))

    assert sessions_summary() == []


def test_an_action_moved_to_another_team_takes_its_times_along(
    django_capture_on_commit_callbacks, walk, cx_lead, owner, store_b
):
    made = lived_action(django_capture_on_commit_callbacks, walk, cx_lead, owner, at(5, 11))

    committed(
        django_capture_on_commit_callbacks,
        lambda: made.edit(by=cx_lead, team=store_b),
    )

    assert set(ActionTimeDay.objects.values_list("team_id", flat=True)) == {store_b.pk}


def test_a_session_moved_to_another_team_takes_its_observations_along(
    django_capture_on_commit_callbacks, walk, store_b
):
    committed(
        django_capture_on_commit_callbacks, lambda: factories.ObservationFactory(session=walk)
    )
    walk.team = store_b

    committed(django_capture_on_commit_callbacks, walk.save)

    assert [team for _, team, _, _ in summary()] == [store_b.pk]


def test_a_save_that_cannot_move_the_session_reads_nothing_more(walk, django_assert_num_queries):
    walk.place = "Car park"
    walk.planned_end += dt.timedelta(minutes=1)
    with django_assert_num_queries(1):
        walk.save(update_fields=["place", "planned_end"])


def test_marks_left_by_a_broker_that_is_down_are_worked_off_by_the_sweep(
    django_capture_on_commit_callbacks, walk
):
    with mock.patch.object(
        tasks.refresh_summaries, "apply_async", side_effect=OperationalError("down")
    ):
        committed(
            django_capture_on_commit_callbacks, lambda: factories.ObservationFactory(session=walk)
        )
    assert StaleSummaryDay.objects.count() == 1
    assert not ObservationDay.objects.exists()

    tasks.refresh_summaries()

    assert list(summary().values()) == [(1, 0)]
    assert not StaleSummaryDay.objects.exists()


def test_one_refresh_is_queued_per_transaction(django_capture_on_commit_callbacks, walk):
    with (
        mock.patch.object(tasks.refresh_summaries, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        factories.ObservationFactory.create_batch(3, session=walk)

    assert queued.call_count == 1


def test_the_dashboard_catches_up_when_no_refresh_has_run(client_as, executive, walk):
    factories.ObservationFactory(session=walk)  # its commit's refresh never runs here

    response = client_as(executive).get("/insights/dashboard/")

    assert response.context["headline"]["observations"] == 1
    assert not StaleSummaryDay.objects.exists()


def test_a_bulk_update_marks_the_days_it_changes(django_capture_on_commit_callbacks, walk):
    made = committed(
        django_capture_on_commit_callbacks, lambda: factories.ObservationFactory(session=walk)
    )
    changed = Observation.objects.filter(pk=made.pk)

    def triage_in_bulk():
        changed.update(triage_state=State.NO_ACTION, triage_note="Nothing to change.")
        summaries.mark_observations(changed)

    committed(django_capture_on_commit_callbacks, triage_in_bulk)

    assert list(summary().values()) == [(1, 1)]


@pytest.fixture
def varied(now, cast, store_a, store_b):
    """Observations over six weeks, two teams, types, personas, programmes and themes."""
    rng = random.Random(7)
    types = [factories.SessionTypeFactory(name=n) for n in ("Floor walk", "Phone call")]
    personas = [factories.PersonaFactory(name=n) for n in ("Wheelchair user", "New parent")]
    programme = factories.ProgrammeFactory(name="Spring", owner=cast["executive"])
    themes = [factories.ThemeFactory(name=n) for n in ("Signage", "Queues", "Staff")]
    for n in range(60):
        day = at(5, 4) + dt.timedelta(days=rng.randrange(42), hours=rng.randrange(-9, 12))
        filed = {
            "team": rng.choice([store_a, store_b]),
            "lead": cast["manager"],
            "session_type": rng.choice(types),
            "persona": rng.choice([None, *personas]),
            "programme": rng.choice([None, programme]),
        }
        if rng.random() < 0.5:
            session = completed_session(start=day - dt.timedelta(hours=1), **filed)
        else:
            session = factories.SessionFactory(**filed)
        made = observation(
            session,
            day,
            touchpoint=rng.choice(Touchpoint.values[:4]),
            emotion=rng.choice(Emotion.values),
            intensity=rng.randint(1, 5),
            **rng.choice(
                [
                    {"triage_state": State.UNTRIAGED},
                    {"triage_state": State.NO_ACTION, "triage_note": "Nothing to change."},
                ]
            ),
        )
        made.themes.set(rng.sample(themes, rng.randrange(3)))
        for _ in range(rng.choice([0, 0, 1, 2])):
            raised = day + dt.timedelta(days=rng.randrange(9), hours=rng.randrange(20))
            with time_machine.travel(min(raised, NOW), tick=False):
                raised_action = factories.ActionFactory(team=session.team, observations=[made])
                raised_action.themes.set(rng.sample(themes, rng.randrange(3)))
                raised_action.due_on = raised.date() + dt.timedelta(days=rng.randrange(-2, 20))
                raised_action.save(update_fields=["due_on"])
            if rng.random() < 0.6:
                started = min(raised + dt.timedelta(hours=rng.randrange(1, 200)), NOW)
                with time_machine.travel(started, tick=False):
                    raised_action.start(by=raised_action.owner)
                end_as(rng, raised_action, started, cast["cx_lead"])
        if n % 10 == 0:
            made.delete()
    for waiting in ReVisit.objects.order_by("pk")[::2]:
        answer_later(rng, waiting)
    summaries.refresh_stale()
    return {"types": types, "personas": personas, "programme": programme, "themes": themes}


def answer_later(rng, waiting):
    """Answered a few days after the verification, better or worse than before."""
    answered_at = min(waiting.verified_at + dt.timedelta(days=rng.randrange(1, 9)), NOW)
    source = waiting.before
    answer = observation(
        source.session,
        answered_at,
        touchpoint=source.touchpoint,
        emotion=rng.choice(Emotion.values),
    )
    with time_machine.travel(answered_at, tick=False):
        answer_revisit(waiting.pk, answer)


def end_as(rng, started_action, started, cx_lead):
    """Left in progress, or done on time or late, verified and perhaps published, or
    dropped: each as its own transitions leave it."""
    ending = rng.choice(["in progress", "done", "verified", "published", "dropped"])
    moment = min(started + dt.timedelta(hours=rng.randrange(1, 600)), NOW)
    with time_machine.travel(moment, tick=False):
        if ending == "dropped":
            started_action.drop(by=cx_lead, reason="Fixed company-wide.")
        elif ending != "in progress":
            started_action.complete(by=started_action.owner, note="New signs up.")
    if ending in ("verified", "published"):
        with time_machine.travel(min(moment + dt.timedelta(days=1), NOW), tick=False):
            started_action.verify(by=cx_lead)
    if ending == "published":
        started_action.you_said, started_action.we_did = "Signs too small.", "Bigger signs."
        started_action.is_published = True
        started_action.save(update_fields=["you_said", "we_did", "is_published"])


def filtered_observations(filters):
    """The observations the dashboard's filters select, read straight from their table."""
    observations = Observation.objects.filter(
        filters.session_q("session__"),
        created_at__gte=filters.since,
        created_at__lt=filters.until,
    )
    return observations.filter(themes=filters.theme) if filters.theme else observations


def observations_grouped(filters) -> list[dict]:
    """The figures straight from the observations, as the dashboard read them before."""
    untriaged = Q(triage_state=State.UNTRIAGED)
    return list(
        filtered_observations(filters)
        .order_by()
        .values("touchpoint", "emotion")
        .annotate(
            count=Count("pk"),
            intensity=Sum("intensity"),
            triaged=Count("pk", filter=~untriaged),
            oldest_untriaged=Min("created_at", filter=untriaged),
        )
    )


def key(rows):
    return sorted(rows, key=lambda row: (row["touchpoint"], row["emotion"]))


@pytest.mark.parametrize(
    "choose",
    [
        lambda v, teams: {},
        lambda v, teams: {"team": teams[0].pk},
        lambda v, teams: {"session_type": v["types"][1].pk},
        lambda v, teams: {"persona": v["personas"][0].pk},
        lambda v, teams: {"programme": v["programme"].pk},
        lambda v, teams: {"theme": v["themes"][2].pk},
        lambda v, teams: {"start": "2026-05-10", "end": "2026-05-24"},
        lambda v, teams: {"team": teams[1].pk, "theme": v["themes"][0].pk},
    ],
    ids=["whole", "team", "type", "persona", "programme", "theme", "days", "team-theme"],
)
def test_every_filter_gives_the_figures_of_the_observations(varied, cast, store_a, store_b, choose):
    data = {"period": "custom", "start": "2026-05-04", "end": "2026-06-14"}
    data.update(choose(varied, [store_a, store_b]))
    form = DashboardFilterForm(data, user=cast["executive"], today=NOW.date())
    assert form.is_valid(), form.errors
    filters = form.filters()

    assert key(observation_groups(filters)) == key(observations_grouped(filters))
    assert observations_grouped(filters)
    waits = whole_days_to_action(filters)
    assert median_days_to_action(filters) == (statistics.median(waits) if waits else None)
    for by_theme in (False, True):
        assert dashboard_times.action_times(filters, by_theme=by_theme) == (
            dashboard_times._counted_from_actions(filters, by_theme)
        )
    groups = by_week(action_groups(filters))
    assert groups == by_week(action_groups(filters, from_actions=True))
    assert groups
    assert completed_sessions(filters) == sessions_completed_in(filters)
    by_team = revisits_by("team_id", filters)
    assert revisit_rows(revisits.figures(filters)["rows"]) == by_team
    assert by_team
    assert revisit_rows(revisits.theme_figures(filters)) == revisits_by("action__themes", filters)
    before = previous(filters)
    assert on_time(filters, before) == on_time(filters, before, from_actions=True)
    for day in (before.end, dt.date(2026, 5, 20), filters.end):
        assert overdue(filters, day) == overdue(filters, day, from_actions=True)


def by_week(groups) -> list[tuple]:
    """Action groups whatever type their week came in (a day from the summary, a moment
    from the actions)."""
    return sorted(
        (
            week_of(group["week"]),
            *(
                group[name]
                for name in ("team_id", "status", "count", "due", "overdue", "published")
            ),
        )
        for group in groups
    )


def revisit_rows(rows) -> set[tuple]:
    return {
        (
            row.theme.pk if getattr(row, "theme", None) else None,
            row.answered,
            row.improved,
            row.overdue,
        )
        for row in rows
    }


def revisits_by(name: str, filters) -> set[tuple]:
    """The re-visit figures straight from the re-visits, by team or by theme, as the
    dashboard read them before (teams: each one compared, as the fixture has no others)."""
    today = filters.today
    counted = (
        in_period(ReVisit.objects.filter(team_id__in=filters.team_ids), filters.start, filters.end)
        .values(name)
        .annotate(
            answered=Count("pk", filter=state_q(RevisitState.ANSWERED, today)),
            improved=Count("pk", filter=state_q(RevisitState.IMPROVED, today)),
            overdue=Count("pk", filter=state_q(RevisitState.OVERDUE, today)),
        )
        .order_by()
    )
    return {
        (None if name == "team_id" else row[name], row["answered"], row["improved"], row["overdue"])
        for row in counted
        if row["answered"] or row["overdue"]
    }


def sessions_completed_in(filters) -> int:
    return ImmersionSession.objects.filter(
        filters.session_q(),
        status=ImmersionSession.Status.COMPLETED,
        planned_start__gte=filters.since,
        planned_start__lt=filters.until,
    ).count()


def whole_days_to_action(filters) -> list[int]:
    firsts = filtered_observations(filters).annotate(first=Min("actions__created_at"))
    return [
        (observation.first - observation.created_at).days
        for observation in firsts.filter(first__isnull=False)
    ]


def test_the_repair_writes_the_rows_the_marks_wrote(varied):
    kept = [summary.rows(Q()) for summary in summaries.SUMMARIES]

    written = summaries.rebuild()

    assert [summary.rows(Q()) for summary in summaries.SUMMARIES] == kept
    assert written == sum(len(rows) for rows in kept)
    assert all(kept)


def test_the_check_finds_a_day_changed_behind_the_models_back(varied, store_a):
    row = ObservationDay.objects.filter(team=store_a).order_by("day").first()
    ObservationDay.objects.filter(pk=row.pk).update(count=row.count + 1)

    assert summaries.drift() == [(row.day, store_a.pk)]


def test_a_day_waiting_for_its_refresh_is_not_drift(varied, walk):
    factories.ObservationFactory(session=walk)  # marked, its refresh not yet run

    assert summaries.drift() == []


def test_the_command_reports_drift_and_the_repair_clears_it(varied, store_a):
    row = ObservationDay.objects.filter(team=store_a).order_by("day").first()
    ObservationDay.objects.filter(pk=row.pk).delete()
    out = io.StringIO()

    with pytest.raises(CommandError, match=f"{row.day.isoformat()} team {store_a.pk}"):
        call_command("dashboard_summaries", "--check", stdout=out)

    call_command("dashboard_summaries", "--rebuild", stdout=out)
    call_command("dashboard_summaries", "--check", stdout=out)
    assert "no drift" in out.getvalue()


def test_the_nightly_check_repairs_the_recent_days_it_finds_drifted(varied, store_a):
    with time_machine.travel(NOW, tick=False):
        row = ObservationDay.objects.filter(team=store_a).order_by("-day").first()
        ObservationDay.objects.filter(pk=row.pk).update(count=0)

        assert tasks.check_summaries() == 1

    assert summaries.drift() == []
