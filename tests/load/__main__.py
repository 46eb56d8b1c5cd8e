"""`make load`: a bounded load test of the real stack on this machine's loopback only.

It makes its own PostgreSQL database (DATABASE_URL's name with `_load`), seeds managers
with a session in progress and executives, each already signed in, starts gunicorn (and a
Celery worker when CELERY_BROKER_URL is set) on 127.0.0.1, lets Locust run for the given
time, stops everything it started, drops the database, prints the figures, and exits
non-zero on any server error or when saved posts and stored rows differ.
"""

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

from tests.load.summary import Stored, problems, read_samples, report

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}
MANAGERS_PER_STORE = 10


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make load", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="simulated managers")
    parser.add_argument("--seconds", type=int, default=120, help="how long the load runs")
    parser.add_argument("--executives", type=int, help="default: one per 20 managers, 2 at least")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--photo-share", type=float, default=0.3, help="posts with a photo")
    args = parser.parse_args()
    if args.users < 1 or args.seconds < 1 or args.workers < 1:
        parser.error("--users, --seconds and --workers must be at least 1.")
    if args.executives is None:
        args.executives = max(2, args.users // 20)
    return args


def load_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        sys.exit(
            "make load needs PostgreSQL: set DATABASE_URL=postgres://... (its database name "
            "gets a _load suffix). SQLite serialises every write, so several gunicorn workers "
            "would measure its file lock, not the site."
        )
    return parts._replace(path=f"{parts.path.rstrip('/')}_load").geturl()


def recreate_database(url: str, *, create: bool = True) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def site_environment(database_url: str, workdir: Path) -> dict[str, str]:
    """Production settings, on the loopback's plain HTTP."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }


def seed(managers: int, executives: int, photo_share: float) -> dict:
    """Accounts, a store per ten managers, a session in progress each, and signed-in cookies."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from immersion.models import ImmersionSession, Role, SessionType, Team, User

    def signed_in(user) -> dict:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        # An unmasked CSRF secret is a valid token for both the cookie and the form.
        return {"sessionid": store.session_key, "csrftoken": get_random_string(32)}

    def person(username: str, role: Role, team: Team) -> User:
        user = User.objects.create(username=username, email=f"{username}@example.com")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.teams.add(team)
        user.groups.add(Group.objects.get_or_create(name=role.label)[0])
        return user

    region = Team.objects.create(name="Load region", kind=Team.Kind.REGION)
    stores = [
        Team.objects.create(name=f"Load store {n}", kind=Team.Kind.STORE, parent=region)
        for n in range(-(-managers // MANAGERS_PER_STORE))
    ]
    floor_walk = SessionType.objects.create(
        name="Load floor walk", purpose="Walk the store as a shopper would.",
        default_duration=dt.timedelta(hours=1),
    )  # fmt: skip
    now = timezone.now()
    plan = {"managers": [], "executives": [], "photo_share": photo_share}
    for n in range(managers):
        manager = person(f"load-manager-{n}", Role.MANAGER, stores[n // MANAGERS_PER_STORE])
        session = ImmersionSession.objects.create(
            session_type=floor_walk, team=manager.teams.get(), lead=manager, place="Shop floor",
            planned_start=now, planned_end=now + dt.timedelta(hours=3), brief="Fitting rooms.",
        )  # fmt: skip
        session.start(by=manager)
        plan["managers"].append({**signed_in(manager), "session": session.pk})
    for n in range(executives):
        executive = person(f"load-executive-{n}", Role.EXECUTIVE, region)
        plan["executives"].append(signed_in(executive))
    plan["executive_count"] = executives
    plan["stores"] = [store.pk for store in stores]
    return plan


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    # Its own process group, so stopping it stops the children it forked too.
    return subprocess.Popen(  # noqa: S603 - our own programs from this virtualenv
        command, env=env, cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start-up:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - the loopback URL we built
            return
        except urllib.error.HTTPError:
            return  # answering at all is what counts here; /health/ may say 503
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


def run_load(args, env: dict, host: str, workdir: Path) -> Path:
    samples = workdir / "samples.jsonl"
    command = [
        str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "--host", host,
        "--users", str(args.users + args.executives),
        "--spawn-rate", str(max(1, (args.users + args.executives) // 10)),
        "--run-time", f"{args.seconds}s", "--stop-timeout", "65",
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    locust_env = {**env, "LOAD_PLAN": str(workdir / "plan.json"), "LOAD_SAMPLES": str(samples)}
    # Bounded twice: Locust stops itself after --run-time; this stops Locust if it does not.
    subprocess.run(  # noqa: S603 - our own Locust from this virtualenv
        command, env=locust_env, cwd=REPO, check=False, timeout=args.seconds + 180,
        stdout=(workdir / "locust.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    if not samples.exists():
        sys.exit(f"Locust wrote no figures:\n{(workdir / 'locust.log').read_text()[-3000:]}")
    return samples


def main() -> int:
    args = arguments()
    database_url = load_database_url()
    workdir = Path(tempfile.mkdtemp(prefix="immersion-load-"))
    env = site_environment(database_url, workdir)
    broker = env.get("CELERY_BROKER_URL", "").strip()
    recreate_database(database_url)
    try:
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immersion.settings")
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        plan = seed(args.users, args.executives, args.photo_share)
        (workdir / "plan.json").write_text(json.dumps(plan))
        connections.close_all()

        port = free_port()
        host = f"http://127.0.0.1:{port}"
        print(
            f"Load: {args.users} managers and {args.executives} executives for "
            f"{args.seconds} s against gunicorn ({args.workers} workers) at {host}, "
            f"Celery {'worker on ' + broker if broker else 'in-process'}.",
            flush=True,
        )
        with ExitStack() as running:
            site_log = workdir / "gunicorn.log"
            site = start(
                [str(BIN / "gunicorn"), "immersion.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(args.workers), "--timeout", "60"],
                env, site_log,
            )  # fmt: skip
            running.callback(stop, site)
            if broker:
                worker = start(
                    [str(BIN / "celery"), "-A", "immersion", "worker", "--concurrency", "1",
                     "--loglevel", "WARNING", "--purge"],
                    env, workdir / "celery.log",
                )  # fmt: skip
                running.callback(stop, worker)
            wait_until_up(f"{host}/health/", site, site_log)
            samples = read_samples(run_load(args, env, host, workdir))

        from journal.models import Observation, Photo

        stored = Stored(observations=Observation.objects.count(), photos=Photo.objects.count())
        connections.close_all()
        print(report(samples, stored))
        return 1 if problems(samples, stored) else 0
    finally:
        recreate_database(database_url, create=False)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
