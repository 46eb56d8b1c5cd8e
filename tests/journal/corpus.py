"""Good and bad uploads, made on the fly: nothing large is kept in the repository."""

import datetime as dt
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

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


# Hostile samples: metadata and stowaways that must not reach any stored file.

PHP = b"<?php system($_GET['c']); ?>"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">XMP-STOWAWAY</x:xmpmeta>'
PAYLOADS = (
    PHP,
    b"XMP-STOWAWAY",
    b"IPTC-STOWAWAY",
    b"TEXT-STOWAWAY",
    b"PROFILE-STOWAWAY",
    b"MAKERNOTE-STOWAWAY",
)
MAKER_NOTE = 0x927C
SOI, COM, APP13 = 0xD8, 0xFE, 0xED
MAX_SEGMENT = 65533  # a JPEG segment's length field counts itself and stops at 65535


def with_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """The JPEG with one more segment right after its start marker."""
    assert jpeg[:2] == bytes([0xFF, SOI])
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def jpeg_with_long_comment() -> bytes:
    """A 64 KB comment that opens with a PHP web shell."""
    comment = PHP + b" " * (MAX_SEGMENT - 2 - len(PHP))
    return with_segment(encode(two_tone(), "JPEG"), COM, comment)


def iptc_block(text: bytes) -> bytes:
    """A Photoshop APP13 payload with one IPTC caption (2:120), as photo tools write it."""
    record = b"\x1c\x02\x78" + struct.pack(">H", len(text)) + text
    padded = record + b"\x00" * (len(record) % 2)
    return b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + padded


def jpeg_with_xmp_and_iptc() -> bytes:
    """XMP (APP1 "http://ns.adobe.com/xap/1.0/"), IPTC (APP13), EXIF with a maker note,
    and a comment."""
    exif = exif_with_gps(1)
    exif.get_ifd(ExifTags.IFD.Exif)[MAKER_NOTE] = b"MAKERNOTE-STOWAWAY"
    jpeg = encode(two_tone(), "JPEG", xmp=XMP, exif=exif, comment=PHP)
    return with_segment(jpeg, APP13, iptc_block(b"IPTC-STOWAWAY"))


def text_chunks() -> PngImagePlugin.PngInfo:
    """tEXt with a PHP shell, zTXt, and iTXt holding XMP."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PHP.decode())
    info.add_text("Description", "TEXT-STOWAWAY", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode(), lang="en")
    return info


def png_with_text(image: Image.Image) -> bytes:
    """Text chunks, eXIf and a profile with bytes appended."""
    return encode(
        image,
        "PNG",
        pnginfo=text_chunks(),
        exif=exif_with_gps(1),
        icc_profile=srgb_with_stowaway(),
    )


def with_trailing_bytes(content: bytes) -> bytes:
    """Bytes after the image's end (JPEG EOI, PNG IEND, WebP's RIFF chunk): a polyglot's
    usual hiding place."""
    return content + PHP


def srgb_with_stowaway() -> bytes:
    """The standard sRGB profile with bytes appended, which the profile's parser ignores."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() + b"PROFILE-STOWAWAY"


def hostile_files() -> dict[str, tuple[str, bytes, str]]:
    """name -> (file name, bytes, declared type); each must be stored with nothing but pixels."""
    heif_with_everything = encode(
        two_tone(), "HEIF", exif=exif_with_gps(1), xmp=XMP, icc_profile=srgb_with_stowaway()
    )
    return {
        "jpeg with a 64 KB php comment": ("shell.jpg", jpeg_with_long_comment(), "image/jpeg"),
        "jpeg with xmp, iptc and exif": ("tagged.jpg", jpeg_with_xmp_and_iptc(), "image/jpeg"),
        "jpeg with a profile with bytes appended": (
            "profile.jpg",
            encode(two_tone(), "JPEG", icc_profile=srgb_with_stowaway()),
            "image/jpeg",
        ),
        "jpeg with trailing bytes": (
            "polyglot.jpg",
            with_trailing_bytes(encode(two_tone(), "JPEG")),
            "image/jpeg",
        ),
        "png with text chunks": ("text.png", png_with_text(two_tone()), "image/png"),
        "png with transparency and text chunks": (
            "sticker.png",
            png_with_text(Image.new("RGBA", (30, 20), (255, 0, 0, 128))),
            "image/png",
        ),
        "png with trailing bytes": (
            "polyglot.png",
            with_trailing_bytes(encode(two_tone(), "PNG")),
            "image/png",
        ),
        "webp with trailing bytes": (
            "polyglot.webp",
            with_trailing_bytes(encode(two_tone(), "WEBP")),
            "image/webp",
        ),
        "webp with exif, xmp and a profile": (
            "tagged.webp",
            encode(
                two_tone(), "WEBP", exif=exif_with_gps(1), xmp=XMP, icc_profile=srgb_with_stowaway()
            ),
            "image/webp",
        ),
        "heic with exif, xmp and a profile": ("tagged.heic", heif_with_everything, "image/heic"),
    }


