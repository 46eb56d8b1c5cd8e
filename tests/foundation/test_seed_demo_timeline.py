"""The demo reads as a believable quarter an executive could present.

The programme started about 45 days ago; the actions of the dashboard's 13 weeks were
raised in it, after what they address; most managers are near their target and a few
behind; finished actions are mostly on time, a few late, and a few still overdue.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from immersion.demo import PROGRAMME_NAME
from immersion.models import ImmersionSession, Programme, User
from insights.models import Action, Audit, AuditItem, MonthSnapshot
from insights.public import published_fixes

pytestmark = pytest.mark.django_db

QUARTER_WINDOW = dt.timedelta(weeks=13)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seeded once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            yield Programme.objects.get(name=PROGRAMME_NAME)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_programme_started_about_45_days_ago(demo):
    assert (timezone.localdate() - demo.starts_on).days == 45


def test_every_action_is_raised_after_the_observations_it_addresses(demo):
    for action in Action.objects.prefetch_related("observations"):
        for observation in action.observations.all():
            assert observation.created_at <= action.created_at, action


def test_the_actions_of_the_last_13_weeks_were_raised_in_the_programme(demo):
    recent = Action.objects.filter(created_at__gte=timezone.now() - QUARTER_WINDOW)
    assert recent.count() >= 15
    for action in recent:
        assert timezone.localdate(action.created_at) >= demo.starts_on, action


def test_no_action_is_overdue_by_more_than_the_quarter_so_far(demo):
    today = timezone.localdate()
    overdue = Action.objects.overdue(today)
    assert overdue.exists()
    assert all((today - action.due_on).days <= 45 for action in overdue)


def test_finished_actions_are_mostly_on_time_and_some_late(demo):
    finished = Action.objects.filter(done_at__isnull=False)
    late = [a for a in finished if timezone.localdate(a.done_at) > a.due_on]
    assert late
    assert len(late) < finished.count() / 3


def test_an_actions_history_starts_when_it_was_raised(demo):
    for action in Action.objects.all():
        first = action.events.order_by("at", "pk").first()
        assert first.at == action.created_at, action


def test_most_managers_are_near_their_target_and_a_few_behind(demo):
    today = timezone.localdate()
    elapsed = ((today - demo.starts_on).days + 1) / ((demo.ends_on - demo.starts_on).days + 1)
    expected = demo.target_sessions * elapsed
    shares = {}
    for manager in User.objects.filter(groups__name="Manager"):
        done = ImmersionSession.objects.filter(
            lead=manager,
            status=ImmersionSession.Status.COMPLETED,
            planned_start__date__gte=today - QUARTER_WINDOW,
        ).count()
        shares[manager.username] = done / expected
    near = [name for name, share in shares.items() if 0.75 <= share <= 1.5]
    behind = [name for name, share in shares.items() if share < 0.75]
    assert len(near) > len(shares) / 2, shares
    assert behind, shares
    assert max(shares.values()) <= 1.5, shares


def test_the_newest_published_fix_is_from_the_last_two_months(demo):
    newest = published_fixes().order_by("-verified_at").values_list("verified_at", flat=True)[0]
    assert timezone.now() - newest <= dt.timedelta(days=60)


def test_the_demo_has_a_signed_audit_with_both_findings(demo):
    audit = Audit.objects.get()
    assert audit.is_signed
    assert MonthSnapshot.objects.get().audit == audit
    findings = set(audit.items.values_list("finding", flat=True))
    assert findings == {AuditItem.Finding.CONFIRMED, AuditItem.Finding.NOT_CONFIRMED}
