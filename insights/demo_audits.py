"""A demo audit: an outside firm's auditor checked the newest month that can be audited and
has customer problems to count, found one sampled fix not borne out by its evidence, and
signed, so the public page shows a checked month and its statement. Nothing is made when
an audit exists already."""

from django.utils import timezone

from immersion.models import User
from insights.audits import auditable_months, draw_sample, month_rows
from insights.models import Audit, AuditItem

STATEMENT = (
    "We drew the sample at random from every fix verified and every report customers made "
    "in the month, and checked each against the records: the observation, the evidence "
    "given when the fix was done, and the dates it was answered and put right. One fix had "
    "no evidence that the change was made at the place named; we have asked for it."
)


def seed(out, rng) -> None:
    auditor = User.objects.filter(username="audrey").first()
    if auditor is None or Audit.objects.exists():
        return
    for month in auditable_months(timezone.localdate()):
        # A month without customer problems would show an audit of empty figures.
        if not month_rows(month, timezone.now())["issues"]:
            continue
        audit = Audit.objects.create(
            month=month, auditor=auditor, auditor_organisation="Fairweather Audit LLP"
        )
        if draw_sample(audit, fixes=10, reports=5, rng=rng):
            break
        audit.delete()
    else:
        return
    items = list(audit.items.order_by("pk"))
    for n, item in enumerate(items):
        doubtful = n == 0 and item.kind == AuditItem.Kind.FIX
        audit.record(
            item,
            finding=AuditItem.Finding.NOT_CONFIRMED if doubtful else AuditItem.Finding.CONFIRMED,
            note="The evidence photo shows another store's entrance." if doubtful else "",
        )
    audit.sign(STATEMENT, month_rows(month, timezone.now()))
    out.write(f"Audited {month:%B %Y}: {len(items)} items sampled and checked, and signed.")
