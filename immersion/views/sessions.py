"""Session pages: the manager's day, the schedule, one session and its moves, the calendar feed."""

from datetime import datetime, time, timedelta

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Q, When
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from immersion.access import role_required, session_for
from immersion.filters import SessionFilter
from immersion.forms import CancelForm, ReflectionForm, ReopenForm, ScheduleForm, SessionEditForm
from immersion.models import ImmersionSession, Role, SessionEvent, SessionStateError, User
from immersion.participation import own_progress
from immersion.scheduling import reschedule, schedule

Status = ImmersionSession.Status
DETAIL_RELATED = ("session_type", "persona", "programme", "team", "lead")


@require_safe
@role_required(Role.MANAGER)
def today(request):
    """Today's and the next seven days' sessions, with the one at hand on top."""
    now = timezone.localtime()
    start_of_today = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
    horizon = datetime.combine(now.date() + timedelta(days=8), time.min, tzinfo=now.tzinfo)
    sessions = list(
        ImmersionSession.objects.for_participant(request.user)
        .filter(planned_start__lt=horizon)
        .filter(
            status__in=[Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED],
            planned_end__gte=start_of_today,
        )
        .select_related("session_type", "persona", "team")
        .order_by("planned_start")
    )
    at_hand = next((s for s in sessions if s.status == Status.IN_PROGRESS), None) or next(
        (
            s
            for s in sessions
            if s.status == Status.PLANNED
            and timezone.localdate(s.planned_start) == now.date()
            and s.planned_end + settings.MISSED_SESSION_GRACE > now
        ),
        None,
    )
    days: dict = {}
    for session in sessions:
        if session is not at_hand:
            days.setdefault(timezone.localdate(session.planned_start), []).append(session)
    return render(
        request,
        "immersion/sessions/today.html",
        {
            "at_hand": at_hand,
            "days": sorted(days.items()),
            "today": now.date(),
            "progress": own_progress(request.user, now.date()),
        },
    )


HOME_SESSIONS = 5


def sessions_panel(user) -> dict:
    """The manager's home: the session under way and the next ones, each with its next step."""
    now = timezone.localtime()
    start_of_today = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
    under_way_first = Case(When(status=Status.IN_PROGRESS, then=0), default=1)
    coming = (
        ImmersionSession.objects.for_participant(user)
        .filter(
            Q(status=Status.IN_PROGRESS) | Q(status=Status.PLANNED, planned_end__gte=start_of_today)
        )
        .select_related("session_type", "persona", "team")
        .order_by(under_way_first, "planned_start", "pk")
    )
    sessions = list(coming[:HOME_SESSIONS])
    for session in sessions:
        session.startable_now = (
            session.status == Status.PLANNED
            and timezone.localdate(session.planned_start) == now.date()
            and session.planned_end + settings.MISSED_SESSION_GRACE > now
        )
    return {"sessions": sessions, "today": now.date()}


def session_under_way(user) -> str | None:
    """Signing in during a session lands on it: the manager is on the shop floor."""
    if not user.is_manager:
        return None
    session_id = (
        ImmersionSession.objects.for_participant(user)
        .filter(status=Status.IN_PROGRESS)
        .order_by("-started_at")
        .values_list("pk", flat=True)
        .first()
    )
    return reverse("immersion:session-detail", args=[session_id]) if session_id else None


@require_safe
@role_required(Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER)
def schedule_list(request):
    queryset = (
        ImmersionSession.objects.visible_to(request.user)
        .select_related("session_type", "persona", "team", "lead", "programme")
        .order_by("planned_start", "pk")
    )
    filter_data = request.GET.copy()
    filter_data.pop("page", None)
    filtered = bool(filter_data)
    if not filtered:
        # Unfiltered, the schedule starts this week: what is coming matters more than the past.
        today = timezone.localdate()
        filter_data["starts_from"] = (today - timedelta(days=today.weekday())).isoformat()
    session_filter = SessionFilter(filter_data, queryset=queryset, user=request.user)
    sessions = session_filter.qs if session_filter.is_valid() else queryset.none()
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "immersion/sessions/list.html",
        {
            "filter": session_filter,
            "filtered": filtered,
            "page": page,
            "query": filter_data.urlencode(),
            "can_schedule": request.user.is_cx_lead or request.user.is_manager,
        },
    )


