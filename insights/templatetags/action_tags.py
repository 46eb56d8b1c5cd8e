"""Template tags that show the state of triage and actions on other pages (the CX lead's home)."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from insights import triage
from insights.models import Action

register = template.Library()


@register.inclusion_tag("insights/_cx_lead_summary.html")
def cx_lead_summary(user):
    """What waits for the CX lead: untriaged observations, late actions, evidence to check."""
    figures = (
        Action.objects.filter(team_id__in=user.scope_team_ids)
        .aggregate(
            overdue=Count(
                "pk",
                filter=Q(status__in=Action.UNFINISHED, due_on__lt=timezone.localdate()),
            ),
            # As the verification queue counts: an owner never verifies their own action.
            to_verify=Count("pk", filter=Q(status=Action.Status.DONE) & ~Q(owner=user)),
            unfinished=Count("pk", filter=Q(status__in=Action.UNFINISHED)),
        )
    )  # fmt: skip
    untriaged = triage.triage_queue(user).count()
    oldest = triage.triage_queue(user).values_list("created_at", flat=True).first()
    return {"untriaged": untriaged, "oldest": oldest, **figures}
