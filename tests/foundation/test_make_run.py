"""`make run` on any host and port, refusing a busy port first, and the demo's sign-in help."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from immersion import devserver

REPO = Path(__file__).resolve().parents[2]
RESET_COMMAND = "DEBUG=true .venv/bin/python manage.py changepassword maria"


@pytest.fixture
def busy_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_check(host: str, port: int) -> subprocess.CompletedProcess:
    # Run as `make run` runs it: the file on its own, before anything is installed.
    return subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, "immersion/devserver.py", "check", host, str(port)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_busy_port_is_refused_saying_what_to_do(busy_port):
    result = run_check("127.0.0.1", busy_port)

    assert result.returncode == 1
    assert f"Port {busy_port} on 127.0.0.1 is already in use" in result.stderr
    assert f"make run PORT={busy_port + 1}" in result.stderr


def test_a_port_busy_on_loopback_is_busy_for_every_address_too(busy_port):
    assert run_check("0.0.0.0", busy_port).returncode == 1  # noqa: S104


def test_a_free_port_passes_quietly_on_loopback():
    result = run_check("127.0.0.1", free_port())

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_an_unknown_host_is_refused_with_the_reason():
    result = run_check("no-such-host.invalid", free_port())

    assert result.returncode == 1
    assert "Cannot listen on no-such-host.invalid" in result.stderr


def test_serving_every_address_names_where_a_phone_can_reach_it(monkeypatch):
    monkeypatch.setattr(devserver, "own_addresses", lambda: ["192.168.1.23"])

    assert devserver.reachable_at("0.0.0.0") == ["192.168.1.23"]  # noqa: S104
    assert devserver.allowed_hosts("0.0.0.0") == [  # noqa: S104
        "127.0.0.1",
        "localhost",
        "[::1]",
        "192.168.1.23",
    ]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.0.1.1"])
def test_serving_only_this_machine_allows_only_loopback_names(host):
    assert devserver.allowed_hosts(host) == ["127.0.0.1", "localhost", "[::1]"]


def test_serving_one_address_allows_that_address():
    assert devserver.allowed_hosts("192.168.1.23")[-1] == "192.168.1.23"


def test_the_machines_own_addresses_leave_out_loopback():
    for address in devserver.own_addresses():
        assert not address.startswith("127.")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_checks_the_port_before_setting_anything_up():
    # A dry run: nothing is installed, migrated or served. Run under `make test`, the
    # outer make's variables would make this one announce the directories it enters.
    outer = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "HOST=0.0.0.0", "PORT=8080"],  # noqa: S607
        cwd=REPO,
        env={name: value for name, value in os.environ.items() if name not in outer},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()

    check = next(i for i, line in enumerate(plan) if "devserver.py check 0.0.0.0 8080" in line)
    first_setup = next(
        i for i, line in enumerate(plan) if "pip install" in line or "migrate" in line
    )
    assert check < first_setup
    assert 'ALLOWED_HOSTS="$(python3 immersion/devserver.py hosts 0.0.0.0)"' in plan[-1]
    assert plan[-1].endswith("runserver 0.0.0.0:8080")


@pytest.mark.django_db
def test_the_sign_in_page_in_debug_says_where_the_demo_logins_are(client, settings):
    settings.DEBUG = True

    html = client.get("/accounts/login/").content.decode()

    assert "Demo logins" in html
    assert "printed their passwords once" in html
    assert RESET_COMMAND in html


@pytest.mark.django_db
def test_the_sign_in_page_in_production_says_nothing_of_demo_logins(client, settings):
    settings.DEBUG = False

    html = client.get("/accounts/login/").content.decode()

    assert "Demo logins" not in html
    assert "changepassword" not in html
