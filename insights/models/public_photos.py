"""Photos of a published fix shown to the public: a copy with faces blurred, never the original.

A CX lead who may publish the fix's wording picks a photo of what was seen (before: a
photo of one of the observations the action addresses) or of the evidence (after), checks
the faces found automatically, draws boxes over anything else to hide, writes what the
photo shows for those who cannot see it, and publishes. The blurred copy is a file of its
own under ``public-photos/``; the private original is read, never changed. Taking a photo
down deletes its row and, once that is committed, its file.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights import face_blur
from insights.models.actions import Action, ActionEvent, ActionStateError
from journal.models import Photo

PUBLIC_FOLDER = "public-photos"
# Enough for a crowded shop floor; more means the photo should not be published at all.
MAX_BOXES = 30
# Smaller than this, in pixels of the original, is a slip of the finger, not an area.
MIN_BOX_SIDE = 8
NOT_PUBLISHABLE = _(
    "Photos go on the public page only with a verified fix whose wording is published: "
    "publish the action’s “you said, we did” first."
)
BOX_FORMAT = "[[left, top, width, height], \u2026] in pixels of the photo"


def clean_boxes(value, width: int, height: int) -> list[list[int]]:
    """Boxes as a list of ``[left, top, width, height]`` whole pixels inside the photo.

    Raises ValidationError, saying which box is wrong and why, for anything else.
    """
    if not isinstance(value, list):
        raise ValidationError(f"Write the boxes as a list: {BOX_FORMAT}.", code="boxes_format")
    if len(value) > MAX_BOXES:
        raise ValidationError(
            f"There are {len(value)} boxes; at most {MAX_BOXES} can be blurred on one photo. "
            "A photo that needs more is better left unpublished.",
            code="too_many_boxes",
        )
    boxes = []
    for number, box in enumerate(value, start=1):
        if (
            not isinstance(box, list)
            or len(box) != 4
            or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in box)
        ):
            raise ValidationError(
                f"Box {number} is not four numbers: {BOX_FORMAT}.", code="boxes_format"
            )
        left, top, box_width, box_height = (round(n) for n in box)
        if box_width < MIN_BOX_SIDE or box_height < MIN_BOX_SIDE:
            raise ValidationError(
                f"Box {number} is too small: make it at least {MIN_BOX_SIDE} pixels each way.",
                code="box_too_small",
            )
        if left < 0 or top < 0 or left + box_width > width or top + box_height > height:
            raise ValidationError(
                f"Box {number} goes outside the photo, which is {width} \u00d7 {height} "
                "pixels: keep every box inside it.",
                code="box_outside",
            )
        boxes.append([left, top, box_width, box_height])
    return boxes


class PublicPhotoQuerySet(models.QuerySet):
    def shown(self):
        """The copies the public may see: their fix is still published and verified."""
        return self.filter(action__is_published=True, action__status=Action.Status.VERIFIED)


class PublicPhoto(models.Model):
    """A blurred copy of one private photo of a fix, published on "you said, we did"."""

    class Side(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    # Random, so the public addresses of the copies say nothing about how many there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="public_photos")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="public_copies")
    side = models.CharField(max_length=6, choices=Side.choices)
    # Both lists of [left, top, width, height] in pixels of the original (see clean_boxes).
    detected_boxes = models.JSONField(default=list, blank=True)
    drawn_boxes = models.JSONField(default=list, blank=True)
    file = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField("Alt text", max_length=300)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    objects = PublicPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["action", "published_at", "pk"]
        constraints = [
            # Its index also serves the public page's read of the photos of its fixes.
            models.UniqueConstraint(fields=["action", "photo"], name="public_photo_once"),
            models.CheckConstraint(
                condition=Q(side__in=["before", "after"]), name="public_photo_side_known"
            ),
            models.CheckConstraint(condition=~Q(alt_text=""), name="public_photo_has_alt_text"),
            models.CheckConstraint(condition=~Q(file=""), name="public_photo_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} photo of {self.action_id}"

    def clean(self) -> None:
        errors = {}
        for field in ("detected_boxes", "drawn_boxes"):
            try:
                clean_boxes(getattr(self, field), self.photo.width, self.photo.height)
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def is_publishable(action: Action) -> bool:
        return action.is_published and action.status == Action.Status.VERIFIED

    @classmethod
    def side_of(cls, action: Action, photo: Photo) -> "PublicPhoto.Side | None":
        """Before for a photo of what the action addresses, after for its evidence, else None."""
        if photo.observation_id and action.observations.filter(pk=photo.observation_id).exists():
            return cls.Side.BEFORE
        if action.evidence_photos.filter(pk=photo.pk).exists():
            return cls.Side.AFTER
        return None

    @classmethod
    def publish(cls, *, action: Action, photo: Photo, by, drawn_boxes, alt_text: str):
        """Blur the photo's faces and the drawn boxes into a new public copy and publish it.

        Publishing again replaces the copy. Raises ValidationError for bad boxes or alt
        text and ActionStateError when the fix may not show photos; nothing is kept then.
        """
        drawn = clean_boxes(drawn_boxes, photo.width, photo.height)
        alt_text = " ".join((alt_text or "").split())
        if not alt_text:
            raise ValidationError(_("Describe what the photo shows."), code="alt_text_required")
        side = cls.side_of(action, photo)
        if side is None:
            raise ActionStateError("That photo is not one of this fix\u2019s photos.")
        if not cls.is_publishable(action):
            raise ActionStateError(NOT_PUBLISHABLE)
        # The slow part, before any row is locked.
        detected = face_blur.detected_boxes(photo)
        copy = face_blur.blurred_copy(photo, detected + drawn)
        now = timezone.now()
        name = default_storage.save(
            f"{PUBLIC_FOLDER}/{now:%Y/%m}/{uuid.uuid4().hex}.jpg", ContentFile(copy.content)
        )
        committing = False
        try:
            with transaction.atomic():
                locked = Action.objects.select_for_update().get(pk=action.pk)
                if not cls.is_publishable(locked):
                    raise ActionStateError(NOT_PUBLISHABLE)
                public, created = cls.objects.select_for_update().get_or_create(
                    action=locked,
                    photo=photo,
                    defaults={
                        "side": side,
                        "file": name,
                        "width": copy.width,
                        "height": copy.height,
                        "alt_text": alt_text,
                        "published_by": by,
                        "published_at": now,
                        "detected_boxes": detected,
                        "drawn_boxes": drawn,
                    },
                )
                if not created:
                    replaced = public.file.name
                    public.file = name
                    public.width, public.height = copy.width, copy.height
                    public.alt_text, public.published_by, public.published_at = alt_text, by, now
                    public.detected_boxes, public.drawn_boxes = detected, drawn
                    public.save()
                    _delete_file_on_commit(replaced)
                locked._record(
                    by,
                    ActionEvent.Kind.PUBLISHED,
                    new=f"{side.label} photo on the public page",
                    note=alt_text,
                )
                committing = True
        except BaseException:
            # Only when the block itself failed, which certainly rolled the row back (see
            # journal.images.photo_transaction).
            if not committing:
                default_storage.delete(name)
            raise
        return public

    def take_down(self, *, by) -> None:
        """Off the public page: the row goes now, its file once that is committed."""
        with transaction.atomic():
            locked = Action.objects.select_for_update().get(pk=self.action_id)
            deleted, _ = PublicPhoto.objects.filter(pk=self.pk).delete()
            if deleted:
                locked._record(
                    by,
                    ActionEvent.Kind.PUBLISHED,
                    old=f"{self.get_side_display()} photo on the public page",
                    new="Taken down",
                    note=self.alt_text,
                )


def _delete_file_on_commit(name: str) -> None:
    # robust: a file that cannot be removed is no reason to undo a committed change.
    transaction.on_commit(lambda: default_storage.delete(name), robust=True)


@receiver(post_delete, sender=PublicPhoto, dispatch_uid="insights-public-photo-file")
def _public_copy_goes_with_its_row(sender, instance: PublicPhoto, **kwargs) -> None:
    """Taken down, or its action or source photo deleted: the public copy goes too."""
    if instance.file.name:
        _delete_file_on_commit(instance.file.name)
