import pytest

from immersion.models import Team
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_teams_subtree_holds_the_team_and_every_team_below_it(region, store_a, store_b):
    assert set(Team.objects.subtree_of([region])) == {region, store_a, store_b}
    assert list(Team.objects.subtree_of([store_a])) == [store_a]


def test_moving_a_team_moves_its_sub_teams_with_it(region, store_a):
    counter = factories.TeamFactory(name="Counter", parent=store_a)
    south = factories.RegionFactory(name="South")

    store_a.parent = south
    store_a.save()

    counter.refresh_from_db()
    assert set(Team.objects.subtree_of([south])) == {south, store_a, counter}
    assert counter.path == f"{south.path}{store_a.pk}/{counter.pk}/"
    assert list(Team.objects.subtree_of([region])) == [region]


def test_a_users_scope_is_their_teams_and_everything_below(region, store_a, store_b, cx_lead):
    assert cx_lead.scope_team_ids == {region.pk, store_a.pk, store_b.pk}
