"""Customers telling us we failed: storing a report, guarding the form, and its public status.

A report is one ``Observation`` (source "customer") in the team's standing "customer
reports" session, so it reaches that team's triage queue with nothing special-cased there,
plus its ``CustomerReport``. The standing session is cancelled from the start, with the
reason saying why: it never counts as a walk in participation, today's list or the
dashboard, and is only the place the team's customer reports are kept.
"""

import datetime as dt
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from immersion.models import ImmersionSession, SessionType, Team
from insights.models import Action, CustomerReport
from journal.models import Emotion, Observation

SESSION_TYPE_NAME = "Customer reports"
STANDING_REASON = "Not a walk: this is where reports sent in by customers are kept."
CUSTOMER_USERNAME = "customer-reports"
FORM_SALT = "insights.customer-report.started"
FINISHED = (Action.Status.DONE, Action.Status.VERIFIED)


def customer_author():
    """The account customer reports are filed under: no password, cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=CUSTOMER_USERNAME,
        defaults={"first_name": "A", "last_name": "customer", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def standing_session(team: Team, author) -> ImmersionSession:
    session_type, _ = SessionType.objects.get_or_create(
        name=SESSION_TYPE_NAME,
        defaults={
            "purpose": "Holds what customers report through the public form.",
            "default_duration": dt.timedelta(hours=1),
            "is_active": False,
        },
    )
    found = ImmersionSession.objects.filter(
        team=team, session_type=session_type, status=ImmersionSession.Status.CANCELLED
    ).first()
    if found:
        return found
    now = timezone.now()
    return ImmersionSession.objects.create(
        team=team,
        session_type=session_type,
        lead=author,
        place="Reported by customers",
        planned_start=now,
        planned_end=now + session_type.default_duration,
        status=ImmersionSession.Status.CANCELLED,
        cancel_reason=STANDING_REASON,
    )


def file_report(*, team, what_happened, touchpoint, happened_on, contact="", promise_version=None):
    """Store the report whole or not at all; the caller has validated every field."""
    with transaction.atomic():
        # One standing session per team, even when two customers send their first at once.
        Team.objects.select_for_update().get(pk=team.pk)
        author = customer_author()
        observation = Observation.objects.create(
            session=standing_session(team, author),
            author=author,
            source=Observation.Source.CUSTOMER,
            touchpoint=touchpoint,
            what_happened=what_happened,
            emotion=Emotion.FRUSTRATED,
            kind=Observation.Kind.PAIN_POINT,
        )
        return CustomerReport.objects.create(
            observation=observation,
            team=team,
            promise_version=promise_version,
            happened_on=happened_on,
            contact=contact,
            contact_consent=bool(contact),
        )


# The form's time-to-fill check: the page carries the time it was served, signed, so a
# post that comes back faster than a person types (or with the time altered) is refused.
def form_started_token() -> str:
    return signing.dumps(time.time(), salt=FORM_SALT)


def seconds_since_started(token: str) -> float | None:
    """Seconds since the form was served; None for a token we did not sign or too old."""
    try:
        started = signing.loads(
            token, salt=FORM_SALT, max_age=settings.CUSTOMER_REPORT_FORM_MAX_AGE_SECONDS
        )
    except (signing.BadSignature, TypeError):
        return None
    return time.time() - float(started)


def over_limit(kind: str, key, limit: int, window: int) -> bool:
    """Count one more use of `key` in the current window; True once it passes `limit`.

    The count lives in the cache, so a cache that is down lets posts through rather
    than turning every customer away.
    """
    name = f"customer-report:{kind}:{key}"
    try:
        cache.add(name, 0, timeout=window)
        return cache.incr(name) > limit
    except Exception:  # a cache outage must not refuse customers
        return False


def public_status(report: CustomerReport) -> dict:
    """What the customer may know: where the report stands, and the public wording once
    a fix is published. Nothing internal (names, notes, reasons) is returned."""
    observation = report.observation
    sources = [observation.pk]
    if observation.duplicate_of_id:
        sources.append(observation.duplicate_of_id)
    actions = list(
        Action.objects.filter(observations__in=sources)
        .exclude(status=Action.Status.DROPPED)
        .distinct()
        .values("status", "done_at", "is_published", "we_did")
    )
    finished = [a for a in actions if a["status"] in FINISHED]
    if finished:
        first = min(finished, key=lambda a: a["done_at"])
        published = next(
            (
                a["we_did"]
                for a in finished
                if a["is_published"] and a["status"] == Action.Status.VERIFIED
            ),
            "",
        )
        return {
            "status": CustomerReport.Status.PUT_RIGHT,
            "put_right_on": timezone.localtime(first["done_at"]).date(),
            "we_did": published,
        }
    if actions:
        return {"status": CustomerReport.Status.BEING_PUT_RIGHT}
    if observation.triage_state == Observation.TriageState.UNTRIAGED:
        return {"status": CustomerReport.Status.RECEIVED}
    return {"status": CustomerReport.Status.REVIEWED}
