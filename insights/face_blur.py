"""Faces blurred out of a private photo before the public sees a copy of it.

The private original (already re-encoded without metadata when it was uploaded) is only
read. A working copy at most 1200 px on its longest side is searched for faces with the
Haar cascades that OpenCV's wheel carries (frontal, and profile facing either way), so
nothing is fetched at run time. Every face found and every box a CX lead drew is then
blurred past recognition: the box, a little enlarged, is reduced to a few blocks of colour
and smoothed. The result is a new JPEG carrying pixels only.

Boxes are ``[left, top, width, height]`` in pixels of the original, so they mean the same
whatever size the copy is made at.

Why this runs in the request and not in a Celery task: the CX lead is looking at the page,
waiting to see whether the faces are hidden before they publish, so a queued job would only
make them poll for the same result. The work is bounded (one photo, decoded at reduced
scale, searched at 1200 px: a second or two on one core), only CX leads can start it, the
search is cached per photo so a preview with more boxes only blurs and encodes again, and
"Publish" then means the copy is on the public page when the next page says so.
"""

import functools
import io
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from PIL import Image, ImageFilter

from journal.images import whole_file_at_once
from journal.pixels import on_white, pixels_in_srgb
from journal.renditions import fit

WORKING_SIDE = 1200
JPEG_QUALITY = 85
# Each box grows by this share of its size on every side: detectors frame the eyes and
# mouth tightly, leaving hair, ears and chin, which help to recognise someone.
MARGIN = 0.2
# A blurred box keeps at most this many blocks of colour across, then is smoothed: too
# little is left to recognise a face or read a badge, and no filter can bring it back.
BLOCKS = 6
# The smallest face searched for, as a share of the working copy's longest side.
SMALLEST_FACE = 0.02
# Part of the cache key: change it when the search changes, so old answers are not reused.
DETECTOR = "haar-v1"
DETECTION_CACHE_SECONDS = 7 * 24 * 3600

Box = list[int]


@dataclass
class BlurredCopy:
    content: bytes
    width: int
    height: int


@functools.cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    path = Path(cv2.data.haarcascades) / f"haarcascade_{name}.xml"
    classifier = cv2.CascadeClassifier(str(path))
    if classifier.empty():
        raise ImproperlyConfigured(
            f"OpenCV's {path.name} is missing: install the opencv-python-headless pinned in "
            "pyproject.toml, whose wheel carries the cascades."
        )
    return classifier


def working_image(photo) -> tuple[Image.Image, float]:
    """The original as sRGB pixels at most WORKING_SIDE long, and its scale from the original."""
    with default_storage.open(photo.original.name, "rb") as source:
        data = source.read()
    # Only what the upload pipeline stored is read here.
    image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG"])
    whole_file_at_once(image, len(data))
    original_width = image.width
    target = fit(image.size, WORKING_SIDE)
    if image.format == "JPEG":
        # Decoded at a reduced scale no smaller than the target: a large photo never has
        # to sit in memory at full size.
        image.draft("RGB", target)
    image = on_white(pixels_in_srgb(image))
    if image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS)
    return image, image.width / original_width


def detect_faces(image: Image.Image) -> list[Box]:
    """Faces in the image, as boxes in its own pixels; overlapping finds are merged."""
    grey = cv2.equalizeHist(np.asarray(image.convert("L")))
    smallest = max(20, round(SMALLEST_FACE * max(image.size)))
    size = (smallest, smallest)
    found = [
        list(map(int, box))
        for box in _cascade("frontalface_default").detectMultiScale(
            grey, scaleFactor=1.1, minNeighbors=4, minSize=size
        )
    ]
    # The profile cascade knows faces turned one way only; the mirror image finds the others.
    profile = _cascade("profileface")
    for flipped in (False, True):
        searched = cv2.flip(grey, 1) if flipped else grey
        for x, y, w, h in profile.detectMultiScale(
            searched, scaleFactor=1.2, minNeighbors=4, minSize=size
        ):
            left = image.width - int(x) - int(w) if flipped else int(x)
            found.append([left, int(y), int(w), int(h)])
    return _merge(found)


def _merge(boxes: list[Box]) -> list[Box]:
    """One box per face: a find mostly inside a larger one is dropped."""
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: -b[2] * b[3]):
        if not any(_overlap(box, other) > 0.5 for other in kept):
            kept.append(box)
    return sorted(kept)


def _overlap(small: Box, large: Box) -> float:
    """The share of the smaller box covered by the larger one."""
    width = min(small[0] + small[2], large[0] + large[2]) - max(small[0], large[0])
    height = min(small[1] + small[3], large[1] + large[3]) - max(small[1], large[1])
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / (small[2] * small[3])


def detected_boxes(photo) -> list[Box]:
    """The faces found in a photo, in pixels of its original; searched once per photo.

    An original never changes under its photo, so the answer is kept in the cache. A
    cache that is down only means searching again.
    """
    key = f"face-boxes:{DETECTOR}:{photo.pk}:{photo.sha256}"
    boxes = cache.get(key)
    if boxes is None:
        image, scale = working_image(photo)
        boxes = [_in_original(box, scale, photo.width, photo.height) for box in detect_faces(image)]
        cache.set(key, boxes, DETECTION_CACHE_SECONDS)
    return boxes


def _in_original(box: Box, scale: float, width: int, height: int) -> Box:
    left = min(max(0, round(box[0] / scale)), width - 1)
    top = min(max(0, round(box[1] / scale)), height - 1)
    right = min(width, round((box[0] + box[2]) / scale))
    bottom = min(height, round((box[1] + box[3]) / scale))
    return [left, top, max(1, right - left), max(1, bottom - top)]


def blur_boxes(image: Image.Image, boxes: list[Box], scale: float) -> Image.Image:
    """A copy of the image with each box (in the original's pixels) blurred past recognition."""
    blurred = image.copy()
    for box in boxes:
        left, top, right, bottom = _enlarged(box, scale, blurred.size)
        if right - left < 1 or bottom - top < 1:
            continue
        region = blurred.crop((left, top, right, bottom))
        longest = max(region.size)
        blocks = (
            max(1, round(region.width * BLOCKS / longest)),
            max(1, round(region.height * BLOCKS / longest)),
        )
        coarse = region.resize(blocks, Image.Resampling.BOX).resize(
            region.size, Image.Resampling.NEAREST
        )
        smooth = coarse.filter(ImageFilter.GaussianBlur(radius=longest / BLOCKS / 2))
        blurred.paste(smooth, (left, top))
    return blurred


def _enlarged(box: Box, scale: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    x, y, w, h = (value * scale for value in box)
    grow_x, grow_y = w * MARGIN, h * MARGIN
    return (
        max(0, int(x - grow_x)),
        max(0, int(y - grow_y)),
        min(size[0], int(np.ceil(x + w + grow_x))),
        min(size[1], int(np.ceil(y + h + grow_y))),
    )


def blurred_copy(photo, boxes: list[Box]) -> BlurredCopy:
    """The photo at working size with the boxes blurred, as a JPEG of pixels only."""
    image, scale = working_image(photo)
    image = blur_boxes(image, boxes, scale)
    # Nothing but pixels: the JPEG writer would carry a comment over from ``info``.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return BlurredCopy(content=out.getvalue(), width=image.width, height=image.height)
