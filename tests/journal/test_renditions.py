"""Renditions: which decoder reads an original, at what scale, and what each way yields."""

import io

import numpy as np
import pytest
from PIL import Image, ImageCms

from journal import images
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

    pixels = images.decoded(content, 400)

    assert pixels.shape == (375, 500, 3)


def test_jpeg_just_above_the_display_size_is_decoded_whole_not_at_seven_eighths():
    """libjpeg-turbo's 7/8 scale has no SIMD: a 2048 px phone upload decodes three times
    faster in full."""
    content = corpus.encode(Image.new("RGB", (512, 384), RED), "JPEG")

    pixels = images.decoded(content, 400)

    assert pixels.shape == (384, 512, 3)


def test_progressive_jpeg_renders_with_its_colours():
    content = corpus.encode(Image.new("RGB", (1000, 750), RED), "JPEG", progressive=True)

    made = images.render(io.BytesIO(content), {"display": 400, "thumbnail": 100})

    assert [size_of(made["display"]), size_of(made["thumbnail"])] == [(400, 300), (100, 75)]
    assert close_to(pixel(made["thumbnail"], (50, 37)), RED, 4)


def test_grey_jpeg_renders_as_grey_rgb():
    content = corpus.encode(Image.new("L", (1000, 750), 90), "JPEG")

    made = images.render(io.BytesIO(content), {"display": 400})

    assert Image.open(io.BytesIO(made["display"])).mode == "RGB"
    assert close_to(pixel(made["display"], (200, 150)), (90, 90, 90), 2)


def test_jpeg_tagged_srgb_keeps_its_colours_and_loses_its_profile():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = corpus.encode(Image.new("RGB", (1000, 750), RED), "JPEG", icc_profile=srgb)

    made = images.render(io.BytesIO(content), {"display": 400})

    assert close_to(pixel(made["display"], (200, 150)), RED, 4)
    assert "icc_profile" not in Image.open(io.BytesIO(made["display"])).info


def test_jpeg_libjpeg_turbo_calls_corrupt_is_rendered_by_pillow_as_before():
    """A scan cut short: libjpeg-turbo refuses it, Pillow fills the rest grey, as
    renditions always did."""
    content = corpus.encode(Image.new("RGB", (1000, 750), RED), "JPEG")
    scan = content.index(b"\xff\xda")
    cut_short = content[: scan + 2000] + content[-2:]

    made = images.render(io.BytesIO(cut_short), {"display": 400})

    assert size_of(made["display"]) == (400, 300)
    assert close_to(pixel(made["display"]), RED, 4)


def test_png_several_times_the_display_size_renders_at_it_laid_on_white():
    content = corpus.encode(Image.new("RGBA", (1000, 750), (*RED, 0)), "PNG")

    made = images.render(io.BytesIO(content), {"display": 400, "thumbnail": 100})

    assert [size_of(made["display"]), size_of(made["thumbnail"])] == [(400, 300), (100, 75)]
    assert close_to(pixel(made["display"], (200, 150)), (255, 255, 255), 2)


@pytest.mark.parametrize("factor", [2, 4])
def test_shrinking_by_a_whole_factor_averages_every_pixel_of_each_block(factor):
    """Stripes one pixel in four wide would vanish, or turn solid, were the shrink to
    sample rather than average."""
    row = np.array([0, 0, 0, 255] * 40, dtype=np.uint8)
    stripes = np.repeat(np.tile(row, (80, 1))[:, :, None], 3, axis=2)

    shrunk = images.shrink(stripes, (160 // factor, 80 // factor))

    expected = np.mean(row.reshape(-1, factor), axis=1)
    assert np.abs(shrunk[:, :, 0] - expected[None, :]).max() <= 1
