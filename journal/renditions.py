"""Renditions: the display and thumbnail JPEGs made from a stored original, by a task.

The original is decoded once, at the smallest scale that still covers the largest
rendition, and each smaller rendition is made from the one before. ``make bench --only
images`` measures this against plain Pillow and libvips, with the quality each keeps.
"""

import ctypes
import ctypes.util
import io

import cv2
import numpy as np
import simplejpeg
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from journal.images import whole_file_at_once
from journal.models import Photo
from journal.pixels import foreign_profile, on_white, pixels_in_srgb

RENDITIONS = {"display": 1600, "thumbnail": 400}
RENDITION_QUALITY = 82
# glibc's mallopt parameters, and how much freed heap a worker process keeps.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
KEPT_HEAP = 64 * 1024 * 1024
# The largest block glibc lets the heap serve on 64-bit machines; larger ones are mapped.
HEAP_BLOCK_LIMIT = 32 * 1024 * 1024


def fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """The size scaled so its longest side is at most ``longest``, never enlarged."""
    width, height = size
    scale = min(1.0, longest / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def render(source, sizes: dict[str, int]) -> dict[str, bytes]:
    """JPEG renditions of an image file, largest first, each made from the one before.

    A JPEG is decoded at a reduced scale close to the largest size wanted: a
    twelve-megapixel photo never has to sit in memory at full size. ``make bench``
    measures this against plain Pillow and libvips.
    """
    data = source.read()
    ordered = sorted(sizes.items(), key=lambda item: -item[1])
    pixels = decoded(data, ordered[0][1])
    results = {}
    for variant, longest in ordered:
        pixels = shrink(pixels, fit(pixels.shape[1::-1], longest))
        # libjpeg-turbo's writer as Pillow's, baseline and 4:2:0 like Pillow's default at
        # this quality, but taking the array as it is where Pillow would copy it first.
        # The fast (integer) DCT saves under 0.1 ms in the encoder, so it is not used.
        results[variant] = simplejpeg.encode_jpeg(pixels, RENDITION_QUALITY, "RGB", "420")
    return results


def decoded(data: bytes, longest: int) -> np.ndarray:
    """The image's RGB pixels in sRGB, transparency laid on white, at a size close to
    ``longest`` and not below it: from libjpeg-turbo at the smallest scale that still
    covers it, or from Pillow."""
    # Only what ``prepare`` stores is read here.
    image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG"])
    target = fit(image.size, longest)
    # What ``prepare`` stores, untagged sRGB, always takes the first way. Four-colour
    # JPEGs and wide-gamut profiles, which libjpeg-turbo's RGB output cannot honour, go
    # through Pillow and LittleCMS.
    if (
        image.format == "JPEG"
        and image.mode in ("RGB", "L")
        and foreign_profile(image.info.get("icc_profile")) is None
    ):
        try:
            return _turbo_decoded(data, image.size, target)
        except ValueError:
            # What libjpeg-turbo refuses (a damaged file, a corrupt marker) Pillow may
            # still read, or it reports the damage the way the task already handles.
            pass
    whole_file_at_once(image, len(data))
    if image.format == "JPEG":
        image.draft("RGB", target)
    image = on_white(pixels_in_srgb(image))
    factor = min(image.width // target[0], image.height // target[1])
    if factor >= 2:
        # Pillow's block average while it is still an image: a full-size PNG is never
        # copied whole into an array.
        image = image.reduce(factor)
    return np.asarray(image)


def _turbo_decoded(data: bytes, size: tuple[int, int], target: tuple[int, int]) -> np.ndarray:
    """Decoded by libjpeg-turbo at 1/2, 1/4 or 1/8 of its size, straight into an array.

    Huffman decoding of the whole file is most of the time at any scale, and what is left
    is less than Pillow's: no copy of every row into Pillow's image memory, no array made
    from the image afterwards. The fast integer IDCT and the merged (not "fancy") chroma
    upsampling save a further millisecond or so, for an SSIM lower by at most 0.0005 on
    the bench's photo. Scales such as 7/8 are left out on purpose: libjpeg-turbo has no
    SIMD for them, and a 2048 px photo (what phones upload) takes three times longer to
    decode at 7/8 than in full.
    """
    width, height = size
    denominator = 8
    while denominator > 1 and (
        -(-width // denominator) < target[0] or -(-height // denominator) < target[1]
    ):
        denominator //= 2
    return simplejpeg.decode_jpeg(
        data,
        "RGB",
        fastdct=True,
        fastupsample=True,
        # The decoder picks the smallest scale at least this large: exactly 1/denominator.
        min_width=-(-width // denominator),
        min_height=-(-height // denominator),
    )


def shrink(pixels: np.ndarray, target: tuple[int, int]) -> np.ndarray:
    """The RGB pixels at ``target``: halved while at least twice as large, what is left
    (less than half) by bilinear interpolation, all by OpenCV.

    At exactly half, bilinear samples midway between four pixels, which makes it their
    2x2 average: halving twice gives the thumbnail the 4x4 block average of Pillow's
    ``reduce(4)`` (to within one level of rounding) in under a millisecond, where
    ``reduce`` and its copy into a Pillow image take two, and OpenCV's own area resize
    two as well, seven when the size is not a multiple of the factor. The fractional rest
    (a 2000 px half-scale decode to 1600 px) would take Pillow's resize 20 ms whatever
    its filter, being plain C over every kernel tap; OpenCV's bilinear does it in 4 ms
    with SIMD. Bilinear samples the two source pixels around each target pixel, which is
    antialiased enough below a factor of two, and ``make bench`` checks its SSIM against
    a Lanczos resize of the full photo.
    """
    while pixels.shape[1] >= 2 * target[0] and pixels.shape[0] >= 2 * target[1]:
        half = (pixels.shape[1] // 2, pixels.shape[0] // 2)
        pixels = cv2.resize(pixels, half, interpolation=cv2.INTER_LINEAR)
    if pixels.shape[1::-1] == target:
        return pixels
    return cv2.resize(pixels, target, interpolation=cv2.INTER_LINEAR)


def write_renditions(photo: Photo) -> dict[str, str]:
    """Make and store the display and thumbnail files of a photo; returns their names."""
    with default_storage.open(photo.original.name, "rb") as source:
        contents = render(source, RENDITIONS)
    folder = photo.original.name.rsplit("/", 1)[0]
    names = {}
    try:
        for variant, content in contents.items():
            name = f"{folder}/{photo.pk.hex}-{variant}.jpg"
            # Under its final name: what an earlier, failed attempt left there is replaced,
            # where saving beside it would pick a new, suffixed name and orphan the old.
            default_storage.delete(name)
            names[variant] = default_storage.save(name, ContentFile(content))
    except BaseException:
        for name in names.values():
            default_storage.delete(name)
        raise
    return names


def keep_heap_between_renditions() -> bool:
    """Have glibc keep the memory freed after one photo's renditions for the next.

    A pair of renditions of a 12-megapixel photo uses about 18 MB: the half-scale decode,
    its resized copies, the encoded files. By default glibc gives blocks over 128 kB, and
    the top of the heap, back to the system as soon as they are freed, so every photo
    faults the same pages in again: about 1,900 page faults, 3 to 4 ms of a 50 ms pair
    (``make bench --only images``). A Celery worker process renders photo after photo, so
    it keeps up to 64 MB instead. Returns whether it could: elsewhere than glibc nothing
    changes.
    """
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(
        mallopt(M_MMAP_THRESHOLD, HEAP_BLOCK_LIMIT) and mallopt(M_TRIM_THRESHOLD, KEPT_HEAP)
    )
