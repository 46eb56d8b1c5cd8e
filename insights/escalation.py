"""Who an escalation step reaches, walking up the team tree from the action's team."""

from django.contrib.auth import get_user_model

from immersion.models import Role
from insights.models import EscalationStep

Recipient = EscalationStep.Recipient


class CxLeadTree:
    """The active CX leads by the team they belong to, loaded once per scan (one query)."""

    def __init__(self, leads_by_team: dict[int, list[int]]):
        self.leads_by_team = leads_by_team

    @classmethod
    def load(cls) -> "CxLeadTree":
        memberships = (
            get_user_model()
            .teams.through.objects.filter(
                user__is_active=True, user__groups__name=Role.CX_LEAD.label
            )
            .values_list("team_id", "user_id")
            .distinct()
            .order_by("team_id", "user_id")
        )
        leads_by_team: dict[int, list[int]] = {}
        for team_id, user_id in memberships:
            leads_by_team.setdefault(team_id, []).append(user_id)
        return cls(leads_by_team)

    def levels(self, team) -> list[list[int]]:
        """The CX leads of the team and of each team above it that has any, nearest first."""
        ancestors = [int(part) for part in team.path.strip("/").split("/") if part]
        return [self.leads_by_team[t] for t in reversed(ancestors) if t in self.leads_by_team]

    def recipients(self, action, recipient: str) -> list[int]:
        if recipient == Recipient.OWNER:
            return [action.owner_id]
        levels = self.levels(action.team)
        # The team's CX lead is the nearest one up the tree; the one above is the next.
        index = 0 if recipient == Recipient.TEAM_CX_LEAD else 1
        return levels[index] if len(levels) > index else []
