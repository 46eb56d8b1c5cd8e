"""Planning sessions: one, or a weekly or monthly series, created all together or not at all."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from immersion.models import ImmersionSession, SessionEvent, User

MAX_SERIES = 52


class Repeat:
    NONE = ""
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    CHOICES = [
        (NONE, _("Does not repeat")),
        (WEEKLY, _("Every week")),
        (MONTHLY, _("Every month")),
    ]
    STEPS = {WEEKLY: relativedelta(weeks=1), MONTHLY: relativedelta(months=1)}


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def occurrences(start, end, repeat=Repeat.NONE, times=None, until=None) -> list[Slot]:
    """The slots of a series, at the same local wall-clock time each week or month.

    Stepping in local time keeps "Tuesdays at 10:00" at 10:00 across a clock change. A monthly
    series started on the 31st falls on the last day of shorter months. Stops after
    MAX_SERIES + 1 slots so the caller can tell the user the series is too long.
    """
    if not repeat:
        return [Slot(start, end)]
    local_start = timezone.localtime(start).replace(tzinfo=None)
    length = end - start
    step = Repeat.STEPS[repeat]
    slots: list[Slot] = []
    n = 0
    while len(slots) <= MAX_SERIES:
        naive = local_start + step * n
        if times is not None and n >= times:
            break
        if until is not None and naive.date() > until:
            break
        aware = timezone.make_aware(naive)
        slots.append(Slot(aware, aware + length))
        n += 1
    return slots


def clashes(people, slots: list[Slot], exclude_pk=None):
    """Open sessions any of these people lead or join that overlap any of the slots."""
    if not slots or not people:
        return ImmersionSession.objects.none()
    overlap = Q()
    for slot in slots:
        overlap |= Q(planned_start__lt=slot.end, planned_end__gt=slot.start)
    person_ids = [person.pk for person in people]
    queryset = (
        ImmersionSession.objects.open()
        .filter(overlap)
        .filter(Q(lead_id__in=person_ids) | Q(companions__in=person_ids))
        .select_related("session_type", "lead")
        .distinct()
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


def describe_clash(session: ImmersionSession, people) -> str:
    when = date_format(timezone.localtime(session.planned_start), "D j M Y, H:i")
    busy = [p for p in people if p.pk == session.lead_id] or people
    return f"{busy[0]} already has {session.session_type} at {when}."


def schedule(*, by, slots: list[Slot], companions=(), **fields) -> list[ImmersionSession]:
    """Create a session for every slot, or none: a clash found under the lock refuses them all.

    The people taking part are locked first, so two schedulers booking the same manager at
    the same time cannot both pass the double-booking check.
    """
    people = [fields["lead"], *companions]
    series = uuid.uuid4() if len(slots) > 1 else None
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk__in=[p.pk for p in people]))
        clash = clashes(people, slots).first()
        if clash is not None:
            raise ValidationError(describe_clash(clash, people), code="double_booked")
        now = timezone.now()
        created = []
        for slot in slots:
            session = ImmersionSession.objects.create(
                planned_start=slot.start,
                planned_end=slot.end,
                series=series,
                created_by=by,
                **fields,
            )
            if companions:
                session.companions.set(companions)
            created.append(session)
        SessionEvent.objects.bulk_create(
            SessionEvent(
                session=session,
                actor=by,
                at=now,
                from_status="",
                to_status=ImmersionSession.Status.PLANNED,
                note="Scheduled.",
            )
            for session in created
        )
    return created


def reschedule(session: ImmersionSession, *, by, companions, **fields) -> ImmersionSession:
    """Save changes to a planned session, refusing a double booking under the same lock.

    A move in time or to another lead is written to the session's history, so the manager
    can see who changed their plans.
    """
    with transaction.atomic():
        locked = ImmersionSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != ImmersionSession.Status.PLANNED:
            raise ValidationError(
                "Only a planned session can be changed; this one is "
                f"{locked.get_status_display().lower()}.",
                code="not_planned",
            )
        people = [fields["lead"], *companions]
        list(User.objects.select_for_update().filter(pk__in=[p.pk for p in people]))
        slot = Slot(fields["planned_start"], fields["planned_end"])
        clash = clashes(people, [slot], exclude_pk=session.pk).first()
        if clash is not None:
            raise ValidationError(describe_clash(clash, people), code="double_booked")
        note = _change_note(locked, fields)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
        locked.companions.set(companions)
        if note:
            SessionEvent.objects.create(
                session=locked,
                actor=by,
                at=timezone.now(),
                from_status=locked.status,
                to_status=locked.status,
                note=note,
            )
    return locked


def _change_note(session: ImmersionSession, fields) -> str:
    changes = []
    if fields["planned_start"] != session.planned_start:
        when = date_format(timezone.localtime(session.planned_start), "D j M, H:i")
        changes.append(f"Moved from {when}.")
    if fields["lead"].pk != session.lead_id:
        changes.append(f"Handed from {session.lead} to {fields['lead']}.")
    return " ".join(changes)
