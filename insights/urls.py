from django.urls import path

from insights.views import (
    account,
    actions,
    exports,
    policies,
    themes,
    triage,
    triage_settings,
    verification,
)
from insights.views import dashboard as dashboard_views

app_name = "insights"

urlpatterns = [
    path("triage/", triage.queue, name="triage-queue"),
    path("triage/bulk/", triage.bulk, name="triage-bulk"),
    path("triage/teams/", triage_settings.team_list, name="triage-teams"),
    path("triage/teams/<int:team_id>/", triage_settings.team_settings, name="triage-team-settings"),
    path("triage/<int:pk>/", triage.observation, name="triage-observation"),
    path("triage/<int:pk>/new-action/", triage.new_action, name="triage-new-action"),
    path("triage/<int:pk>/link/", triage.link_action, name="triage-link"),
    path("triage/<int:pk>/duplicate/", triage.duplicate, name="triage-duplicate"),
    path("triage/<int:pk>/no-action/", triage.no_action, name="triage-no-action"),
    path("actions/", actions.action_list, name="action-list"),
    path("actions/mine/", actions.my_actions, name="my-actions"),
    path("actions/export.csv", exports.actions_csv, name="export-actions"),
    path("observations/export.csv", exports.observations_csv, name="export-observations"),
    path("actions/<int:pk>/", actions.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", actions.edit, name="action-edit"),
    path("actions/<int:pk>/start/", actions.start, name="action-start"),
    path("actions/<int:pk>/complete/", actions.complete, name="action-complete"),
    path("actions/<int:pk>/verify/", actions.verify, name="action-verify"),
    path("actions/<int:pk>/drop/", actions.drop, name="action-drop"),
    path("actions/<int:pk>/reopen/", actions.reopen, name="action-reopen"),
    path("actions/<int:pk>/comment/", actions.comment, name="action-comment"),
    path(
        "actions/<int:pk>/photos/<uuid:photo_id>/<str:variant>/",
        actions.evidence_photo,
        name="evidence-photo",
    ),
    path("verify/", verification.queue, name="verify-queue"),
    path("verify/<int:pk>/verify/", verification.verify, name="verify-queue-verify"),
    path("verify/<int:pk>/send-back/", verification.send_back, name="verify-queue-send-back"),
    path("policies/", policies.policy_list, name="policy-list"),
    path("policies/<int:priority>/", policies.policy_edit, name="policy-edit"),
    path("themes/", themes.theme_list, name="theme-list"),
    path("themes/new/", themes.theme_edit, name="theme-create"),
    path("themes/<int:pk>/", themes.theme_edit, name="theme-edit"),
    path("themes/<int:pk>/delete/", themes.theme_delete, name="theme-delete"),
    path("settings/e-mails/", account.notification_settings, name="notification-settings"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("you-said-we-did/", dashboard_views.public, name="public"),
]
