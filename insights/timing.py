"""How long an action spent in each status, read from its history."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from insights.models import Action, ActionEvent

# Verified and dropped are where an action ends: time there is not waiting on anyone.
FINAL = (Action.Status.VERIFIED, Action.Status.DROPPED)


@dataclass
class StatusSpell:
    status: str
    spent: dt.timedelta
    # When the action entered it, for the status it is in now; else None.
    since: dt.datetime | None

    @property
    def current(self) -> bool:
        return self.since is not None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def label(self) -> str:
        return Action.Status(self.status).label


def time_in_status(action, events, now: dt.datetime | None = None) -> list[StatusSpell]:
    """Total time in each status it has been in, in the order of the statuses; the current
    one counts up to now unless the action has ended."""
    now = now or timezone.now()
    spent: dict[str, dt.timedelta] = {}
    status, since = Action.Status.OPEN, action.created_at
    for event in events:
        if event.kind != ActionEvent.Kind.STATUS:
            continue
        spent[status] = spent.get(status, dt.timedelta()) + (event.at - since)
        status, since = event.new_value, event.at
    if status not in FINAL:
        spent[status] = spent.get(status, dt.timedelta()) + (now - since)
    return [
        StatusSpell(value, spent.get(value, dt.timedelta()), since if value == status else None)
        for value in Action.Status.values
        if value in spent or value == status
    ]


def duration_label(value: dt.timedelta | None) -> str:
    """A duration as people say it: "40 min", "5 h", "3 days 4 h", "12 days"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    days, hours = divmod(hours, 24)
    if days >= 10 or not hours:
        return gettext("%(days)d days") % {"days": days}
    return gettext("%(days)d days %(hours)d h") % {"days": days, "hours": hours}
