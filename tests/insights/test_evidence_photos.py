from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from insights.models import Action
from journal.models import Photo
from tests.insights.helpers import EVIDENCE, in_progress, jpeg_upload

pytestmark = pytest.mark.django_db


def complete_url(action):
    return reverse("insights:action-complete", args=[action.pk])


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_complete_with_a_phone_photo_keeps_it_as_evidence(
    client_as, action, owner, django_capture_on_commit_callbacks
):
    in_progress(action, owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(owner).post(
            complete_url(action),
            {"version": action.version, "note": EVIDENCE, "photos": [jpeg_upload()]},
        )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    photo = action.evidence_photos.get()
    assert photo.uploaded_by == owner
    assert photo.observation is None


def test_an_invalid_evidence_photo_is_refused_on_the_field_and_nothing_is_kept(
    client_as, action, owner, settings
):
    in_progress(action, owner)
    fake = SimpleUploadedFile("after.jpg", b"this is not a picture", content_type="image/jpeg")

    response = client_as(owner).post(
        complete_url(action), {"version": action.version, "note": EVIDENCE, "photos": [fake]}
    )

    assert response.status_code == 400
    assert "after.jpg" in response.context["form"].errors["photos"][0]
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_a_refused_completion_keeps_neither_photo_rows_nor_files(
    client_as, action, owner, cx_lead, settings
):
    in_progress(action, owner)
    shown_version = Action.objects.get(pk=action.pk).version
    action.drop(by=cx_lead, reason="Replaced by the refit.")

    response = client_as(owner).post(
        complete_url(action),
        {"version": shown_version, "note": EVIDENCE, "photos": [jpeg_upload()]},
    )

    assert response.status_code == 409
    assert "changed the status from In progress to Dropped" in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", 200),
        ("cx_lead", 200),
        ("executive", 200),
        ("manager", 200),
        ("other_manager", 404),
    ],
)
def test_evidence_photo_is_served_only_to_those_who_see_the_action(
    client_as, cast, action, owner, role, expected, django_capture_on_commit_callbacks
):
    in_progress(action, owner)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(owner).post(
            complete_url(action),
            {"version": action.version, "note": EVIDENCE, "photos": [jpeg_upload()]},
        )
    photo = Action.objects.get(pk=action.pk).evidence_photos.get()

    response = client_as(cast[role]).get(
        reverse("insights:evidence-photo", args=[action.pk, photo.pk, "thumbnail"])
    )

    assert response.status_code == expected
