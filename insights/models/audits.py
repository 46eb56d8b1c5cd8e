"""Independent checks of the published figures.

An auditor draws a random sample of the fixes verified and the reports customers made in
one month, checks each against its evidence and records a finding. Signing the audit
freezes that month: the rows behind its public figures are stored with it, and the public
pages read the month from them from then on, so a later change to the data cannot
silently change a month someone independent has checked.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.models.actions import Action
from insights.models.customers import CustomerReport


class AuditError(Exception):
    """An audit change its state does not allow, in words for the auditor."""


class Audit(models.Model):
    month = models.DateField(help_text=_("The first day of the month audited."))
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits"
    )
    auditor_organisation = models.CharField(_("Your organisation"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    statement = models.TextField(blank=True, max_length=4000)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(signed_at__isnull=False),
                name="audit_one_signed_per_month",
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | ~Q(statement=""),
                name="audit_signed_has_statement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%B %Y} by {self.auditor_organisation}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def record(self, item: "AuditItem", *, finding: str, note: str) -> None:
        if self.is_signed:
            raise AuditError("This audit is signed: its findings can no longer change.")
        item.finding, item.note, item.checked_at = finding, note, timezone.now()
        item.save(update_fields=["finding", "note", "checked_at"])

    def sign(self, statement: str, snapshot: dict) -> None:
        """Sign with the statement, and freeze the month with `snapshot` (its rows)."""
        with transaction.atomic():
            audit = Audit.objects.select_for_update().get(pk=self.pk)
            if audit.is_signed:
                raise AuditError("This audit is already signed.")
            if audit.items.filter(finding=AuditItem.Finding.PENDING).exists():
                raise AuditError("Record a finding for every sampled item before signing.")
            if Audit.objects.filter(month=audit.month, signed_at__isnull=False).exists():
                raise AuditError(f"{audit.month:%B %Y} has already been audited and signed.")
            found = audit.items.aggregate(
                fixes=models.Count("pk", filter=Q(kind=AuditItem.Kind.FIX)),
                fixes_confirmed=models.Count(
                    "pk", filter=Q(kind=AuditItem.Kind.FIX, finding=AuditItem.Finding.CONFIRMED)
                ),
                reports=models.Count("pk", filter=Q(kind=AuditItem.Kind.REPORT)),
                reports_confirmed=models.Count(
                    "pk",
                    filter=Q(kind=AuditItem.Kind.REPORT, finding=AuditItem.Finding.CONFIRMED),
                ),
            )
            self.statement, self.signed_at = statement, timezone.now()
            self.save(update_fields=["statement", "signed_at"])
            MonthSnapshot.objects.create(month=self.month, audit=self, sample=found, rows=snapshot)


class AuditItem(models.Model):
    """One sampled fix or report, and what the auditor found when checking it."""

    class Kind(models.TextChoices):
        FIX = "fix", _("Verified fix")
        REPORT = "report", _("Customer report")

    class Finding(models.TextChoices):
        PENDING = "", _("Not checked yet")
        CONFIRMED = "confirmed", _("Confirmed by the evidence")
        NOT_CONFIRMED = "not_confirmed", _("Not confirmed")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        CustomerReport, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding = models.CharField(max_length=15, choices=Finding.choices, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="fix", action__isnull=False, report__isnull=True))
                | (Q(kind="report", report__isnull=False, action__isnull=True)),
                name="audit_item_is_a_fix_or_a_report",
            ),
            models.UniqueConstraint(fields=["audit", "action"], name="audit_item_unique_fix"),
            models.UniqueConstraint(fields=["audit", "report"], name="audit_item_unique_report"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.action_id or self.report_id}"


class MonthSnapshot(models.Model):
    """A signed month's public figures, kept as the rows that made them."""

    month = models.DateField(unique=True)
    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="snapshot")
    # {"issues": [[observation id, team path, put right in time], ...],
    #  "reports": [[report id, promise id, team path, answer due, answered, fix due, fixed]]}
    rows = models.JSONField()
    # {"fixes": n, "fixes_confirmed": n, "reports": n, "reports_confirmed": n}
    sample = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}"


class AuditorAccess(models.Model):
    """Every request an auditor makes, so the organisation can see what was looked at."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "auditor accesses"

    def __str__(self) -> str:
        return f"{self.user} {self.method} {self.path} {self.status}"
