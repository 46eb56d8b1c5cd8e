"""The photo pipeline: check an upload by its content, store a clean original, make renditions.

An upload is trusted for nothing: not its name, not its declared type. It must open as
one still JPEG, PNG, WebP or HEIC image of a sane size, and only its pixels, in sRGB, are
re-encoded and kept: no metadata (location above all), comment, colour profile or trailing
bytes survives. Renditions are made later by a task, the same way.

Other apps store and serve photos through ``store_photo`` and ``serve_photo`` so every
image in the product goes through the same checks.
"""

import datetime as dt
import hashlib
import io
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import pillow_heif
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError

from journal.models import Photo, queue_renditions
from journal.pixels import SUPPORTED_MODES, pixels_in_srgb

pillow_heif.register_heif_opener()

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
ACCEPTED_LABEL = "a JPEG, PNG, WebP or HEIC photo"
ORIGINAL_QUALITY = 90
VARIANTS = ("original", "display", "thumbnail")


class PhotoRejected(ValidationError):
    """An upload refused, with a message that names the file and says why."""

    def __init__(self, filename: str, reason: str):
        self.filename = filename
        self.reason = reason
        super().__init__(f"{filename}: {reason}", code="invalid_photo")


@dataclass
class PreparedPhoto:
    """A checked upload, re-encoded and ready to store; nothing is written yet."""

    content: bytes
    extension: str
    width: int
    height: int
    captured_at: dt.datetime | None
    source_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def display_name(upload) -> str:
    name = (getattr(upload, "name", "") or "photo").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:80] or "photo"


def prepare(upload) -> PreparedPhoto:
    """Check one upload by its content and re-encode it; raise PhotoRejected if it is unfit."""
    name = display_name(upload)
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise PhotoRejected(name, "the file is empty.")
    if size > settings.PHOTO_MAX_BYTES:
        raise PhotoRejected(
            name,
            f"the file is {filesizeformat(size)}; photos may be at most "
            f"{filesizeformat(settings.PHOTO_MAX_BYTES)}.",
        )
    try:
        image = _open_checked(upload, name, size)
        captured_at = _captured_at(image)
        image = ImageOps.exif_transpose(image)
        return _reencode(image, name, captured_at)
    except PhotoRejected:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        # Pillow reports truncated and corrupt data as OSError or SyntaxError.
        raise PhotoRejected(
            name, "the image is damaged or incomplete; take or choose it again."
        ) from None


def _open_checked(upload, name: str, size: int) -> Image.Image:
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only the accepted formats' parsers ever see the bytes.
            probe = Image.open(upload, formats=sorted(ACCEPTED_FORMATS))
        except UnidentifiedImageError:
            probe = None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise PhotoRejected(name, _too_many_pixels_message()) from None
        if probe is None or probe.format not in ACCEPTED_FORMATS:
            raise PhotoRejected(name, f"this is not {ACCEPTED_LABEL}.")
        # Only the header has been read so far: refuse a decompression bomb before decoding.
        width, height = probe.size
        if width * height > settings.PHOTO_MAX_PIXELS:
            raise PhotoRejected(name, _too_many_pixels_message(width, height))
        if getattr(probe, "n_frames", 1) > 1:
            raise PhotoRejected(name, "animated images are not accepted; send a still photo.")
        if probe.mode not in SUPPORTED_MODES:
            raise PhotoRejected(
                name,
                f"its pixels are stored in a way a photo cannot be shown ({probe.mode}); "
                "save it as an ordinary JPEG or PNG.",
            )
        probe.verify()
        upload.seek(0)
        image = Image.open(upload, formats=[probe.format])
        whole_file_at_once(image, size)
        image.load()
    return image


def _too_many_pixels_message(width=None, height=None) -> str:
    limit = f"photos may have at most {settings.PHOTO_MAX_PIXELS / 1_000_000:g} megapixels."
    if width is None:
        return f"the image has far too many pixels; {limit}"
    return f"the image is {width} x {height} pixels; {limit}"


def _captured_at(image: Image.Image) -> dt.datetime | None:
    exif = image.getexif()
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        naive = dt.datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None
    offset = sub.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, str):
        try:
            return dt.datetime.fromisoformat(naive.isoformat() + offset.strip("\x00 "))
        except ValueError:
            pass
    # Cameras write local time without a zone; the site's zone is the best guess.
    return timezone.make_aware(naive)


def _reencode(image: Image.Image, name: str, captured_at) -> PreparedPhoto:
    pixels = pixels_in_srgb(image)
    out = io.BytesIO()
    # Untagged sRGB: what browsers assume, and no profile bytes from the upload survive.
    if pixels.mode == "RGBA":
        pixels.save(out, "PNG", optimize=False)
        extension = "png"
    else:
        pixels.save(out, "JPEG", quality=ORIGINAL_QUALITY, optimize=True)
        extension = "jpg"
    return PreparedPhoto(
        content=out.getvalue(),
        extension=extension,
        width=pixels.width,
        height=pixels.height,
        captured_at=captured_at,
        source_name=name,
    )


