"""Good and bad uploads, made on the fly: nothing large is kept in the repository."""

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

GPS_IFD = 0x8825


def exif_with_gps(orientation: int = 1, taken: str = "2026:03:14 09:26:53") -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    gps = exif.get_ifd(GPS_IFD)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 47.0, 51.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (1.0, 32.0, 35.0)
    return exif


def two_tone(size=(60, 40)) -> Image.Image:
    """Red on the left half, blue on the right: shows which way the photo was turned."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    return image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def camera_jpeg(orientation: int = 6) -> bytes:
    """A phone photo held upright: stored sideways with an orientation tag, and a GPS fix."""
    return encode(two_tone(), "JPEG", quality=90, exif=exif_with_gps(orientation))


def good_files() -> dict[str, tuple[str, bytes, str]]:
    return {
        "jpeg with gps and orientation": ("IMG_0001.JPG", camera_jpeg(), "image/jpeg"),
        "png": ("screen.png", encode(two_tone(), "PNG"), "image/png"),
        "png with transparency": (
            "sticker.png",
            encode(Image.new("RGBA", (30, 20), (255, 0, 0, 128)), "PNG"),
            "image/png",
        ),
        "webp": (
            "shelf.webp",
            encode(two_tone(), "WEBP", exif=exif_with_gps(1)),
            "image/webp",
        ),
        "heic": ("IMG_0002.HEIC", encode(two_tone(), "HEIF"), "image/heic"),
        "jpeg named as png": ("not-really.png", camera_jpeg(1), "image/png"),
    }


def truncated_jpeg() -> bytes:
    data = encode(Image.effect_noise((200, 200), 64).convert("RGB"), "JPEG", quality=95)
    return data[: len(data) // 2]


def bomb_png() -> bytes:
    """64 megapixels that compress to a few kilobytes: must be refused from the header."""
    return encode(Image.new("1", (8000, 8000)), "PNG")


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.jpg", camera_jpeg(1))
    return out.getvalue()


def animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def bad_files() -> dict[str, tuple[str, bytes, str, str]]:
    """name -> (file name, bytes, declared type, words the refusal must contain)."""
    return {
        "empty": ("empty.jpg", b"", "image/jpeg", "empty"),
        "truncated jpeg": ("cut.jpg", truncated_jpeg(), "image/jpeg", "damaged"),
        "text renamed as jpeg": ("notes.jpg", b"shopping list\n" * 20, "image/jpeg", "not a JPEG"),
        "svg": ("logo.svg.png", SVG, "image/svg+xml", "not a JPEG"),
        "pdf": ("leaflet.jpg", PDF, "application/pdf", "not a JPEG"),
        "zip archive": ("photos.jpg", zip_archive(), "application/zip", "not a JPEG"),
        "gif": ("still.gif", encode(Image.new("P", (10, 10)), "GIF"), "image/gif", "not a JPEG"),
        "animated png": ("moving.png", animated("PNG"), "image/png", "animated"),
        "animated webp": ("moving.webp", animated("WEBP"), "image/webp", "animated"),
        "decompression bomb": ("huge.png", bomb_png(), "image/png", "megapixels"),
    }


def taken_at() -> dt.datetime:
    return dt.datetime(2026, 3, 14, 9, 26, 53, tzinfo=dt.UTC)
