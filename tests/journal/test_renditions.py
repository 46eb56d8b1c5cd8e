"""Renditions: which decoder reads an original, at what scale, and what each way yields."""

import io
import subprocess
import sys

import numpy as np
import pytest
from django.conf import settings
from PIL import Image, ImageCms

from journal import renditions
from tests.journal import corpus

RED = (200, 30, 40)


def size_of(content: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(content)).size


def pixel(content: bytes, position=(0, 0)) -> tuple[int, ...]:
    return Image.open(io.BytesIO(content)).convert("RGB").getpixel(position)


def close_to(actual, expected, tolerance: int) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(actual, expected, strict=True))


def test_large_jpeg_is_decoded_at_the_half_scale_that_still_covers_the_display_size():
    content = corpus.encode(Image.new("RGB", (1000, 750), RED), "JPEG")

    pixels = renditions.decoded(content, 400)

    assert pixels.shape == (375, 500, 3)


def test_jpeg_just_above_the_display_size_is_decoded_whole_not_at_seven_eighths():
    """libjpeg-turbo's 7/8 scale has no SIMD: a 2048 px phone upload decodes three times
    faster in full."""
    content = corpus.encode(Image.new("RGB", (512, 384), RED), "JPEG")

    pixels = renditions.decoded(content, 400)

    assert pixels.shape == (384, 512, 3)


def test_progressive_jpeg_renders_with_its_colours():
    content = corpus.encode(Image.new("RGB", (1000, 750), RED), "JPEG", progressive=True)

    made = renditions.render(io.BytesIO(content), {"display": 400, "thumbnail": 100})

    assert [size_of(made["display"]), size_of(made["thumbnail"])] == [(400, 300), (100, 75)]
    assert close_to(pixel(made["thumbnail"], (50, 37)), RED, 4)


def test_grey_jpeg_renders_as_grey_rgb():
    content = corpus.encode(Image.new("L", (1000, 750), 90), "JPEG")

    made = renditions.render(io.BytesIO(content), {"display": 400})

    assert Image.open(io.BytesIO(made["display"])).mode == "RGB"
    assert close_to(pixel(made["display"], (200, 150)), (90, 90, 90), 2)


def test_jpeg_tagged_srgb_keeps_its_colours_and_loses_its_profile():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = corpus.encode(Image.new("RGB", (1000, 750), RED), "JPEG", icc_profile=srgb)

    made = renditions.render(io.BytesIO(content), {"display": 400})

    assert close_to(pixel(made["display"], (200, 150)), RED, 4)
    assert "icc_profile" not in Image.open(io.BytesIO(made["display"])).info


def test_jpeg_libjpeg_turbo_calls_corrupt_is_rendered_by_pillow_as_before():
    """A scan cut short: libjpeg-turbo refuses it, Pillow fills the rest grey, as
    renditions always did."""
    content = corpus.encode(Image.new("RGB", (1000, 750), RED), "JPEG")
    scan = content.index(b"\xff\xda")
    cut_short = content[: scan + 2000] + content[-2:]

    made = renditions.render(io.BytesIO(cut_short), {"display": 400})

    assert size_of(made["display"]) == (400, 300)
    assert close_to(pixel(made["display"]), RED, 4)


def test_png_several_times_the_display_size_renders_at_it_laid_on_white():
    content = corpus.encode(Image.new("RGBA", (1000, 750), (*RED, 0)), "PNG")

    made = renditions.render(io.BytesIO(content), {"display": 400, "thumbnail": 100})

    assert [size_of(made["display"]), size_of(made["thumbnail"])] == [(400, 300), (100, 75)]
    assert close_to(pixel(made["display"], (200, 150)), (255, 255, 255), 2)


@pytest.mark.parametrize("factor", [2, 4])
def test_shrinking_by_a_whole_factor_averages_every_pixel_of_each_block(factor):
    """Stripes one pixel in four wide would vanish, or turn solid, were the shrink to
    sample rather than average."""
    row = np.array([0, 0, 0, 255] * 40, dtype=np.uint8)
    stripes = np.repeat(np.tile(row, (80, 1))[:, :, None], 3, axis=2)

    shrunk = renditions.shrink(stripes, (160 // factor, 80 // factor))

    expected = np.mean(row.reshape(-1, factor), axis=1)
    assert np.abs(shrunk[:, :, 0] - expected[None, :]).max() <= 1


# Renders the photo once to grow the heap, then three times more, and prints the page
# faults those three took: with the heap kept, the memory the first pair freed serves them.
FAULTS_OF_LATER_RENDERS = """
import io, resource, sys
import django
django.setup()
from journal import renditions
content = open(sys.argv[1], "rb").read()
if sys.argv[2] == "kept":
    assert renditions.keep_heap_between_renditions()
renditions.render(io.BytesIO(content), renditions.RENDITIONS)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    renditions.render(io.BytesIO(content), renditions.RENDITIONS)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def test_a_worker_process_keeps_the_heap_one_photos_renditions_freed_for_the_next(tmp_path):
    rng = np.random.default_rng(3)
    photo = tmp_path / "camera.jpg"
    photo.write_bytes(
        corpus.encode(Image.fromarray(rng.integers(0, 255, (1800, 2400, 3), np.uint8)), "JPEG")
    )

    def faults(heap: str) -> int:
        ran = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", FAULTS_OF_LATER_RENDERS, str(photo), heap],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
        return int(ran.stdout.split()[-1])

    assert faults("kept") * 4 < faults("returned")