# Pixels that need more than a copy: 16-bit, palette, CMYK, wide-gamut colour.


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(width: int, colour_type: int, depth: int, rows: list[bytes], extra=b"") -> bytes:
    """A PNG written by hand, for the 16-bit layouts Pillow cannot write itself."""
    header = struct.pack(">IIBBBBB", width, len(rows), depth, colour_type, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + row for row in rows))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + extra
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


GRADIENT = [round(i * 65535 / 255) for i in range(256)]  # 16-bit levels of 0..255


def grey16_gradient_png(transparent_column: int | None = None) -> bytes:
    """16-bit grey, black on the left to white on the right, one 8-bit level per column;
    optionally one column's level marked transparent (a tRNS chunk)."""
    row = b"".join(struct.pack(">H", level) for level in GRADIENT)
    transparency = b""
    if transparent_column is not None:
        transparency = png_chunk(b"tRNS", struct.pack(">H", GRADIENT[transparent_column]))
    return raw_png(len(GRADIENT), 0, 16, [row] * 4, transparency)


def grey16_gradient_heic() -> bytes:
    """The same gradient as a high-bit-depth grey HEIC, which opens as 16-bit grey too."""
    row = b"".join(struct.pack("<H", level) for level in GRADIENT)
    return encode(Image.frombytes("I;16", (len(GRADIENT), 4), row * 4), "HEIF", quality=-1)


def rgb16_png(alpha: bool = False) -> bytes:
    """16-bit RGB(A): red rising, green falling, blue at half, alpha (if any) at half."""
    half = GRADIENT[128]
    pixels = [(level, 65535 - level, half, *([half] if alpha else [])) for level in GRADIENT]
    row = b"".join(struct.pack(f">{len(pixel)}H", *pixel) for pixel in pixels)
    return raw_png(len(GRADIENT), 6 if alpha else 2, 16, [row] * 4)


def s15fixed16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def icc_profile(space: bytes, description: str, tags: list[tuple[bytes, bytes]]) -> bytes:
    """A minimal ICC v2 display profile: header, tag table and the tags given."""
    text = description.encode() + b"\x00"
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(text)) + text + b"\x00" * 78
    tags = [(b"desc", desc), *tags]
    offset = 128 + 4 + 12 * len(tags)
    table, body, placed = b"", b"", {}
    for signature, data in tags:
        if data not in placed:
            placed[data] = offset + len(body)
            body += data + b"\x00" * (-len(data) % 4)
        table += signature + struct.pack(">II", placed[data], len(data))
    d50 = s15fixed16(0.9642) + s15fixed16(1.0) + s15fixed16(0.8249)
    header = (
        struct.pack(">I", offset + len(body))
        + b"\x00" * 4
        + struct.pack(">I", 0x02100000)
        + b"mntr"
        + space
        + b"XYZ "
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 28
        + d50
        + b"\x00" * 48
    )
    return header + struct.pack(">I", len(tags)) + table + body


def xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + s15fixed16(x) + s15fixed16(y) + s15fixed16(z)


def gamma_curve(gamma: float) -> bytes:
    return b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(gamma * 256)) + b"\x00\x00"


D50 = xyz(0.9642, 1.0, 0.8249)  # the white point ICC profiles are stored against
P3_GAMMA = 2.2


def display_p3_profile() -> bytes:
    """Display P3, the profile of wide-gamut phone photos: its primaries as ICC stores them
    (adapted to D50) and, for simplicity, a 2.2 gamma curve."""
    curve = gamma_curve(P3_GAMMA)
    return icc_profile(
        b"RGB ",
        "Display P3",
        [
            (b"wtpt", D50),
            (b"rXYZ", xyz(0.51512, 0.24120, -0.00105)),
            (b"gXYZ", xyz(0.29198, 0.69225, 0.04189)),
            (b"bXYZ", xyz(0.15710, 0.06657, 0.78407)),
            (b"rTRC", curve),
            (b"gTRC", curve),
            (b"bTRC", curve),
        ],
    )


LOSSLESS = {"JPEG": {"quality": 95}, "PNG": {}, "WEBP": {"lossless": True}, "HEIF": {"quality": -1}}


def p3_photo(colour: tuple[int, int, int], fmt: str = "JPEG") -> bytes:
    """One flat colour, given in Display P3, as a phone would store it (the profile
    with bytes appended)."""
    profile = display_p3_profile() + b"PROFILE-STOWAWAY"
    image = Image.new("RGB", (64, 48), colour)
    return encode(image, fmt, icc_profile=profile, **LOSSLESS[fmt])


def linear_grey_profile() -> bytes:
    """Grey stored as light (gamma 1.0): level 128 is half the light, sRGB 188."""
    return icc_profile(b"GRAY", "Linear grey", [(b"wtpt", D50), (b"kTRC", gamma_curve(1.0))])
