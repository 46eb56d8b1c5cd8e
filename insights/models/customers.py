"""The organisation's public promises, and the reports customers send when we fail them.

A promise is never edited in place: each change is a new ``PromiseVersion``, so a
customer can read what was promised when they reported, and the promise's figures
measure each report against the days its own version gave.

A customer's report is an ``Observation`` with source "customer" (so it is triaged like
any other) plus a ``CustomerReport`` holding what only the customer side needs: the
reference they look it up by, the promise, and how to reach them if they agreed to it.
"""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from immersion.models import Team
from journal.models import Observation

# No 0/O, 1/I/L: a reference is read aloud on the phone and copied by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


class Promise(models.Model):
    """One thing the organisation (or one team, e.g. a store) promises its customers."""

    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promises",
        help_text=_("Leave empty for a promise the whole organisation makes."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        current = self.current
        return current.title if current else f"Promise {self.pk}"

    @property
    def current(self) -> "PromiseVersion | None":
        """The newest version; views prefetch ``versions`` (newest first) to read it free."""
        versions = list(self.versions.all())
        return versions[0] if versions else None

    def revise(self, *, by, **wording) -> "PromiseVersion":
        """Publish a new version; the earlier ones stay readable, unchanged."""
        with transaction.atomic():
            locked = Promise.objects.select_for_update().get(pk=self.pk)
            last = locked.versions.order_by("-number").values_list("number", flat=True).first()
            return PromiseVersion.objects.create(
                promise=locked, number=(last or 0) + 1, created_by=by, **wording
            )


class PromiseVersion(models.Model):
    """The promise's words as published from ``created_at`` until the next version."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    can_count_on = models.TextField(_("What you can count on"), max_length=1000)
    we_expect = models.TextField(_("What we ask of you"), max_length=1000)
    if_we_fail = models.TextField(_("What we do if we fail"), max_length=1000)
    answer_within_days = models.PositiveSmallIntegerField(
        _("We answer within (days)"),
        help_text=_("Days from a customer's report to our first answer."),
    )
    put_right_within_days = models.PositiveSmallIntegerField(
        _("We put it right within (days)"), help_text=_("Days from a customer's report to the fix.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["promise", "number"], name="promise_version_unique"),
            models.CheckConstraint(
                condition=Q(answer_within_days__gte=1, put_right_within_days__gte=1),
                name="promise_version_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class CustomerReport(models.Model):
    """A customer telling us we failed: found again by its reference, never by anything else."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REVIEWED = "reviewed", _("Looked at")
        BEING_PUT_RIGHT = "being_put_right", _("Being put right")
        PUT_RIGHT = "put_right", _("Put right")

    reference = models.CharField(max_length=9, unique=True, default=new_reference, editable=False)
    observation = models.OneToOneField(
        Observation, on_delete=models.PROTECT, related_name="customer_report"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="customer_reports")
    promise_version = models.ForeignKey(
        PromiseVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    happened_on = models.DateField()
    contact = models.CharField(max_length=200, blank=True)
    contact_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # We keep a way to reach the customer only if they agreed to be reached.
            models.CheckConstraint(
                condition=Q(contact="") | Q(contact_consent=True),
                name="customer_report_contact_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.reference
