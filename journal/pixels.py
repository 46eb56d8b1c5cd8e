"""A photo reduced to its pixels: 8-bit RGB or RGBA in sRGB, carrying nothing else.

Whatever an upload brings besides its pixels (comments, PNG text, EXIF, XMP, IPTC, its
colour profile) stays behind: Pillow's writers copy some of it from ``Image.info``, so the
image handed to them has an empty ``info``. Colours described by a wide-gamut profile
(Display P3 from phones) are converted to sRGB once, here, so the stored files need no
profile at all and look the same in every browser.
"""

import io

from PIL import Image, ImageCms

SIXTEEN_BIT_GREY = {"I;16", "I;16B", "I;16L", "I;16N", "I"}
EIGHT_BIT = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK"}
SUPPORTED_MODES = SIXTEEN_BIT_GREY | EIGHT_BIT
WITH_ALPHA = {"LA", "PA", "RGBA"}
# A profile names its colour space; only pixels of that kind can be converted with it.
PROFILE_SPACES = {"RGB": "RGB ", "RGBA": "RGB ", "L": "GRAY", "CMYK": "CMYK"}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def pixels_in_srgb(image: Image.Image) -> Image.Image:
    """The image's pixels as RGB, or RGBA when it has transparency, in sRGB, with an empty
    ``info`` so no writer can carry anything else from the upload into a stored file. An
    RGB image with nothing to convert is returned itself, its ``info`` emptied."""
    profile = foreign_profile(image.info.get("icc_profile"))
    if image.mode in SIXTEEN_BIT_GREY:
        image = _eight_bit_grey(image)
    has_alpha = image.mode in WITH_ALPHA or "transparency" in image.info
    target = "RGBA" if has_alpha else "RGB"
    if image.mode == "CMYK" or (image.mode in ("1", "L") and not has_alpha):
        source = "L" if image.mode == "1" else image.mode
    else:
        source = target
    pixels = image if image.mode == source else image.convert(source)
    transform = _transform_to_srgb(profile, source) if profile else None
    if transform is not None:
        pixels = ImageCms.applyTransform(pixels, transform)
    if pixels.mode != target:
        pixels = pixels.convert(target)
    pixels.info = {}
    return pixels


def foreign_profile(icc: bytes | None) -> ImageCms.ImageCmsProfile | None:
    """The colour profile to convert from, or None when the pixels are taken as sRGB as they
    are: no profile, an sRGB one, or one that cannot be read (a broken profile is no reason
    to refuse a photo)."""
    if not icc:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "sRGB" in ImageCms.getProfileDescription(profile):
            return None
    except (OSError, ImageCms.PyCMSError):
        return None
    return profile


def _transform_to_srgb(profile, source: str) -> ImageCms.ImageCmsTransform | None:
    if profile.profile.xcolor_space != PROFILE_SPACES[source]:
        # A profile for other pixels (a CMYK one on RGB pixels) says nothing about these.
        return None
    try:
        return ImageCms.buildTransform(
            profile,
            SRGB,
            source,
            "RGBA" if source == "RGBA" else "RGB",
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
        )
    except ImageCms.PyCMSError:
        return None


def _eight_bit_grey(image: Image.Image) -> Image.Image:
    """16-bit grey scaled to 8 bits (0..65535 to 0..255); Pillow's own conversion clips
    instead, which turns all but the darkest greys white."""
    wide = image.convert("I")
    grey = wide.point(lambda value: value / 257).convert("L")
    transparent = image.info.get("transparency")
    if isinstance(transparent, int):
        opaque = [255] * 65536
        opaque[transparent] = 0
        grey.putalpha(wide.point(opaque, "L"))
    # The transparent value is now in the alpha channel, the profile already read.
    grey.info = {}
    return grey


def on_white(image: Image.Image) -> Image.Image:
    """The image without transparency: laid on white, as a page would show it."""
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    return flat