@require_safe
def session_detail(request, pk):
    session = session_for(
        request.user,
        pk,
        queryset=ImmersionSession.objects.select_related(*DETAIL_RELATED).prefetch_related(
            "companions", Prefetch("events", SessionEvent.objects.select_related("actor"))
        ),
    )
    user = request.user
    participant = session.is_participant(user)
    return render(
        request,
        "immersion/sessions/detail.html",
        {
            "session": session,
            "can_start": participant and session.status == Status.PLANNED,
            "can_complete": participant and session.status == Status.IN_PROGRESS,
            "can_manage": session.can_manage(user) and session.status == Status.PLANNED,
            "can_reopen": session.can_reopen(user) and session.status == Status.COMPLETED,
            "is_participant": participant,
        },
    )


@require_POST
def session_start(request, pk):
    session = session_for(request.user, pk, to="run")
    # A phone sending a start it queued offline asks for JSON and needs a clear yes or no.
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        started = session.start(by=request.user)
    except SessionStateError as error:
        if wants_json:
            errors = {"__all__": [{"message": error.message, "code": "conflict"}]}
            return JsonResponse({"started": False, "errors": errors}, status=409)
        messages.error(request, error.message)
        return redirect("immersion:session-detail", pk=pk)
    # A start queued offline may arrive long after the tap: the next page says it did.
    if started:
        messages.success(request, _("Session started. Take your time and look closely."))
    elif not wants_json:
        messages.info(request, _("The session was already under way."))
    if wants_json:
        next_url = reverse("immersion:session-detail", kwargs={"pk": pk})
        return JsonResponse({"started": True, "replayed": not started, "next": next_url})
    return redirect("immersion:session-detail", pk=pk)


