"""A burst of photo uploads against real Celery workers, and an e-mail queued beside it.

On PostgreSQL and Redis, in a database of its own (``_bench_photo_burst``), it starts the
workers the README's production layout has: one prefork worker on the "photos" queue
(two processes by default) and one on "notices,scheduled" (one process). It stores the
photos as the capture page does (``record_observation``: one observation with one photo
a post, renditions queued on commit) with the photo workers told to stop taking, so the
whole burst waits in the queue as when many phones send at once. It then queues an
assignment e-mail (an action given to a new owner) and lets the photo workers go, both
at the same moment.

The photo is a 12-megapixel camera-like JPEG (sensor noise, quality 92), made and checked
once: preparing it is the web process's cost, not the workers', so every post stores the
same prepared photo under its own name. E-mail goes to files in a temporary folder, each
file's modification time being its send time.

Prints how long the photo workers took to make every rendition and their rate, and how
long the e-mail took from being queued to being sent while the photos waited.
Goal: the e-mail within 5 s, however many photos are waiting.

Run: make bench BENCH_ARGS="--only photo_burst" with DATABASE_URL=postgres://... and
CELERY_BROKER_URL=redis://... naming a Redis database no other worker uses: the bench
empties its three queues first, and stops if another worker answers on that broker.
"""

import os
import secrets
import socket
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.bench._databases import throwaway_database
from tests.bench.images import CAMERA_SIZE, camera_photo
from tests.load.__main__ import start, stop

MAIL_GOAL_SECONDS = 5
# Between two looks at the database and the mail folder.
POLL_SECONDS = 0.1
WORKER_START_SECONDS = 60
MAIL_TIMEOUT_SECONDS = 60


def add_arguments(parser) -> None:
    group = parser.add_argument_group("photo_burst")
    group.add_argument(
        "--burst-photos", type=int, default=200, metavar="N", help="photo uploads in the burst"
    )
    group.add_argument(
        "--burst-photo-concurrency",
        type=int,
        default=2,
        metavar="N",
        help="processes of the one worker on the photos queue",
    )


@dataclass
class Worker:
    queues: str
    process: object
    hostname: str
    log: Path


@dataclass
class Moments:
    """When each thing happened in the burst: wall-clock times, to compare with the rows'."""

    stored_seconds: float
    mail_queued: float
    released: float = 0.0
    mail_sent: float | None = None
    photos_done: bool = False


@dataclass
class Figures:
    photo_bytes: int
    stored_seconds: float
    ready_seconds: float | None
    ready: int
    failed: int
    mail_seconds: float | None
    waiting_at_mail: int | None


def missing_services() -> str | None:
    from django.db import OperationalError, connection
    from kombu.exceptions import OperationalError as BrokerError

    from immersion.celery import app

    if connection.vendor != "postgresql":
        return "DATABASE_URL does not name PostgreSQL"
    if not os.environ.get("CELERY_BROKER_URL", "").startswith(("redis://", "rediss://")):
        return "CELERY_BROKER_URL does not name Redis"
    try:
        # The server, not the configured database: the bench makes its own beside it.
        with connection._nodb_cursor():
            pass
    except OperationalError as exc:
        return f"PostgreSQL at DATABASE_URL does not answer ({exc})"
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1)
    except BrokerError as exc:
        return f"Redis at CELERY_BROKER_URL does not answer ({exc})"
    return None


def run(args) -> None:
    from immersion.celery import app

    missing = missing_services()
    if missing:
        print(
            f"skipped: {missing}. This bench needs real workers: set "
            "DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://..."
        )
        return
    # Another worker would take the bench's tasks and look for them in another database.
    others = app.control.ping(timeout=1)
    if others:
        names = ", ".join(name for reply in others for name in reply)
        print(f"skipped: other workers answer on this broker ({names}); give the bench its own")
        return
    leftovers = app.control.purge()
    if leftovers:
        print(f"emptied {leftovers} messages an earlier run left in the queues")
    with tempfile.TemporaryDirectory(prefix="photo-burst-") as folder:
        figures = measure(args, Path(folder))
    report(args, figures)


