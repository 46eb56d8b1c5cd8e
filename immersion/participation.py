"""How each programme participant is doing against the cadence target.

Five queries whatever the size of the programme: its participant teams, the participants,
their teams, the session counts per lead, and the counts per companion. Sessions count for
a participant when they lead or join them, start within the programme's period and, if the
programme names session types, are of one of those types.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from immersion.models import ImmersionSession, Programme, Role, Team, User

Status = ImmersionSession.Status


@dataclass
class Tally:
    completed: int = 0
    planned: int = 0
    missed: int = 0
    cancelled: int = 0

    def add(self, other: "Tally") -> None:
        self.completed += other.completed
        self.planned += other.planned
        self.missed += other.missed
        self.cancelled += other.cancelled


@dataclass
class ParticipantRow:
    user: User
    tally: Tally
    expected_by_now: int
    target: int

    @property
    def state(self) -> str:
        if self.tally.completed >= self.target:
            return "met"
        enough_planned = self.tally.completed + self.tally.planned >= self.target
        if self.tally.completed >= self.expected_by_now and enough_planned:
            return "on_track"
        return "behind"

    @property
    def state_label(self) -> str:
        labels = {
            "met": _("Target met"),
            "on_track": _("On track"),
            "behind": pgettext("participation", "Behind"),
        }
        return labels[self.state]


@dataclass
class TeamRow:
    team: Team
    tally: Tally = field(default_factory=Tally)
    people: int = 0
    behind: int = 0

    @property
    def on_track(self) -> int:
        return self.people - self.behind


def expected_by_now(programme: Programme, target: int, today) -> int:
    """Completed sessions a participant should have by today, pro rata over the period."""
    if today < programme.starts_on:
        return 0
    if today >= programme.ends_on:
        return target
    days = (programme.ends_on - programme.starts_on).days + 1
    elapsed = (today - programme.starts_on).days
    return target * elapsed // days


def participants(programme: Programme):
    """Direct participants, and every manager in a participant team or one of its sub-teams."""
    team_ids = Team.objects.subtree_of(programme.participant_teams.all()).values("pk")
    members = User.objects.with_role(Role.MANAGER).in_teams(team_ids)
    return User.objects.filter(
        Q(pk__in=programme.participants.values("pk")) | Q(pk__in=members.values("pk"))
    )


def _period_sessions(programme: Programme, type_ids: list[int]):
    tz = timezone.get_current_timezone()
    start = datetime.combine(programme.starts_on, time.min, tzinfo=tz)
    end = datetime.combine(programme.ends_on, time.max, tzinfo=tz)
    sessions = ImmersionSession.objects.filter(planned_start__range=(start, end))
    if type_ids:
        sessions = sessions.filter(session_type_id__in=type_ids)
    return sessions


def _counts(rows, key: str) -> dict[int, Tally]:
    return {
        row[key]: Tally(
            completed=row["completed"],
            planned=row["planned"],
            missed=row["missed"],
            cancelled=row["cancelled"],
        )
        for row in rows
    }


COUNT_COLUMNS = {
    "completed": Count("pk", filter=Q(status=Status.COMPLETED)),
    "planned": Count("pk", filter=Q(status__in=[Status.PLANNED, Status.IN_PROGRESS])),
    "missed": Count("pk", filter=Q(status=Status.MISSED)),
    "cancelled": Count("pk", filter=Q(status=Status.CANCELLED)),
}


def participation(programme: Programme, type_ids: list[int], today=None, within=None):
    """(rows per participant, rows per team), ordered by name.

    `within`, a set of team ids, keeps only the participants who belong to one of those
    teams and shows only those teams: a viewer sees the part of the programme they reach.
    """
    today = today or timezone.localdate()
    people = participants(programme)
    teams = Team.objects.order_by("name")
    if within is not None:
        people = people.in_teams(within)
        teams = teams.filter(pk__in=within)
    people = list(people.prefetch_related(Prefetch("teams", queryset=teams)))
    sessions = _period_sessions(programme, type_ids)
    person_ids = [person.pk for person in people]
    as_lead = _counts(
        sessions.filter(lead_id__in=person_ids)
        .values("lead_id")
        .order_by()
        .annotate(**COUNT_COLUMNS),
        "lead_id",
    )
    companion_rows = (
        sessions.filter(companions__in=person_ids)
        .values("companions")
        .order_by()
        .annotate(**COUNT_COLUMNS)
    )
    as_companion = _counts(companion_rows, "companions")
    expected = expected_by_now(programme, programme.target_sessions, today)
    rows = []
    for person in people:
        tally = Tally()
        tally.add(as_lead.get(person.pk, Tally()))
        tally.add(as_companion.get(person.pk, Tally()))
        rows.append(ParticipantRow(person, tally, expected, programme.target_sessions))
    teams: dict[int, TeamRow] = {}
    for row in rows:
        for team in row.user.teams.all():
            team_row = teams.setdefault(team.pk, TeamRow(team))
            team_row.people += 1
            team_row.behind += row.state == "behind"
            team_row.tally.add(row.tally)
    return rows, sorted(teams.values(), key=lambda t: t.team.name)


def own_progress(user, today=None) -> list[tuple[Programme, ParticipantRow]]:
    """The user's standing in each programme running today that they take part in.

    Four queries however many programmes: the user's teams, the programmes with their
    target types, and the user's sessions across all those periods, counted here.
    """
    today = today or timezone.localdate()
    programmes = list(
        Programme.objects.visible_to(user)
        .filter(starts_on__lte=today, ends_on__gte=today)
        .prefetch_related("target_types")
    )
    if not programmes:
        return []
    tz = timezone.get_current_timezone()
    first = datetime.combine(min(p.starts_on for p in programmes), time.min, tzinfo=tz)
    last = datetime.combine(max(p.ends_on for p in programmes), time.max, tzinfo=tz)
    sessions = list(
        ImmersionSession.objects.for_participant(user)
        .filter(planned_start__range=(first, last))
        .values_list("planned_start", "session_type_id", "status")
    )
    progress = []
    for programme in programmes:
        type_ids = {t.pk for t in programme.target_types.all()}
        tally = Tally()
        for start, type_id, status in sessions:
            if not programme.covers(timezone.localdate(start)):
                continue
            if type_ids and type_id not in type_ids:
                continue
            if status == Status.COMPLETED:
                tally.completed += 1
            elif status in (Status.PLANNED, Status.IN_PROGRESS):
                tally.planned += 1
            elif status == Status.MISSED:
                tally.missed += 1
            else:
                tally.cancelled += 1
        expected = expected_by_now(programme, programme.target_sessions, today)
        progress.append(
            (programme, ParticipantRow(user, tally, expected, programme.target_sessions))
        )
    return progress
