"""`seed_demo`: every role signs in with the printed logins, and a second run adds nothing."""

import pytest

from immersion.demo import DEMO_PEOPLE
from immersion.models import Role, User
from insights import summaries
from insights.models import Audit, MonthSnapshot, StaleSummaryDay
from insights.summary_tables import SUMMARIES
from tests.foundation.test_make_run import RESET_COMMAND

pytestmark = pytest.mark.django_db


def test_seeding_twice_creates_nothing_the_second_time(demo):
    assert demo.rows_after_second_run == demo.rows_after_first_run


def test_passwords_are_printed_the_first_time_only(demo):
    assert "Demo logins" in demo.first_run
    for username, *_ in DEMO_PEOPLE:
        assert f"  {username} " in demo.first_run
    assert "Demo logins" not in demo.second_run
    assert "Demo data is ready." in demo.second_run


def test_each_printed_password_signs_its_user_in(demo, client):
    lines = [line.split() for line in demo.first_run.splitlines() if line.startswith("  ")]
    credentials = {parts[0]: parts[-1] for parts in lines}

    for username, password in credentials.items():
        # Through the sign-in form: throttling needs the request that client.login() lacks.
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
        client.logout()
    assert set(credentials) == {p[0] for p in DEMO_PEOPLE} | {"admin"}


def test_seeding_prints_a_reset_command_that_works_as_typed(demo):
    assert RESET_COMMAND in demo.first_run.splitlines()


def test_the_demo_prints_a_token_once_and_it_opens_the_api(demo, client):
    line = next(line for line in demo.first_run.splitlines() if line.startswith("curl "))
    token = line.split("Bearer ")[1].split('"')[0]

    assert client.get("/api/v1/actions/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert "Bearer" not in demo.second_run


def test_the_demo_has_every_role_and_a_staff_login(demo):
    for role in Role:
        assert any(role in user.roles for user in User.objects.all()), role
    assert User.objects.get(username="admin").is_superuser


def test_the_demo_audit_checks_a_month_with_customer_problems_to_count(demo):
    snapshot = MonthSnapshot.objects.get()

    assert snapshot.rows["issues"]
    assert Audit.objects.get(month=snapshot.month).signed_at is not None


def test_the_demo_dashboard_reads_summaries_that_match_their_tables(demo):
    for summary in SUMMARIES:
        assert summary.model.objects.exists(), summary.model.__name__
    assert not StaleSummaryDay.objects.exists()
    assert summaries.drift() == []
