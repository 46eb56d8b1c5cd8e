"""What "sanitised" means for a stored photo: its pixels in sRGB and nothing else.

Every file kept or served (the original and both renditions) is read back as bytes and
walked segment by segment: a JPEG may hold only its image segments and a JFIF header, a
PNG only IHDR, IDAT and IEND, and neither anything after its end.
"""

import io
import struct
import uuid

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from journal import images, renditions
from journal.models import Photo
from tests.journal import corpus

pytestmark = pytest.mark.django_db

HOSTILE = corpus.hostile_files()
JPEG_MARKERS = {
    0xC0: "SOF0",
    0xC1: "SOF1",
    0xC2: "SOF2",
    0xC4: "DHT",
    0xDA: "SOS",
    0xDB: "DQT",
    0xDD: "DRI",
    0xE0: "APP0",
}
PNG_CHUNKS = {b"IHDR", b"IDAT", b"IEND"}
# Recognisable pieces of metadata, whatever segment or chunk might carry them.
SIGNATURES = (
    *corpus.PAYLOADS,
    b"Exif\x00",
    b"ICC_PROFILE",
    b"http://ns.adobe.com/xap",
    b"Photoshop 3.0",
    b"8BIM",
)


def jpeg_leftovers(data: bytes) -> list[str]:
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    found, at = [], 2
    while True:
        assert data[at] == 0xFF, f"no marker at byte {at}"
        marker = data[at + 1]
        if marker == 0xD9:
            if data[at + 2 :]:
                found.append(f"{len(data) - at - 2} bytes after the end (FFD9)")
            return found
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        payload = data[at + 4 : at + 2 + length]
        if marker not in JPEG_MARKERS:
            found.append(f"segment FF{marker:02X} ({length} bytes)")
        elif marker == 0xE0 and not payload.startswith(b"JFIF\x00"):
            found.append("APP0 other than a JFIF header")
        at += 2 + length
        if marker == 0xDA:
            at = end_of_scan(data, at)


def end_of_scan(data: bytes, at: int) -> int:
    """Compressed data runs to the first marker that is not a stuffed 00 or a restart."""
    while True:
        at = data.index(b"\xff", at)
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            at += 2
        elif following == 0xFF:
            at += 1
        else:
            return at


def png_leftovers(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    found, at = [], 8
    while True:
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        at += 12 + length
        if kind not in PNG_CHUNKS:
            found.append(f"chunk {kind.decode('latin-1')} ({length} bytes)")
        if kind == b"IEND":
            if data[at:]:
                found.append(f"{len(data) - at} bytes after the end (IEND)")
            return found


def leftovers(data: bytes) -> list[str]:
    """Everything in a stored file besides its pixels; empty when it is clean."""
    found = png_leftovers(data) if data.startswith(b"\x89PNG") else jpeg_leftovers(data)
    return found + [f"{signature!r} in the bytes" for signature in SIGNATURES if signature in data]


def stored_variants(photo: Photo) -> dict[str, bytes]:
    photo.refresh_from_db()
    assert photo.state == Photo.State.READY
    contents = {}
    for variant in images.VARIANTS:
        with default_storage.open(photo.file_for(variant).name, "rb") as stored:
            contents[variant] = stored.read()
    return contents


def store(name, content, content_type, manager, capture_on_commit) -> Photo:
    with capture_on_commit(execute=True):
        return images.store_photo(corpus.upload(name, content, content_type), manager)


def pixel(content: bytes, position=(0, 0)):
    return Image.open(io.BytesIO(content)).getpixel(position)


def close_to(actual, expected, tolerance: int) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def test_every_hostile_sample_carries_a_payload_to_look_for():
    for name, content, _ in HOSTILE.values():
        assert any(signature in content for signature in SIGNATURES), name


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_upload_leaves_only_pixels_in_the_original_and_renditions(
    case, manager, django_capture_on_commit_callbacks
):
    photo = store(*HOSTILE[case], manager, django_capture_on_commit_callbacks)

    for variant, content in stored_variants(photo).items():
        assert leftovers(content) == [], variant


def test_served_photo_files_carry_no_metadata(
    client_as, manager, session_a, django_capture_on_commit_callbacks
):
    name, content, content_type = HOSTILE["jpeg with xmp, iptc and exif"]
    client = client_as(manager)
    data = {
        "client_uuid": str(uuid.uuid4()),
        "touchpoint": "store",
        "emotion": "frustrated",
        "intensity": "4",
        "what_happened": "The price label said one thing, the till another.",
        "kind": "pain_point",
        "impact": "high",
        "photos": [corpus.upload(name, content, content_type)],
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("journal:capture", kwargs={"session_id": session_a.pk}), data)
    photo = Photo.objects.get()

    for variant in images.VARIANTS:
        url = reverse("journal:photo", kwargs={"photo_id": photo.pk, "variant": variant})
        response = client.get(url)
        served = b"".join(response.streaming_content)
        assert leftovers(served) == [], variant


def test_capture_time_is_kept_in_a_field_when_the_metadata_goes(
    manager, django_capture_on_commit_callbacks
):
    photo = store(
        *HOSTILE["jpeg with xmp, iptc and exif"], manager, django_capture_on_commit_callbacks
    )

    assert photo.captured_at == corpus.taken_at()


def test_renditions_of_an_original_stored_with_metadata_carry_none_of_it():
    """Originals kept before they were cleaned this thoroughly still get clean renditions."""
    for name, content, _ in HOSTILE.values():
        if name.endswith((".jpg", ".png")):
            made = renditions.render(io.BytesIO(content), renditions.RENDITIONS)
            assert [leftovers(rendition) for rendition in made.values()] == [[], []], name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.png", corpus.grey16_gradient_png()),
        ("IMG_MONO.HEIC", corpus.grey16_gradient_heic()),
    ],
    ids=["png", "heic"],
)
def test_sixteen_bit_grey_is_scaled_to_eight_bits_not_clipped(name, content):
    prepared = images.prepare(corpus.upload(name, content))
    rendition = renditions.render(io.BytesIO(prepared.content), renditions.RENDITIONS)["display"]

    for content in (prepared.content, rendition):
        stored = Image.open(io.BytesIO(content)).convert("L")
        assert stored.size == (256, 4)
        levels = [stored.getpixel((column, 1)) for column in range(256)]
        assert all(abs(level - column) <= 3 for column, level in enumerate(levels)), levels


