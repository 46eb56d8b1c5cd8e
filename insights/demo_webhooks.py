"""A demo webhook for a store channel, paused: its address is a placeholder to replace."""

from insights.models import Webhook


def seed(lead) -> None:
    if Webhook.objects.exists():
        return
    Webhook.objects.create(
        team=lead.teams.order_by("path").first(),
        name="Region channel on Slack",
        url="https://hooks.slack.com/services/REPLACE/WITH/YOURS",
        format=Webhook.Format.SLACK,
        events=["observations.waiting", "action.overdue", "action.escalated"],
        # Paused: the placeholder address would refuse every delivery.
        active=False,
        created_by=lead,
    )
