"""The questions pages ask of actions: who sees them, which are late, how long they took.

Written against ``self.model`` so this module needs nothing from the models it serves.
"""

import datetime as dt

from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils import timezone


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Owners see their own actions; managers, CX leads and executives those of their scope."""
        if not user.is_authenticated:
            return self.none()
        reach = Q(owner=user)
        if user.roles:
            reach |= Q(team_id__in=user.scope_team_ids)
        return self.filter(reach)

    def unfinished(self):
        return self.filter(status__in=self.model.UNFINISHED)

    def overdue(self, today: dt.date | None = None):
        return self.unfinished().filter(due_on__lt=today or timezone.localdate())

    def due_within(self, days: int, today: dt.date | None = None):
        """Unfinished actions due from today up to `days` days ahead."""
        today = today or timezone.localdate()
        return self.unfinished().filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days))

    def owned_by(self, user):
        return self.filter(owner=user)

    def with_status_times(self):
        """Time from being raised to starting, to done and to verified.

        Starting is the first move to in progress (``started_at``, which a reopening
        keeps); done and verified are the current stamps, which a reopening clears.
        """

        def since_raised(moment):
            return ExpressionWrapper(
                F(moment) - F("created_at"), output_field=models.DurationField()
            )

        return self.annotate(
            time_to_start=since_raised("started_at"),
            time_to_done=since_raised("done_at"),
            time_to_verified=since_raised("verified_at"),
        )
