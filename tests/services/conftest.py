"""Services tests: real PostgreSQL, real Redis and real Celery worker processes.

Every test in this folder is marked `services`. They need DATABASE_URL pointing at
PostgreSQL and CELERY_BROKER_URL at Redis; otherwise they skip saying why (or fail
when REQUIRE_SERVICES is set). In this folder tasks are sent to the broker for real.

Fixtures:
  celery_worker_process  a started `celery worker` subprocess on the test database
  celery_worker_factory  start(**env) -> another worker, for tests that need two
  kill_worker_mid_task   kill_worker_mid_task(task_name) -> SIGKILL the process running it
  wait_for(predicate, timeout, message)  poll until true (a helper, not a fixture)

Tests using a worker get `transactional_db`: the worker is another process and sees
only committed rows.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection, transaction

from immersion.celery import app as celery_app
from tests.conftest import skip_or_fail

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORKER_APP = "tests.services.worker_app"
# Between two looks at another process: polling, never a timed assertion.
POLL_SECONDS = 0.1
# How long a starting worker may take to log that it is ready before it is pinged anyway.
READY_LOG_SECONDS = 10


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.services)


def wait_for(predicate, timeout: float, message: str, interval: float = POLL_SECONDS):
    """Call predicate until it returns something truthy and return that, or fail after timeout."""
    deadline = time.perf_counter() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.perf_counter() > deadline:
            pytest.fail(f"{message} (waited {timeout:g} s)")
        time.sleep(interval)


@contextmanager
def row_locked(model, pk, wait_seconds: float = 60):
    """Hold a row's lock in another thread and connection until the block ends.

    A task that claims the row waits on the lock, so it is certainly mid-query (to be
    killed, or to have its connection ended) while the block runs.
    """
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                model.objects.select_for_update().get(pk=pk)
                locked.set()
                release.wait(wait_seconds)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(30), "the row was never locked"
    try:
        yield
    finally:
        release.set()
        holder.join(30)


def race(*calls, expected: tuple[type[Exception], ...] = ()) -> list:
    """Run the calls at the same moment, each in its own thread and database connection.

    Returns what each returned, in call order; an exception of an ``expected`` type is
    returned in its place, any other one fails the test.
    """
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(number, call):
        barrier.wait()
        try:
            results[number] = call()
        except expected as exc:
            results[number] = exc
        except BaseException as exc:  # handed to the test thread, which fails with it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def _missing_service() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL does not point at PostgreSQL"
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith(("redis://", "rediss://")):
        return "CELERY_BROKER_URL does not point at Redis"
    import redis

    try:
        redis.Redis.from_url(broker, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at CELERY_BROKER_URL does not answer ({exc})"
    return None


@pytest.fixture(scope="session")
def _services_status():
    return _missing_service()


@pytest.fixture(autouse=True)
def _require_services(_services_status):
    if _services_status:
        skip_or_fail(_services_status)


def _test_database_url() -> str:
    """DATABASE_URL, but naming the database pytest-django created for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class CeleryWorker:
    """One `celery worker` subprocess (prefork, so a task can die without the worker)."""

    def __init__(self, env: dict[str, str], log_path: Path, concurrency: int = 1, queues: str = ""):
        self.env = env
        self.log_path = log_path
        self.concurrency = concurrency
        self.queues = queues
        self.hostname = f"test-{secrets.token_hex(4)}@{socket.gethostname()}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "CeleryWorker":
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            WORKER_APP,
            "worker",
            "--pool=prefork",
            f"--concurrency={self.concurrency}",
            f"--hostname={self.hostname}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *([f"--queues={self.queues}"] if self.queues else []),
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command,
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._started = time.perf_counter()
        wait_for(self._answers_ping, timeout, f"Celery worker {self.hostname} never got ready")
        return self

    def _answers_ping(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"Celery worker exited with {self.process.returncode}:\n{self.log_tail()}")
        # A ping before the worker is up waits its whole timeout for nothing; the worker
        # logs when it is ready, so it is asked only then (or if that line is slow to come).
        if not self._logged_ready() and time.perf_counter() < self._started + READY_LOG_SECONDS:
            return False
        return bool(celery_app.control.ping(destination=[self.hostname], timeout=0.5))

    def _logged_ready(self) -> bool:
        return f"{self.hostname} ready." in self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def active_tasks(self) -> list[dict]:
        replies = celery_app.control.inspect(destination=[self.hostname], timeout=0.5).active()
        return (replies or {}).get(self.hostname, [])

    def kill_mid_task(self, task_name: str | None = None, timeout: float = 30) -> dict:
        """Wait until the worker runs a task (of that name), then SIGKILL the process running it.

        The worker survives and, since tasks ack late and are rejected when their
        process is lost, the broker hands the task out again. Returns the task's info.
        """

        def running():
            return next(
                (t for t in self.active_tasks() if task_name in (None, t["name"])),
                None,
            )

        task = wait_for(running, timeout, f"no {task_name or 'task'} started on {self.hostname}")
        os.kill(task["worker_pid"], signal.SIGKILL)
        return task

    def kill(self) -> None:
        """SIGKILL the whole worker, as a machine losing power would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """Warm shutdown: finish the running task, hand back the rest, exit."""
        stop_workers([self])


def stop_workers(workers: list[CeleryWorker]) -> None:
    """Warm shutdown of every worker at once (each takes a second or more to go)."""
    running = [w for w in workers if w.process and w.process.poll() is None]
    for worker in running:
        os.killpg(worker.process.pid, signal.SIGTERM)
    for worker in running:
        try:
            worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture
def celery_worker_factory(transactional_db, tmp_path):
    """start(concurrency, queues, **env) -> a ready CeleryWorker on the test database.

    ``queues`` (comma-separated) limits the worker to those queues; by default it takes
    all of them. Every worker is stopped at teardown.
    """
    import tests.services.worker_app  # noqa: F401 - registers the probe tasks for dispatch

    # Leftovers of an earlier, interrupted run must not reach this test's worker.
    celery_app.control.purge()
    workers: list[CeleryWorker] = []

    def start(concurrency: int = 1, queues: str = "", **env: str) -> CeleryWorker:
        worker_env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "PYTHONPATH": str(REPO),
            "DJANGO_SETTINGS_MODULE": "immersion.settings",
            **env,
        }
        worker_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        log_path = tmp_path / f"celery-worker-{len(workers)}.log"
        worker = CeleryWorker(worker_env, log_path, concurrency, queues)
        workers.append(worker)
        return worker.start()

    yield start
    stop_workers(workers)


@pytest.fixture
def celery_worker_process(celery_worker_factory):
    return celery_worker_factory()


@pytest.fixture
def kill_worker_mid_task(celery_worker_process):
    return celery_worker_process.kill_mid_task


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once, as production serves them, for the gunicorn tests."""
    from tests.services.web import collect_static  # web.py imports this module

    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root
