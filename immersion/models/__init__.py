"""Who takes part, where, and the immersion sessions they do.

Teams form a tree (a region holds stores and a contact centre); users belong to
teams and take a role through group membership. A programme sets how often each
participant should walk in the customer's shoes, and sessions are those walks.
"""

from immersion.models.catalogue import (
    ActiveQuerySet,
    Persona,
    Programme,
    ProgrammeQuerySet,
    SessionType,
    Touchpoint,
)
from immersion.models.people import (
    Role,
    Team,
    TeamMemberManager,
    TeamQuerySet,
    User,
    UserQuerySet,
    new_calendar_token,
)
from immersion.models.sessions import (
    ImmersionSession,
    SessionEvent,
    SessionQuerySet,
    SessionReminder,
    SessionStateError,
)
from immersion.models.tokens import ApiToken
from immersion.models.workers import WorkerHeartbeat

__all__ = [
    "ActiveQuerySet",
    "ApiToken",
    "ImmersionSession",
    "Persona",
    "Programme",
    "ProgrammeQuerySet",
    "Role",
    "SessionEvent",
    "SessionQuerySet",
    "SessionReminder",
    "SessionStateError",
    "SessionType",
    "Team",
    "TeamMemberManager",
    "TeamQuerySet",
    "Touchpoint",
    "User",
    "UserQuerySet",
    "WorkerHeartbeat",
    "new_calendar_token",
]
