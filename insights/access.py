"""Who may see and change actions and triage observations. Every insights view goes through here.

An action is visible to its owner and to managers, CX leads and executives whose
scope holds its team (404 for anyone else). Within sight: the CX lead of the
scope changes everything; the owner moves their action along and comments but
cannot verify it; managers and executives only read (403).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from insights.models import Action
from insights.triage import observations_in_scope

READ_ONLY = "You can read this action but not change it."


def get_action(user, pk: int, queryset=None) -> Action:
    """The action if the user may see it, else 404."""
    base = queryset if queryset is not None else Action.objects.all()
    return get_object_or_404(base.visible_to(user), pk=pk)


def can_manage(user, action) -> bool:
    """Edit, reassign, verify, drop, reopen: the CX lead whose scope holds the action's team."""
    return user.is_cx_lead and action.team_id in user.scope_team_ids


def can_progress(user, action) -> bool:
    """Start and complete: the owner, or a CX lead who manages the action."""
    return action.owner_id == user.pk or can_manage(user, action)


def can_comment(user, action) -> bool:
    return can_progress(user, action)


def require_manage(user, action) -> None:
    if not can_manage(user, action):
        raise PermissionDenied(READ_ONLY)


def require_progress(user, action) -> None:
    if not can_progress(user, action):
        raise PermissionDenied(READ_ONLY)


def get_triage_observation(user, pk: int):
    """An observation the user reaches through their scope, else 404."""
    return get_object_or_404(
        observations_in_scope(user).select_related(
            "session__session_type",
            "session__team",
            "session__lead",
            "author",
            "duplicate_of",
            "revisit_of",
        ),
        pk=pk,
    )
