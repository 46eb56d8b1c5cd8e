"""Sign-in throttling: per person at an address, a higher limit per address, and a way back."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.foundation.test_settings import manage, production

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/accounts/login/"
SHOP_WIFI = "198.51.100.20"
ELSEWHERE = "203.0.113.77"


def sign_in(client, username, password, *, address=SHOP_WIFI, url=LOGIN, **headers):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, username, times, **kwargs):
    return [sign_in(client, username, "wrong", **kwargs).status_code for _ in range(times)]


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def test_wrong_passwords_below_the_limit_leave_the_form_with_its_usual_message(
    client, manager, limit
):
    statuses = fail(client, "manager", limit - 1)

    assert statuses == [200] * (limit - 1)
    assert sign_in(client, "manager", PASSWORD).status_code == 302


def test_the_failure_that_reaches_the_limit_answers_429_with_the_paused_page(
    client, manager, limit
):
    fail(client, "manager", limit - 1)

    response = sign_in(client, "manager", "wrong")

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert b"Sign-in paused" in response.content
    assert b"Try again in 15 minutes" in response.content


def test_once_locked_the_right_password_is_refused_too(client, manager, limit):
    fail(client, "manager", limit)

    response = sign_in(client, "manager", PASSWORD)

    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_the_paused_page_is_in_the_site_layout(client, manager, limit):
    fail(client, "manager", limit)

    response = sign_in(client, "manager", PASSWORD)

    assert b'<header class="site-header">' in response.content
    assert b"<title>Sign-in paused" in response.content
    assert reverse("password_reset").encode() in response.content


def test_another_person_from_another_address_signs_in_as_usual(client, manager, cx_lead, limit):
    fail(client, "manager", limit)

    response = sign_in(client, "cx_lead", PASSWORD, address=ELSEWHERE)

    assert response.status_code == 302


def test_a_colleague_on_the_same_shop_wifi_is_not_locked_by_one_persons_typos(
    client, manager, other_manager, limit
):
    fail(client, "manager", limit)

    response = sign_in(client, other_manager.username, PASSWORD)

    assert response.status_code == 302


def test_the_locked_person_may_still_sign_in_from_another_address(client, manager, limit):
    fail(client, "manager", limit)

    assert sign_in(client, "manager", PASSWORD, address=ELSEWHERE).status_code == 302


def test_guessing_many_accounts_from_one_address_locks_that_address(
    client, settings, manager, limit
):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 2 * limit
    for n in range(2 * limit):
        sign_in(client, f"guess-{n // (limit - 1)}", "wrong")

    assert sign_in(client, "manager", PASSWORD).status_code == 429
    assert sign_in(client, "manager", PASSWORD, address=ELSEWHERE).status_code == 302


def test_a_good_sign_in_clears_that_persons_earlier_typos(client, manager, limit):
    fail(client, "manager", limit - 1)
    sign_in(client, "manager", PASSWORD)
    client.logout()

    assert fail(client, "manager", limit - 1) == [200] * (limit - 1)


def test_a_good_sign_in_leaves_other_peoples_failures_at_the_address_counted(
    client, settings, manager, limit
):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 2 * limit
    for n in range(2 * limit - 1):
        sign_in(client, f"guess-{n // (limit - 1)}", "wrong")
    assert sign_in(client, "manager", PASSWORD).status_code == 302
    client.logout()

    sign_in(client, "guess-last", "wrong")

    assert sign_in(client, "manager", PASSWORD).status_code == 429


def test_the_lock_lifts_by_itself_after_the_cool_off(client, manager, limit):
    fail(client, "manager", limit)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=14)):
        assert sign_in(client, "manager", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert sign_in(client, "manager", PASSWORD).status_code == 302


def test_tries_while_locked_do_not_push_the_end_of_the_lock_back(client, manager, limit):
    fail(client, "manager", limit)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        fail(client, "manager", 3)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert sign_in(client, "manager", PASSWORD).status_code == 302


def test_staff_unlock_a_person_with_the_management_command(client, manager, limit):
    fail(client, "manager", limit)

    call_command("axes_reset_username", "manager", stdout=None)

    assert sign_in(client, "manager", PASSWORD).status_code == 302


def test_staff_unlock_a_person_by_deleting_the_attempt_in_the_admin(
    client, client_as, manager, staff, limit
):
    fail(client, "manager", limit)
    attempt = AccessAttempt.objects.get(username="manager")

    admin = client_as(staff)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    deleted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    admin.logout()

    assert b"manager" in listing.content
    assert deleted.status_code == 302
    assert sign_in(client, "manager", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, staff, limit):
    fail(client, "staff", limit, url="/admin/login/")

    response = sign_in(client, "staff", PASSWORD, url="/admin/login/")

    assert response.status_code == 429
    assert b"Sign-in paused" in response.content
    assert client.get("/admin/").status_code == 302


def test_a_locked_person_can_still_ask_for_a_password_reset(client, manager, limit):
    fail(client, "manager", limit)

    response = client.post(reverse("password_reset"), {"email": manager.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_dodge_the_lock(
    client, manager, limit
):
    for n in range(limit):
        sign_in(client, "manager", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    response = sign_in(client, "manager", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert response.status_code == 429


def test_behind_one_trusted_proxy_people_are_told_apart_by_the_address_it_saw(
    client, settings, manager, limit
):
    # What TRUSTED_PROXY_COUNT=1 sets (checked below); the proxy itself is REMOTE_ADDR.
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False
    proxy = "10.0.0.2"
    for _ in range(limit):
        # The client's own forged entry comes first; the proxy appends the address it saw.
        sign_in(client, "manager", "wrong", address=proxy,
                HTTP_X_FORWARDED_FOR=f"192.0.2.1, {SHOP_WIFI}")  # fmt: skip

    locked = sign_in(client, "manager", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=SHOP_WIFI)
    elsewhere = sign_in(client, "manager", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert AccessAttempt.objects.get().ip_address == SHOP_WIFI
    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_trusted_proxy_count_reads_the_forwarded_for_header():
    result = manage(
        "shell", "-c",
        "from django.conf import settings as s; "
        "print(s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT)",
        **production(TRUSTED_PROXY_COUNT="2"),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR') 1" in result.stdout


def test_an_address_limit_below_the_personal_limit_stops_start_up():
    result = manage(
        "check", **production(SIGNIN_FAILURE_LIMIT="10", SIGNIN_ADDRESS_FAILURE_LIMIT="5")
    )

    assert result.returncode != 0
    assert "SIGNIN_ADDRESS_FAILURE_LIMIT" in result.stderr


def test_the_test_clients_force_login_still_signs_people_in(client_as, manager):
    assert client_as(manager).get("/").status_code == 200
