import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_the_landing_page_for_the_users_role(client_as, cx_lead):
    response = client_as(cx_lead).get("/")

    assert response.status_code == 200
    assert b"Triage every observation" in response.content


def test_anonymous_home_is_sent_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_team_path_covers_sub_teams(region, store_a, store_b):
    from immersion.models import Team

    assert set(Team.objects.subtree_of([region])) == {region, store_a, store_b}
    assert list(Team.objects.subtree_of([store_a])) == [store_a]
