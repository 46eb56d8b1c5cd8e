import io

import pytest
from django.apps import apps
from django.core.management import call_command

from immersion.demo import DEMO_PEOPLE
from immersion.models import Role, User
from insights.models import Audit, MonthSnapshot

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_twice_creates_nothing_the_second_time():
    seed()
    first = row_counts()

    seed()

    assert row_counts() == first


def test_passwords_are_printed_the_first_time_only():
    first = seed()
    second = seed()

    assert "Demo logins" in first
    for username, *_ in DEMO_PEOPLE:
        assert f"  {username} " in first
    assert "Demo logins" not in second
    assert "Demo data is ready." in second


def test_each_printed_password_signs_its_user_in(client):
    lines = [line.split() for line in seed().splitlines() if line.startswith("  ")]
    credentials = {parts[0]: parts[-1] for parts in lines}

    for username, password in credentials.items():
        # Through the sign-in form: throttling needs the request that client.login() lacks.
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
        client.logout()
    assert set(credentials) == {p[0] for p in DEMO_PEOPLE} | {"admin"}


def test_the_demo_has_every_role_and_a_staff_login():
    seed()

    for role in Role:
        assert any(role in user.roles for user in User.objects.all()), role
    assert User.objects.get(username="admin").is_superuser


def test_the_demo_audit_checks_a_month_with_customer_problems_to_count():
    seed()

    snapshot = MonthSnapshot.objects.get()

    assert snapshot.rows["issues"]
    assert Audit.objects.get(month=snapshot.month).signed_at is not None
