"""Renditions, e-mails and scans run on their own queues: a burst of photos never holds up
an e-mail, because the workers that send e-mail never take a photo."""

import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from insights.models import Action, Notification
from journal import images
from journal.models import Photo
from tests.insights.helpers import in_days
from tests.journal import corpus
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
BURST = 60


def twelve_megapixels() -> images.PreparedPhoto:
    picture = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return images.prepare(corpus.upload("burst.jpg", out.getvalue()))


def sent_subjects(folder: Path) -> list[str]:
    return [
        line
        for path in folder.glob("*.log")
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    ]


def test_an_assignment_e_mail_goes_out_while_a_burst_of_photos_waits_for_its_worker(
    celery_worker_factory, tmp_path, manager, owner, cx_lead, store_a
):
    outbox = tmp_path / "mail"
    outbox.mkdir()
    # django-environ drops one slash of the path: four make it absolute.
    env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "EMAIL_URL": f"filemail:///{outbox}"}
    celery_worker_factory(queues="notices,scheduled", **env)
    celery_worker_factory(queues="photos", **env)
    prepared = twelve_megapixels()
    with images.photo_transaction() as batch:
        photos = [batch.save(prepared, manager) for _ in range(BURST)]

    assigned = time.perf_counter()
    Action.create(by=cx_lead, title="Fix the lift", owner=owner, team=store_a, due_on=in_days(4))
    wait_for(
        lambda: Notification.objects.filter(state=Notification.State.SENT).exists(),
        30,
        "the assignment e-mail was never sent",
    )
    mailed_after = time.perf_counter() - assigned
    still_waiting = Photo.objects.exclude(state=Photo.State.READY).count()

    assert sent_subjects(outbox) == ["Subject: New action for you: Fix the lift"]
    assert still_waiting >= BURST // 2
    wait_for(
        lambda: not Photo.objects.exclude(state=Photo.State.READY).exists(),
        180,
        "the burst of photos was never made ready",
    )
    burst_done = time.perf_counter() - assigned
    assert Photo.objects.filter(pk__in=[p.pk for p in photos], state=Photo.State.READY).count() == (
        BURST
    )
    print(
        f"\nqueues: e-mail sent {mailed_after:.1f} s after the assignment with {still_waiting} "
        f"of {BURST} photos still waiting; all photos ready after {burst_done:.1f} s"
    )