def measure(args, folder: Path) -> Figures:
    from django.db import connection

    prepared = prepared_photo(folder)
    media, outbox = folder / "media", folder / "mail"
    outbox.mkdir()
    env = worker_environment(media, outbox)
    with throwaway_database("bench_photo_burst"), media_storage(media):
        cast = seed()
        env["DATABASE_URL"] = database_url(connection.settings_dict["NAME"])
        workers = []
        try:
            photos = start_worker("photos", args.burst_photo_concurrency, env, folder)
            workers.append(photos)
            workers.append(start_worker("notices,scheduled", 1, env, folder))
            for worker in workers:
                wait_until_ready(worker)
            return burst(args.burst_photos, cast, prepared, photos, outbox)
        finally:
            for worker in workers:
                stop(worker.process)


def prepared_photo(folder: Path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from journal import images

    path = folder / "camera.jpg"
    camera_photo(path)
    return images.prepare(SimpleUploadedFile("camera.jpg", path.read_bytes(), "image/jpeg"))


def media_storage(media: Path):
    """The bench's photos in the same temporary folder the workers are given."""
    from django.conf import settings
    from django.test import override_settings

    default = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": media, "base_url": None},
    }
    return override_settings(MEDIA_ROOT=media, STORAGES={**settings.STORAGES, "default": default})


