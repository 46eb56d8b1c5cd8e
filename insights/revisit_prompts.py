"""The re-visit's question on the capture page, and the link from its answer to the action."""

from django.utils import timezone

from insights import summaries
from insights.models.revisits import ReVisit, RevisitTaken, answer_revisit, is_negative
from journal.models import Observation
from journal.prompts import Prompt, PromptRefused

# A session asks a few at most: a phone screen of questions would bury the capture form.
MAX_PROMPTS = 3
NOT_THIS_SESSION = "This re-visit is not one this session can answer. Reload the page."


def prompt_for(revisit: ReVisit) -> Prompt:
    return Prompt(
        key=str(revisit.pk),
        before_feeling=revisit.before_feeling,
        touchpoint=revisit.touchpoint,
        touchpoint_label=revisit.get_touchpoint_display().lower(),
    )


class RevisitPrompts:
    field = "revisit"

    def prompts(self, session, user) -> list[Prompt]:
        if not session.is_open and session.status != session.Status.COMPLETED:
            return []
        return [prompt_for(r) for r in ReVisit.objects.for_session(session)[:MAX_PROMPTS]]

    def check(self, session, user, key: str, client_uuid) -> Prompt:
        try:
            pk = int(key)
        except ValueError:
            raise PromptRefused(NOT_THIS_SESSION) from None
        revisit = ReVisit.objects.for_session(session).filter(pk=pk).first()
        if revisit is None and client_uuid is not None:
            # The phone resending an answer the server stored before it could confirm.
            revisit = ReVisit.objects.filter(
                pk=pk, team_id=session.team_id, answer__client_uuid=client_uuid
            ).first()
        if revisit is None:
            raise PromptRefused(NOT_THIS_SESSION)
        return prompt_for(revisit)

    def attach(self, observation: Observation, prompt: Prompt) -> None:
        try:
            revisit = answer_revisit(int(prompt.key), observation)
        except RevisitTaken:
            raise PromptRefused(
                "Someone else answered this re-visit first. Choose “Something new” to keep "
                "what you saw as a new observation."
            ) from None
        settle_triage(observation, revisit)


def settle_triage(observation: Observation, revisit: ReVisit) -> None:
    """The fix held: nothing for the CX lead to decide. A negative answer stays (or goes
    back to) untriaged, so the queue shows it against the old action. A CX lead's own
    decision on it is never undone."""
    State = Observation.TriageState
    mine = Observation.objects.filter(pk=observation.pk, triaged_by__isnull=True)
    if not is_negative(observation.emotion):
        mine.filter(triage_state=State.UNTRIAGED).update(
            triage_state=State.NO_ACTION,
            triaged_at=timezone.now(),
            triage_note=f"Re-visit of action #{revisit.action_id}: the fix held.",
        )
    else:
        mine.filter(triage_state=State.NO_ACTION).update(
            triage_state=State.UNTRIAGED, triaged_at=None, triage_note=""
        )
    summaries.mark_observation(observation)


def follow_an_edited_answer(sender, instance, created, **kwargs) -> None:
    """An answer corrected by its author says again whether the feeling improved."""
    if created:
        return
    revisit = ReVisit.objects.filter(answer_id=instance.pk).first()
    if revisit is not None:
        revisit.score(instance)
        settle_triage(instance, revisit)


def ask_again_when_the_answer_goes(sender, instance, **kwargs) -> None:
    """An answer undone or deleted leaves its re-visit due again, as if never answered."""
    answered = ReVisit.objects.filter(answer_id=instance.pk)
    summaries.mark_revisits(answered)  # a bulk update: no save signal tells the summary
    answered.update(answer=None, answered_at=None, improved=None)
