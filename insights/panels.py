"""What insights adds to the home pages, and where signing in lands for the work it holds.

Registered with `immersion.home` in `InsightsConfig.ready()`.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from insights import triage
from insights.models import Action

HOME_ACTIONS = 8


def own_actions_panel(user) -> dict:
    """The user's unfinished actions, the overdue first (they are the earliest due)."""
    mine = Action.objects.owned_by(user).unfinished()
    actions = list(mine.select_related("team").order_by("due_on", "-priority", "pk")[:HOME_ACTIONS])
    figures = mine.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate()))
    )
    return {"actions": actions, **figures}


def triage_waiting(user) -> str | None:
    if user.is_cx_lead and triage.triage_queue(user).exists():
        return reverse("insights:triage-queue")
    return None


def dashboard(user) -> str | None:
    return reverse("insights:dashboard") if user.is_executive else None


def own_actions(user) -> str | None:
    """Someone with no role is here because they own actions."""
    return reverse("insights:my-actions") if not user.roles else None