def worker_environment(media: Path, outbox: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "immersion.settings",
        "MEDIA_STORAGE_BACKEND": "django.core.files.storage.FileSystemStorage",
        "MEDIA_ROOT": str(media),
        # django-environ drops one slash of the path: four make it absolute.
        "EMAIL_URL": f"filemail:///{outbox}",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Cast:
    manager: object
    session: object
    cx_lead: object
    owner: object
    action: object


def seed() -> Cast:
    import datetime as dt

    from django.utils import timezone

    from insights.models import Action
    from tests import factories

    team = factories.TeamFactory(name="Bench store", kind="store")
    manager = factories.ManagerFactory(teams=[team])
    session = factories.SessionFactory(team=team, lead=manager)
    session.start(by=manager)
    cx_lead = factories.CxLeadFactory(teams=[team])
    # Owned by the CX lead who made it, so nothing is sent until it is given away.
    action = Action.create(
        by=cx_lead,
        title="Unlock the fitting rooms",
        owner=cx_lead,
        team=team,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    owner = factories.UserFactory(teams=[team])
    return Cast(manager, session, cx_lead, owner, action)


def start_worker(queues: str, concurrency: int, env: dict, folder: Path) -> Worker:
    name = queues.split(",")[0]
    hostname = f"bench-{name}-{secrets.token_hex(3)}@{socket.gethostname()}"
    command = [
        sys.executable, "-m", "celery", "-A", "immersion", "worker", "--pool=prefork",
        f"--concurrency={concurrency}", f"--queues={queues}", f"--hostname={hostname}",
        "--loglevel=WARNING", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    log = folder / f"worker-{name}.log"
    return Worker(queues, start(command, env, log), hostname, log)


def wait_until_ready(worker: Worker) -> None:
    from immersion.celery import app

    deadline = time.monotonic() + WORKER_START_SECONDS
    while not app.control.ping(destination=[worker.hostname], timeout=0.5):
        if worker.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(
                f"the {worker.queues} worker did not start:\n{worker.log.read_text()[-3000:]}"
            )


def hold(worker: Worker, holding: bool) -> None:
    """Stop or resume the worker's taking from its photos queue; the worker says when done."""
    from immersion.celery import app

    change = app.control.cancel_consumer if holding else app.control.add_consumer
    if not change("photos", destination=[worker.hostname], reply=True, timeout=5):
        raise RuntimeError(f"the photos worker did not answer ({worker.hostname})")


def burst(count: int, cast: Cast, prepared, photos: Worker, outbox: Path) -> Figures:
    from journal.models import Photo
    from journal.services import record_observation

    observation = observation_fields(cast)
    hold(photos, True)
    started = time.perf_counter()
    for _ in range(count):
        answer = {**observation, "client_uuid": uuid.uuid4()}
        record_observation(cast.session, cast.manager, answer, [prepared])
    moments = Moments(stored_seconds=time.perf_counter() - started, mail_queued=time.time())
    cast.action.edit(by=cast.cx_lead, owner=cast.owner)
    moments.released = time.time()
    hold(photos, False)

    unfinished = [Photo.State.PENDING, Photo.State.PROCESSING]
    photo_deadline = time.monotonic() + 60 + 5 * count
    mail_deadline = time.monotonic() + MAIL_TIMEOUT_SECONDS
    while True:
        if moments.mail_sent is None:
            moments.mail_sent = sent_at(outbox)
        moments.photos_done = not Photo.objects.filter(state__in=unfinished).exists()
        now = time.monotonic()
        if (moments.photos_done or now > photo_deadline) and (
            moments.mail_sent or now > mail_deadline
        ):
            break
        time.sleep(POLL_SECONDS)
    return figures(count, len(prepared.content), moments)


def observation_fields(cast: Cast) -> dict:
    """The capture tests' post, cleaned by the capture form as the view cleans it."""
    from journal.forms import CaptureForm
    from tests.journal.test_capture import fields

    form = CaptureForm(fields(), {}, session=cast.session, user=cast.manager)
    assert form.is_valid(), form.errors
    return form.observation_fields()


def sent_at(outbox: Path) -> float | None:
    """When the e-mail was written: the file backend writes one file per message here."""
    written = [
        path.stat().st_mtime
        for path in outbox.glob("*.log")
        if "Subject: New action for you" in path.read_text(errors="replace")
    ]
    return min(written, default=None)


def figures(count: int, photo_bytes: int, moments: Moments) -> Figures:
    import datetime as dt

    from django.db.models import Max

    from journal.models import Photo

    ready = Photo.objects.filter(state=Photo.State.READY)
    last = ready.aggregate(last=Max("state_changed_at"))["last"]
    mail_sent, mail_seconds, waiting = moments.mail_sent, None, None
    if mail_sent is not None:
        mail_seconds = mail_sent - moments.mail_queued
        sent = dt.datetime.fromtimestamp(mail_sent, tz=dt.UTC)
        waiting = count - ready.filter(state_changed_at__lte=sent).count()
    return Figures(
        photo_bytes=photo_bytes,
        stored_seconds=moments.stored_seconds,
        ready_seconds=last.timestamp() - moments.released if moments.photos_done and last else None,
        ready=ready.count(),
        failed=Photo.objects.filter(state=Photo.State.FAILED).count(),
        mail_seconds=mail_seconds,
        waiting_at_mail=waiting,
    )


def report(args, f: Figures) -> None:
    count, processes = args.burst_photos, args.burst_photo_concurrency
    width, height = CAMERA_SIZE
    print(
        f"workers: photos, 1 worker -Q photos --concurrency={processes} (prefork); "
        f"notices, 1 worker -Q notices,scheduled --concurrency=1; "
        f"prefetch 1, acks late; {os.cpu_count()} cores"
    )
    print(
        f"burst: {count} uploads of a {width} x {height} JPEG ({f.photo_bytes / 1e6:.1f} MB "
        f"as stored) by one process in {f.stored_seconds:.1f} s "
        f"({count / f.stored_seconds:.1f}/s), the photo workers held"
    )
    if f.ready_seconds is None:
        print(f"renditions: NOT all ready ({f.ready} ready, {f.failed} failed of {count})")
    else:
        rate = count / f.ready_seconds
        print(
            f"renditions: all {count} ready {f.ready_seconds:.1f} s after the workers were let "
            f"go: {rate:.2f} photos/s, {rate / processes:.2f} per worker process"
        )
    if f.mail_seconds is None:
        print(f"assignment e-mail: NOT sent within {MAIL_TIMEOUT_SECONDS} s")
        return
    verdict = "met" if f.mail_seconds <= MAIL_GOAL_SECONDS else "NOT met"
    print(
        f"assignment e-mail: sent {f.mail_seconds:.2f} s after it was queued, with "
        f"{f.waiting_at_mail} of {count} photos still waiting "
        f"(goal <= {MAIL_GOAL_SECONDS} s: {verdict})"
    )