def _transition_page(
    request, pk, *, to, form_class, change, done, template, form_kwargs=None, **context
):
    """A transition that takes a form: show it, apply it on a valid POST, or explain why not.

    ``change(session, cleaned_data)`` calls the guarded model method; a refusal from the
    model lands on the form, so the page says why and the answer is a 400.
    ``form_kwargs(session)`` gives the form what it needs to know of the session.
    """
    session = session_for(
        request.user,
        pk,
        to=to,
        queryset=ImmersionSession.objects.select_related(*DETAIL_RELATED),
    )
    # Bound on every POST, even an empty one, so that a post missing every field is
    # answered with the fields' errors rather than a silent form.
    data = request.POST if request.method == "POST" else None
    form = form_class(data, **(form_kwargs(session) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        try:
            change(session, form.cleaned_data)
        except SessionStateError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("immersion:session-detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"session": session, "form": form, **context}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def session_complete(request, pk):
    return _transition_page(
        request,
        pk,
        to="run",
        form_class=ReflectionForm,
        form_kwargs=lambda session: {"observed_feelings": session.observed_feelings()},
        change=lambda session, data: session.complete(by=request.user, **data),
        done=_("Session completed. Thank you for your reflection."),
        template="immersion/sessions/complete.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def session_cancel(request, pk):
    return _transition_page(
        request,
        pk,
        to="manage",
        form_class=CancelForm,
        change=lambda session, data: session.cancel(by=request.user, reason=data["reason"]),
        done=_("Session cancelled."),
        template="immersion/sessions/state_form.html",
        title=_("Cancel this session"),
        submit=_("Cancel session"),
        danger=True,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def session_reopen(request, pk):
    return _transition_page(
        request,
        pk,
        to="reopen",
        form_class=ReopenForm,
        change=lambda session, data: session.reopen(by=request.user, reason=data["reason"]),
        done=_("Session reopened; the manager can complete it again."),
        template="immersion/sessions/state_form.html",
        title=_("Reopen this session"),
        submit=_("Reopen"),
    )


def _clash_field(form) -> str:
    return "lead" if "lead" in form.fields else "planned_start"


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.CX_LEAD, Role.MANAGER)
def session_create(request):
    initial = {}
    if request.user.is_manager and not request.user.is_cx_lead:
        initial["team"] = request.user.teams.first()
    form = ScheduleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = schedule(
                by=request.user,
                slots=form.slots(),
                companions=list(form.cleaned_data["companions"]),
                **form.session_fields(),
            )
        except ValidationError as error:
            form.add_error(_clash_field(form), error)
        else:
            if len(created) == 1:
                messages.success(request, _("Session planned."))
                return redirect("immersion:session-detail", pk=created[0].pk)
            messages.success(
                request,
                ngettext("%(count)d session planned.", "%(count)d sessions planned.", len(created))
                % {"count": len(created)},
            )
            return redirect(
                reverse("immersion:schedule") + f"?starts_from={timezone.localdate():%Y-%m-%d}"
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "immersion/sessions/form.html",
        {"form": form, "title": _("Plan a session"), "submit": _("Plan")},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def session_edit(request, pk):
    session = session_for(request.user, pk, to="manage")
    if session.status != Status.PLANNED:
        messages.error(request, _("Only a planned session can be changed."))
        return redirect("immersion:session-detail", pk=pk)
    form = SessionEditForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        slot = form.slots()[0]
        try:
            reschedule(
                session,
                by=request.user,
                companions=list(form.cleaned_data["companions"]),
                planned_start=slot.start,
                planned_end=slot.end,
                **form.session_fields(),
            )
        except ValidationError as error:
            form.add_error(_clash_field(form), error)
        else:
            messages.success(request, _("Session updated."))
            return redirect("immersion:session-detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "immersion/sessions/form.html",
        {"form": form, "session": session, "title": _("Change the session"), "submit": _("Save")},
        status=status,
    )


@require_safe
def calendar_page(request):
    feed = request.build_absolute_uri(
        reverse("immersion:calendar-feed", args=[request.user.calendar_token])
    )
    return render(
        request,
        "immersion/sessions/calendar.html",
        {"feed_url": feed, "webcal_url": feed.replace("https://", "webcal://", 1)},
    )


@require_POST
def calendar_regenerate(request):
    request.user.regenerate_calendar_token()
    messages.success(
        request, _("New calendar address made. The old one no longer works: subscribe again.")
    )
    return redirect("immersion:calendar")


FEED_HISTORY = timedelta(days=365)


@login_not_required
@never_cache
@require_safe
def calendar_feed(request, token):
    """The user's sessions as iCalendar, for a phone's calendar to subscribe to.

    The token in the address is the only credential, so an unknown one is a plain 404.
    """
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No such calendar.")
    sessions = (
        ImmersionSession.objects.for_participant(user)
        .filter(planned_start__gte=timezone.now() - FEED_HISTORY)
        .select_related("session_type", "persona", "team")
        .order_by("planned_start")
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Immersion sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.SITE_NAME}: {user}")
    host = request.get_host()
    for session in sessions:
        calendar.add_component(_event(request, session, host))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="immersion-sessions.ics"'
    return response


ICAL_STATUS = {Status.CANCELLED: "CANCELLED", Status.MISSED: "CANCELLED"}


def _event(request, session, host) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"session-{session.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.planned_start)
    event.add("dtend", session.planned_end)
    title = str(session.session_type)
    if session.persona:
        title += f" as {session.persona}"
    event.add("summary", title)
    event.add("location", ", ".join(filter(None, [session.place, str(session.team)])))
    event.add("status", ICAL_STATUS.get(session.status, "CONFIRMED"))
    event.add(
        "url", request.build_absolute_uri(reverse("immersion:session-detail", args=[session.pk]))
    )
    if session.brief:
        event.add("description", session.brief)
    return event