def test_sixteen_bit_grey_png_keeps_its_transparent_level_transparent():
    content = corpus.grey16_gradient_png(transparent_column=100)

    prepared = images.prepare(corpus.upload("cut-out.png", content, "image/png"))

    stored = Image.open(io.BytesIO(prepared.content))
    assert stored.mode == "RGBA"
    assert stored.getpixel((100, 0))[3] == 0
    assert close_to(stored.getpixel((101, 0)), (101, 101, 101, 255), 3)


@pytest.mark.parametrize("alpha", [False, True], ids=["rgb", "rgba"])
def test_sixteen_bit_colour_png_keeps_its_colours(alpha):
    prepared = images.prepare(corpus.upload("deep.png", corpus.rgb16_png(alpha), "image/png"))
    made = renditions.render(io.BytesIO(prepared.content), renditions.RENDITIONS)

    stored = Image.open(io.BytesIO(prepared.content))
    assert stored.mode == ("RGBA" if alpha else "RGB")
    expected = (200, 55, 128, 128) if alpha else (200, 55, 128)
    assert close_to(stored.getpixel((200, 1)), expected, 3)
    # Half-transparent pixels are laid on white in the rendition.
    on_white = (227, 155, 191) if alpha else (200, 55, 128)
    assert close_to(pixel(made["display"], (200, 1)), on_white, 4)


ORANGE = (255, 128, 0)


def palette_image(transparent: bool = False) -> Image.Image:
    """Orange from a two-colour palette whose first colour, blue, is used nowhere."""
    image = Image.new("P", (40, 30), 1)
    image.putpalette([0, 0, 255, *ORANGE])
    if transparent:
        image.info["transparency"] = 1
    return image


EIGHT_BIT_SAMPLES = {
    # name: (upload, colour of the stored original, colour of its rendition on white)
    "1-bit": (Image.new("1", (40, 30), 1), "PNG", (255, 255, 255), (255, 255, 255)),
    "grey": (Image.new("L", (40, 30), 90), "PNG", (90, 90, 90), (90, 90, 90)),
    "grey with alpha": (Image.new("LA", (40, 30), (90, 0)), "PNG", (90, 90, 90, 0), (255,) * 3),
    "palette": (palette_image(), "PNG", ORANGE, ORANGE),
    "palette with a transparent colour": (palette_image(True), "PNG", (*ORANGE, 0), (255,) * 3),
    "cmyk jpeg": (Image.new("CMYK", (40, 30), (0, 127, 255, 0)), "JPEG", ORANGE, ORANGE),
    "grey jpeg": (Image.new("L", (40, 30), 90), "JPEG", (90, 90, 90), (90, 90, 90)),
}


@pytest.mark.parametrize("case", sorted(EIGHT_BIT_SAMPLES))
def test_every_pixel_layout_is_stored_as_rgb_with_its_colours(case):
    image, fmt, original, rendition = EIGHT_BIT_SAMPLES[case]

    prepared = images.prepare(corpus.upload(f"sample.{fmt.lower()}", corpus.encode(image, fmt)))
    made = renditions.render(io.BytesIO(prepared.content), renditions.RENDITIONS)

    assert close_to(pixel(prepared.content), original, 3)
    assert close_to(pixel(made["thumbnail"]), rendition, 3)


