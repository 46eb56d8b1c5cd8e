"""Follow-up actions: what was done about what managers saw, its whole history, and the
e-mail that keeps it moving.

An action changes only through its methods (``start``, ``complete``, ``verify``,
``drop``, ``reopen``, ``edit``, ``link``, ``comment``). Each one locks the row,
checks the change is allowed, refuses a form posted against an older version,
saves the changed fields and writes the matching ``ActionEvent`` rows in the same
transaction, and queues e-mail for after the commit.
"""

from insights.models.actions import (
    ACTION_VERB_PAST,
    Action,
    ActionEvent,
    ActionQuerySet,
    ActionStateError,
    StaleActionError,
)
from insights.models.audits import Audit, AuditError, AuditItem, AuditorAccess, MonthSnapshot
from insights.models.customers import CustomerReport, Promise, PromiseVersion
from insights.models.notifications import BoardPackDelivery, DigestDelivery, Notification
from insights.models.policies import EscalationStep, ServicePolicy, may_change_policies
from insights.models.public_photos import PublicPhoto
from insights.models.revisits import ReVisit, RevisitTaken
from insights.models.summaries import (
    ActionDay,
    ActionTimeDay,
    ObservationDay,
    ObservationWaitDay,
    RevisitDay,
    SessionDay,
    StaleSummaryDay,
)
from insights.models.themes import ActionTheme, ObservationTheme, Theme
from insights.models.triage import TeamTriageSettings
from insights.models.webhooks import Webhook, WebhookDelivery, new_secret

__all__ = [
    "ACTION_VERB_PAST",
    "Action",
    "ActionDay",
    "ActionEvent",
    "ActionQuerySet",
    "ActionStateError",
    "ActionTheme",
    "ActionTimeDay",
    "Audit",
    "AuditError",
    "AuditItem",
    "AuditorAccess",
    "BoardPackDelivery",
    "CustomerReport",
    "DigestDelivery",
    "EscalationStep",
    "MonthSnapshot",
    "Notification",
    "ObservationDay",
    "ObservationTheme",
    "ObservationWaitDay",
    "Promise",
    "PromiseVersion",
    "PublicPhoto",
    "ReVisit",
    "RevisitDay",
    "RevisitTaken",
    "ServicePolicy",
    "SessionDay",
    "StaleActionError",
    "StaleSummaryDay",
    "TeamTriageSettings",
    "Theme",
    "Webhook",
    "WebhookDelivery",
    "may_change_policies",
    "new_secret",
]
