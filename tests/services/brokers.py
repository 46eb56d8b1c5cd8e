"""Brokers that can be taken away: a throw-away Redis server, and pointing the publisher at one.

The shared Redis of the test run is never stopped. A test that needs the broker to fail
starts its own ``redis-server`` on a free port, points this process (and the workers it
starts) at it, and kills it; or publishes to a port where nothing listens.
"""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from immersion.celery import app as celery_app

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_port_url() -> str:
    """A Redis URL where nothing listens: every publish is refused."""
    return f"redis://127.0.0.1:{free_port()}/0"


class ThrowAwayRedis:
    """A ``redis-server`` of our own, without persistence, that a test may kill and restart."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> "ThrowAwayRedis":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own arguments
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.perf_counter() + timeout
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.perf_counter() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server on port {self.port} did not start") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: the broker is gone at once, with everything it held in memory."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextmanager
def publishing_to(url: str):
    """This process's Celery app publishes to ``url`` (for real, not eagerly) for a while."""
    conf = celery_app.conf
    previous = conf.broker_url, conf.task_always_eager
    _forget_connections()
    conf.broker_url, conf.task_always_eager = url, False
    try:
        # Celery reads CELERY_BROKER_URL from the environment before its own settings.
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CELERY_BROKER_URL", url)
            yield
    finally:
        _forget_connections()
        conf.broker_url, conf.task_always_eager = previous


def _forget_connections() -> None:
    # The app keeps the pool of the broker it first used; kombu keeps every pool by its
    # URL, so the one dropped here is found again when its URL comes back.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