def test_image_with_pixels_no_photo_uses_is_refused_with_a_clear_message(monkeypatch):
    """Floating-point pixels (a TIFF from a scientific camera, were TIFF accepted) have no
    agreed range: refused, rather than stored black or white."""
    monkeypatch.setattr(images, "ACCEPTED_FORMATS", {*images.ACCEPTED_FORMATS, "TIFF"})
    content = corpus.encode(Image.new("F", (20, 20), 0.5), "TIFF")

    with pytest.raises(images.PhotoRejected, match=r"depth\.tif: its pixels are stored .* \(F\)"):
        images.prepare(corpus.upload("depth.tif", content, "image/tiff"))


# Colour: Display P3 from phones is converted to sRGB once; no profile is kept.

P3_TO_SRGB = (  # linear Display P3 to linear sRGB, both D65
    (1.2249, -0.2247, 0.0),
    (-0.0420, 1.0419, 0.0),
    (-0.0197, -0.0786, 1.0979),
)


def p3_in_srgb(colour):
    """The sRGB value of a Display P3 colour, worked out without the code under test."""
    linear = [(value / 255) ** corpus.P3_GAMMA for value in colour]
    converted = []
    for row in P3_TO_SRGB:
        value = min(
            1.0, max(0.0, sum(weight * part for weight, part in zip(row, linear, strict=True)))
        )
        encoded = 12.92 * value if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
        converted.append(round(255 * encoded))
    return tuple(converted)


def test_display_p3_photo_is_converted_to_srgb_in_the_original_and_renditions(
    manager, django_capture_on_commit_callbacks
):
    muted_red = (180, 60, 60)
    expected = p3_in_srgb(muted_red)
    # Left as they were, the numbers would show the duller sRGB colour (180, 60, 60).
    assert not close_to(expected, muted_red, 10)

    photo = store(
        "IMG_P3.JPG",
        corpus.p3_photo(muted_red),
        "image/jpeg",
        manager,
        django_capture_on_commit_callbacks,
    )

    for variant, content in stored_variants(photo).items():
        assert close_to(pixel(content, (20, 20)), expected, 3), variant
        assert leftovers(content) == [], variant


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_display_p3_is_converted_to_srgb_in_every_accepted_format(fmt):
    muted_red = (180, 60, 60)

    prepared = images.prepare(corpus.upload("wide", corpus.p3_photo(muted_red, fmt)))

    assert close_to(pixel(prepared.content, (20, 20)), p3_in_srgb(muted_red), 3)
    assert leftovers(prepared.content) == []


def test_pure_display_p3_red_is_stored_as_the_most_saturated_srgb_red():
    prepared = images.prepare(corpus.upload("IMG_P3.JPG", corpus.p3_photo((255, 0, 0))))

    red, green, blue = pixel(prepared.content, (20, 20))
    assert red >= 250
    assert green <= 8
    assert blue <= 8


def test_rendition_of_an_original_kept_with_a_p3_profile_is_converted():
    muted_red = (180, 60, 60)

    made = renditions.render(io.BytesIO(corpus.p3_photo(muted_red)), renditions.RENDITIONS)

    assert close_to(pixel(made["display"], (20, 20)), p3_in_srgb(muted_red), 3)
    assert leftovers(made["display"]) == []


def test_grey_photo_with_a_grey_profile_is_converted_to_srgb():
    profile = corpus.linear_grey_profile()
    content = corpus.encode(Image.new("L", (40, 30), 128), "JPEG", icc_profile=profile)

    prepared = images.prepare(corpus.upload("grey.jpg", content))

    assert close_to(pixel(prepared.content), (188, 188, 188), 3)
    assert leftovers(prepared.content) == []


def test_profile_that_does_not_fit_the_pixels_is_dropped_without_converting():
    profile = corpus.linear_grey_profile()
    content = corpus.encode(Image.new("RGB", (40, 30), ORANGE), "JPEG", icc_profile=profile)

    prepared = images.prepare(corpus.upload("odd.jpg", content))

    assert close_to(pixel(prepared.content), ORANGE, 3)
    assert leftovers(prepared.content) == []


def test_broken_colour_profile_does_not_refuse_the_photo():
    broken = b"PROFILE-STOWAWAY" * 40
    content = corpus.encode(Image.new("RGB", (40, 30), ORANGE), "JPEG", icc_profile=broken)

    prepared = images.prepare(corpus.upload("broken-profile.jpg", content))

    assert close_to(pixel(prepared.content), ORANGE, 3)
    assert leftovers(prepared.content) == []