def prepare_all(uploads) -> list[PreparedPhoto]:
    """Check a batch; every problem is reported together, and nothing is kept if any fails."""
    uploads = list(uploads)
    limit = settings.PHOTO_MAX_PER_OBSERVATION
    if len(uploads) > limit:
        raise ValidationError(
            f"You chose {len(uploads)} photos; at most {limit} can go with one observation.",
            code="too_many_photos",
        )
    prepared, errors = [], []
    for upload in uploads:
        try:
            prepared.append(prepare(upload))
        except PhotoRejected as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return prepared


class PhotoBatch:
    """Photos written inside one ``photo_transaction``; their files go if it rolls back."""

    def __init__(self):
        self.written: list[str] = []

    def save(self, prepared: PreparedPhoto, uploaded_by, observation=None) -> Photo:
        """Write the clean original under a random name and record it; renditions on commit."""
        photo_id = uuid.uuid4()
        now = timezone.now()
        name = default_storage.save(
            f"photos/{now:%Y/%m}/{photo_id.hex}.{prepared.extension}",
            ContentFile(prepared.content),
        )
        self.written.append(name)
        photo = Photo.objects.create(
            id=photo_id,
            observation=observation,
            uploaded_by=uploaded_by,
            original=name,
            width=prepared.width,
            height=prepared.height,
            byte_size=len(prepared.content),
            sha256=prepared.sha256,
            captured_at=prepared.captured_at,
        )
        queue_renditions(photo.pk)
        return photo


@contextmanager
def photo_transaction():
    """``transaction.atomic()`` that also removes the files it wrote when it rolls back.

    Use it as the outermost transaction of the change the photos belong to, so the rows
    and the files are kept together or not at all.

    Files are removed only when the block itself failed, which certainly rolled the rows
    back. An error from the commit, or from anything run after it, leaves them: the rows
    may well be committed, and a file no row refers to is found later by the
    ``remove_orphan_media`` command.
    """
    batch = PhotoBatch()
    committing = False
    try:
        with transaction.atomic():
            yield batch
            committing = True
    except BaseException:
        if not committing:
            for name in batch.written:
                default_storage.delete(name)
        raise


def store_photo(upload, uploaded_by, observation=None) -> Photo:
    """Check, clean and store one upload through the whole pipeline; raises PhotoRejected."""
    prepared = prepare(upload)
    with photo_transaction() as batch:
        return batch.save(prepared, uploaded_by, observation)


def whole_file_at_once(image: Image.Image, size: int) -> None:
    """Hand the decoder the whole file in one read instead of 64 kB pieces: a JPEG decoder
    that runs out of data mid-row backs up and starts the row again, which costs a quarter
    of the decoding time on a camera photo."""
    image.decodermaxblock = max(size, ImageFile.MAXBLOCK)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        base = {"accept": "image/*", "multiple": True}
        super().__init__({**base, **(attrs or {})})


class PhotoUploadsField(forms.FileField):
    """Several photos in one field; cleans to a list of PreparedPhoto, all checked or none."""

    widget = MultipleImageInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return prepare_all(files)


def serve_photo(request, photo: Photo, variant: str):
    """Send one variant of a photo the caller has already authorised the user to see."""
    if variant not in VARIANTS:
        raise Http404("No such photo size.")
    field = photo.file_for(variant)
    if not field:
        raise Http404("This photo size is not ready yet.")
    from django.utils.cache import get_conditional_response

    name = field.name
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    if not settings.MEDIA_ACCEL_REDIRECT_PREFIX and not isinstance(
        default_storage, FileSystemStorage
    ):
        # Object storage: hand out a short-lived signed URL instead of proxying the bytes.
        response = HttpResponseRedirect(default_storage.url(name))
        response["Cache-Control"] = "private, no-store"
        return response
    # A shared phone must not show a photo from its cache once its user has signed out,
    # so the browser asks every time; a stored file never changes under its name, which
    # makes the answer a cheap 304 while the session lasts.
    etag = f'"{hashlib.sha256(name.encode()).hexdigest()[:32]}"'
    if not (response := get_conditional_response(request, etag=etag)):
        if settings.MEDIA_ACCEL_REDIRECT_PREFIX:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = (
                settings.MEDIA_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + name
            )
        else:
            try:
                handle = default_storage.open(name, "rb")
            except FileNotFoundError:
                raise Http404("The photo file is missing.") from None
            response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    extension = name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="{photo.pk}-{variant}.{extension}"'
    return response
