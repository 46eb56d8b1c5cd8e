"""The site as production runs it: gunicorn with several worker processes, and a browser.

A `Gunicorn` server listens on a free loopback port, on the test database, and logs
which worker process answered each request. A `Browser` keeps its cookies, signs in
through the real form and can replay an old cookie. A `ThrowawayRedis` is a Redis
server of the test's own, to stop at will (the shared one is never touched).
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from tests.services.conftest import REPO, wait_for

PASSWORD = "correct horse battery staple"
# The access log names the worker process and the request, so a test can tell who answered.
ACCESS_LOG_FORMAT = '%(p)s %(s)s "%(r)s"'
ACCESS_LINE = re.compile(r'^<(\d+)> (\d{3}) "(\w+) (\S+) ')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url: str, static_root: Path, **env: str) -> dict[str, str]:
    """A production environment (DEBUG off) that serves plain HTTP on loopback."""
    return {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "immersion.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "CACHE_URL": "",
        "CELERY_BROKER_URL": "",
        **env,
    }


def collect_static(static_root: Path) -> None:
    env = production_env("sqlite:///:memory:", static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )


class Gunicorn:
    def __init__(self, env: dict[str, str], log_dir: Path, workers: int = 2):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.access_log = log_dir / f"gunicorn-{self.port}-access.log"
        self.error_log = log_dir / f"gunicorn-{self.port}-error.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "Gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "immersion.wsgi",
            f"--workers={self.workers}",
            f"--bind=127.0.0.1:{self.port}",
            "--timeout=30",
            f"--access-logfile={self.access_log}",
            f"--access-logformat={ACCESS_LOG_FORMAT}",
            f"--error-logfile={self.error_log}",
            # Several servers (and tests) run side by side; none needs the shared control socket.
            "--no-control-socket",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=REPO, env=self.env, start_new_session=True
        )
        wait_for(self._answers, timeout, "gunicorn never answered")
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
        try:
            Browser(self).get("/accounts/login/")
        except OSError:
            return False
        return True

    def log_tail(self, lines: int = 40) -> str:
        if not self.error_log.exists():
            return ""
        return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])

    def answered(self) -> list[tuple[int, int, str, str]]:
        """(worker pid, status, method, path) for every request logged so far."""
        if not self.access_log.exists():
            return []
        lines = self.access_log.read_text(errors="replace").splitlines()
        return [
            (int(m[1]), int(m[2]), m[3], m[4]) for line in lines if (m := ACCESS_LINE.match(line))
        ]

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Browser:
    """Cookies and forms over plain HTTP/1.1, one connection per request, no redirects followed."""

    server: Gunicorn
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None) -> Reply:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            reply = Reply(
                status=response.status,
                headers={k.lower(): v for k, v in response.getheaders()},
                body=response.read(),
                seconds=time.perf_counter() - started,
            )
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        finally:
            connection.close()
        return reply

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Reply:
        if "csrftoken" not in self.cookies:
            self.get("/accounts/login/")
        return self.request("POST", path, form)

    def sign_in(self, username: str, password: str = PASSWORD) -> Reply:
        reply = self.post("/accounts/login/", {"username": username, "password": password})
        assert reply.status == 302, f"sign-in answered {reply.status}: {reply.body[:300]!r}"
        return reply


class ThrowawayRedis:
    """A redis-server of the test's own, nothing saved, on a free loopback port."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "ThrowawayRedis":
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed")
        self.process = subprocess.Popen(  # noqa: S603 - the installed redis-server
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            cwd=self.log_dir,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_for(self._pings(client), 30, "the throw-away redis-server never answered")
        return self

    @staticmethod
    def _pings(client):
        def ping():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        return ping

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
