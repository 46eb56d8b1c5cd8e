from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights and actions"

    def ready(self) -> None:
        from immersion import home, navigation
        from immersion.models import Role
        from insights import panels, webhook_events
        from insights.revisit_prompts import (
            RevisitPrompts,
            ask_again_when_the_answer_goes,
            follow_an_edited_answer,
        )
        from journal import prompts
        from journal.models import Observation

        home.register_panel(
            "insights/_home_actions.html", panels.own_actions_panel, [Role.MANAGER, None], 20
        )
        home.register_landing("triage-waiting", panels.triage_waiting, order=20)
        home.register_landing("dashboard", panels.dashboard, order=30)
        home.register_landing("own-actions", panels.own_actions, order=40)

        webhook_events.connect()
        prompts.register(RevisitPrompts())
        pre_delete.connect(
            ask_again_when_the_answer_goes, sender=Observation, dispatch_uid="insights-revisit"
        )
        post_save.connect(
            follow_an_edited_answer, sender=Observation, dispatch_uid="insights-revisit-edit"
        )
        self.keep_summaries()
        readers = [Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER]
        # The executive's main page, first after Home; a manager's is Today.
        navigation.register(
            _("Dashboard"),
            "insights:dashboard",
            readers,
            order=40,
            order_for={Role.EXECUTIVE: 10, Role.MANAGER: 50},
        )
        # After the dashboard, for those who read the journey whole.
        navigation.register(
            _("Journey"), "insights:journey", [Role.EXECUTIVE, Role.CX_LEAD], order=60
        )
        navigation.register(_("Triage"), "insights:triage-queue", [Role.CX_LEAD], order=10)
        navigation.register(_("Default owners"), "insights:triage-teams", [Role.CX_LEAD], order=75)
        navigation.register(
            _("Actions"), "insights:action-list", readers, order=20, order_for={Role.MANAGER: 60}
        )
        navigation.register(_("Re-visits"), "insights:revisit-list", readers, order=47)
        navigation.register(_("To verify"), "insights:verify-queue", [Role.CX_LEAD], order=45)
        navigation.register(_("Policies"), "insights:policy-list", [Role.CX_LEAD], order=75)
        navigation.register(_("Promises"), "insights:promise-list", [Role.CX_LEAD], order=77)
        navigation.register(_("Audits"), "insights:audit-list", [Role.AUDITOR], order=10)
        navigation.register(_("Webhooks"), "insights:webhook-list", [Role.CX_LEAD], order=78)
        navigation.register(
            _("Themes"), "insights:theme-list", [Role.CX_LEAD], order=72, staff=True
        )
        # Anyone can own an action, whatever their role, so everybody gets the entry; it
        # is on the phone bar of managers and action owners, who carry actions out.
        navigation.register(
            _("My actions"),
            "insights:my-actions",
            None,
            order=20,
            order_for={Role.CX_LEAD: 80, Role.EXECUTIVE: 80},
        )
        navigation.register(
            _("E-mail settings"), "insights:notification-settings", None, menu=navigation.ACCOUNT
        )

    @staticmethod
    def keep_summaries() -> None:
        """Every change to what the dashboard's summaries count marks its day."""
        from immersion.models import ImmersionSession
        from insights import summaries
        from insights.models import Action, ActionTheme, ObservationTheme, ReVisit
        from journal.models import Observation

        for signal in (post_save, post_delete):
            signal.connect(
                summaries.observation_changed, sender=Observation, dispatch_uid="summaries"
            )
        for links in (ObservationTheme, Action.observations.through):
            m2m_changed.connect(summaries.links_changed, sender=links, dispatch_uid="summaries")
        pre_save.connect(summaries.action_saving, sender=Action, dispatch_uid="summaries")
        for signal in (post_save, post_delete):
            signal.connect(summaries.action_changed, sender=Action, dispatch_uid="summaries")
        m2m_changed.connect(
            summaries.action_themes_changed, sender=ActionTheme, dispatch_uid="summaries"
        )
        pre_save.connect(
            summaries.session_saving, sender=ImmersionSession, dispatch_uid="summaries"
        )
        post_save.connect(
            summaries.session_saved, sender=ImmersionSession, dispatch_uid="summaries"
        )
        post_delete.connect(
            summaries.session_deleted, sender=ImmersionSession, dispatch_uid="summaries"
        )
        pre_save.connect(summaries.revisit_saving, sender=ReVisit, dispatch_uid="summaries")
        for signal in (post_save, post_delete):
            signal.connect(summaries.revisit_changed, sender=ReVisit, dispatch_uid="summaries")
