"""Small builders the insights tests share."""

import datetime as dt

from django.utils import timezone

EVIDENCE = "An attendant is now rostered on the fitting rooms every hour."


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def in_progress(action, by):
    action.start(by=by)
    return action


def done(action, by):
    in_progress(action, by)
    action.complete(by=by, note=EVIDENCE)
    return action


def verified(action, by, verifier):
    done(action, by)
    action.verify(by=verifier)
    return action


def jpeg_upload(name: str = "after.jpg", size=(64, 48)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
