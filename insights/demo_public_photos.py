"""Demo photos on the public page: the newest published fix shows what was seen and the fix.

Both are drawn with Pillow and go through the real pipeline: stored as private photos,
then published as blurred copies. A drawn face is no face to the detector, so the demo's
CX lead covers the shopper's with a box, as they would for a face it missed.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from insights.models import Action, PublicPhoto
from journal.images import store_photo

WIDTH, HEIGHT = 1600, 1200
# The shopper's head in the "before" scene, with room for hair.
HEAD = (1040, 330, 200, 240)
BEFORE_ALT = "A locked fitting room door with a shopper waiting beside it, face blurred."
AFTER_ALT = "The fitting room door open, with a sign saying a colleague is on hand to help."


def seed(out, lead) -> None:
    if lead is None or PublicPhoto.objects.exists():
        return
    fix = (
        Action.objects.filter(is_published=True, status=Action.Status.VERIFIED)
        .order_by("-verified_at", "-pk")
        .first()
    )
    observation = fix.observations.order_by("created_at", "pk").first() if fix else None
    if observation is None:
        return
    before = _stored(_scene(locked=True), observation.author, observation)
    after = _stored(_scene(locked=False), fix.owner)
    fix.evidence_photos.add(after)
    PublicPhoto.publish(
        action=fix, photo=before, by=lead, drawn_boxes=[list(HEAD)], alt_text=BEFORE_ALT
    )
    PublicPhoto.publish(action=fix, photo=after, by=lead, drawn_boxes=[], alt_text=AFTER_ALT)
    out.write(f"Published a before and an after photo of \u201c{fix.title}\u201d, faces blurred.")


def _stored(content: bytes, uploaded_by, observation=None):
    upload = SimpleUploadedFile("IMG_demo.jpg", content, content_type="image/jpeg")
    return store_photo(upload, uploaded_by, observation)


def _scene(*, locked: bool) -> bytes:
    """A shop's fitting room door: shut with a shopper waiting, or open with a sign."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (226, 221, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT * 4 // 5, WIDTH, HEIGHT), fill=(150, 140, 130))
    door = (420, 180, 860, HEIGHT * 4 // 5)
    if locked:
        draw.rectangle(door, fill=(120, 84, 60), outline=(60, 40, 30), width=8)
        draw.ellipse((790, 560, 830, 600), fill=(200, 180, 60))
        _shopper(draw)
    else:
        draw.rectangle(door, fill=(40, 36, 34), outline=(60, 40, 30), width=8)
        draw.rectangle((880, 300, 1400, 520), fill=(11, 79, 108))
        draw.text((910, 340), "Fitting rooms open", fill=(255, 255, 255), font_size=44)
        draw.text((910, 420), "Ask us for help", fill=(255, 255, 255), font_size=44)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _shopper(draw: ImageDraw.ImageDraw) -> None:
    left, top, width, height = HEAD
    draw.rectangle((left - 40, top + height - 20, left + width + 40, 960), fill=(70, 110, 160))
    draw.ellipse((left + 20, top + 40, left + width - 20, top + height), fill=(224, 182, 150))
    draw.chord((left + 10, top, left + width - 10, top + 150), 180, 360, fill=(80, 50, 30))
    for eye in (left + 70, left + 130):
        draw.ellipse((eye - 10, top + 120, eye + 10, top + 140), fill=(40, 30, 30))
    draw.arc((left + 70, top + 160, left + 130, top + 200), 20, 160, fill=(120, 40, 40), width=5)
