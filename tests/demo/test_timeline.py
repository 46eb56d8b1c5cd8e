"""The demo reads as a believable quarter an executive could present.

The programme started about 45 days ago; the actions of the dashboard's 13 weeks were
raised in it, after what they address; most managers are near their target and a few
behind; finished actions are mostly on time, a few late, and a few still overdue.
"""

import datetime as dt

import pytest
from django.utils import timezone

from immersion.demo import PROGRAMME_NAME
from immersion.models import ImmersionSession, Programme, User
from insights.models import Action, Audit, AuditItem, MonthSnapshot
from insights.public import published_fixes

pytestmark = pytest.mark.django_db

QUARTER_WINDOW = dt.timedelta(weeks=13)


@pytest.fixture
def programme(demo):
    return Programme.objects.get(name=PROGRAMME_NAME)


def test_the_programme_started_about_45_days_ago(programme):
    assert (timezone.localdate() - programme.starts_on).days == 45


def test_every_action_is_raised_after_the_observations_it_addresses(programme):
    for action in Action.objects.prefetch_related("observations"):
        for observation in action.observations.all():
            assert observation.created_at <= action.created_at, action


def test_the_actions_of_the_last_13_weeks_were_raised_in_the_programme(programme):
    recent = Action.objects.filter(created_at__gte=timezone.now() - QUARTER_WINDOW)
    assert recent.count() >= 15
    for action in recent:
        assert timezone.localdate(action.created_at) >= programme.starts_on, action


def test_no_action_is_overdue_by_more_than_the_quarter_so_far(programme):
    today = timezone.localdate()
    overdue = Action.objects.overdue(today)
    assert overdue.exists()
    assert all((today - action.due_on).days <= 45 for action in overdue)


def test_finished_actions_are_mostly_on_time_and_some_late(programme):
    finished = Action.objects.filter(done_at__isnull=False)
    late = [a for a in finished if timezone.localdate(a.done_at) > a.due_on]
    assert late
    assert len(late) < finished.count() / 3


def test_an_actions_history_starts_when_it_was_raised(programme):
    for action in Action.objects.all():
        first = action.events.order_by("at", "pk").first()
        assert first.at == action.created_at, action


def test_most_managers_are_near_their_target_and_a_few_behind(programme):
    today = timezone.localdate()
    elapsed = ((today - programme.starts_on).days + 1) / (
        (programme.ends_on - programme.starts_on).days + 1
    )
    expected = programme.target_sessions * elapsed
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


def test_the_newest_published_fix_is_from_the_last_two_months(programme):
    newest = published_fixes().order_by("-verified_at").values_list("verified_at", flat=True)[0]
    assert timezone.now() - newest <= dt.timedelta(days=60)


def test_the_demo_has_a_signed_audit_with_both_findings(programme):
    audit = Audit.objects.get()
    assert audit.is_signed
    assert MonthSnapshot.objects.get().audit == audit
    findings = set(audit.items.values_list("finding", flat=True))
    assert findings == {AuditItem.Finding.CONFIRMED, AuditItem.Finding.NOT_CONFIRMED}
