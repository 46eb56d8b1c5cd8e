import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from immersion.access import role_required
from immersion.models import Role
from journal import access, images, prompts
from journal.forms import CaptureForm, ObservationFilter, ObservationForm
from journal.models import Observation, is_open_for_observations
from journal.prompts import PromptRefused
from journal.services import ClientUuidTaken, SessionClosed, record_observation

JOURNAL_ROLES = (Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER)
PAGE_SIZE = 20
RECENT_ON_CAPTURE = 5


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "HEAD", "POST"])
def capture(request, session_id):
    """The phone page: log one observation with photos, then straight back to an empty form."""
    session = access.participant_session_or_404(request.user, session_id)
    status = 200
    suggested = session.session_type.suggested_touchpoints or []
    if request.method == "POST":
        form = CaptureForm(
            request.POST,
            request.FILES,
            suggested_touchpoints=suggested,
            session=session,
            user=request.user,
        )
        problem = None
        if form.is_valid():
            try:
                observation, _created = record_observation(
                    session,
                    request.user,
                    form.observation_fields(),
                    form.cleaned_data["photos"],
                    on_create=form.attach_answers,
                )
            except PromptRefused as refused:
                problem, status = str(refused), 409
            except SessionClosed:
                problem, status = _("This session is closed for new observations."), 409
            except ClientUuidTaken:
                problem, status = (
                    _("This form was already used. Reload the page and try again."),
                    409,
                )
            else:
                return _saved(request, session, observation)
        else:
            status = 422
        if wants_json(request):
            errors = form.errors.get_json_data() if status == 422 else {}
            if problem:
                errors["__all__"] = [{"message": problem, "code": "conflict"}]
            return JsonResponse({"saved": False, "errors": errors}, status=status)
        if problem:
            form.add_error(None, problem)
    else:
        form = CaptureForm(initial={"client_uuid": uuid.uuid4()}, suggested_touchpoints=suggested)
    mine = Observation.objects.filter(session=session, author=request.user)
    saved = request.GET.get("saved") == "1" and request.method != "POST"
    context = {
        "session": session,
        "form": form,
        "is_open": is_open_for_observations(session),
        # A planned session can be started from this page, even offline, then captured.
        "needs_start": session.status == session.Status.PLANNED,
        "saved": saved,
        "just_saved": _just_saved(request, mine) if saved else None,
        "count": mine.count(),
        "recent": mine.prefetch_related("photos")[:RECENT_ON_CAPTURE],
        "max_photos": settings.PHOTO_MAX_PER_OBSERVATION,
        "prompt_groups": _prompt_groups(session, request.user, form),
    }
    return render(request, "journal/capture.html", context, status=status)


def _prompt_groups(session, user, form):
    """The questions other apps ask in this session, with what the form holds for each."""
    groups = []
    for provider in prompts.providers():
        asked = provider.prompts(session, user)
        if asked:
            chosen = form.data.get(provider.field, "") if form.is_bound else ""
            groups.append(
                {
                    "field": provider.field,
                    "prompts": asked,
                    "chosen": chosen,
                    "errors": form.errors.get(provider.field, []),
                }
            )
    return groups


def _just_saved(request, mine):
    """The observation the banner offers to undo or edit, while its author still may."""
    try:
        pk = int(request.GET.get("observation", ""))
    except ValueError:
        return None
    observation = mine.filter(pk=pk).first()
    if observation is None or not observation.can_edit(request.user):
        return None
    return observation


def _saved(request, session, observation):
    url = reverse("journal:capture", kwargs={"session_id": session.pk})
    url += f"?saved=1&observation={observation.pk}"
    if wants_json(request):
        return JsonResponse({"saved": True, "observation": observation.pk, "next": url})
    return redirect(url, permanent=False)


@require_safe
def outbox(request):
    """What this phone still has to send; the page script reads it from the phone itself."""
    return render(request, "journal/outbox.html")


@require_safe
@role_required(*JOURNAL_ROLES)
def observation_list(request):
    # Themes are kept by the insights app, which names the relation "themes".
    observations = (
        Observation.objects.visible_to(request.user).with_cards().prefetch_related("themes")
    )
    filterset = ObservationFilter(request.GET or None, queryset=observations, user=request.user)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else observations
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters_active = any(value for key, value in query.items() if key != "q")
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "filters_active": filters_active,
    }
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return render(request, "journal/observation_list.html", context, status=status)


@require_safe
def observation_detail(request, pk):
    observation = access.observation_or_404(request.user, pk)
    # Follow-up actions point at observations; the relation is read by name only.
    actions = observation.actions.select_related("owner")
    context = {
        "observation": observation,
        "themes": observation.themes.all(),
        "session": observation.session,
        "actions": actions,
        "can_edit": observation.can_edit(request.user),
        "can_delete": observation.can_delete(request.user),
    }
    return render(request, "journal/observation_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def observation_edit(request, pk):
    observation = access.observation_or_404(request.user, pk)
    if not observation.can_edit(request.user):
        raise PermissionDenied(_("Only the author may change an observation, within its window."))
    form = ObservationForm(request.POST or None, instance=observation)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Observation updated."))
            return redirect(observation)
        status = 422
    else:
        status = 200
    context = {"form": form, "observation": observation}
    return render(request, "journal/observation_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def observation_delete(request, pk):
    observation = access.observation_or_404(request.user, pk)
    if not observation.can_delete(request.user):
        raise PermissionDenied(_("Only the author or a CX lead may delete an observation."))
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()[:2000]
        observation.delete_by(request.user, reason=reason)
        messages.success(request, _("Observation deleted. A record of the deletion is kept."))
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        if request.user.roles:
            return redirect("journal:list")
        return redirect("home")
    return render(request, "journal/observation_delete.html", {"observation": observation})


@require_safe
def photo_file(request, photo_id, variant):
    photo = access.photo_or_404(request.user, photo_id)
    return images.serve_photo(request, photo, variant)


@require_POST
def photo_retry(request, photo_id):
    photo = access.photo_or_404(request.user, photo_id)
    if not photo.can_retry(request.user):
        raise PermissionDenied(_("Only the uploader or a CX lead may retry a photo."))
    photo.retry(by=request.user)
    messages.success(request, _("The photo is queued again."))
    return redirect("journal:observation-detail", pk=photo.observation_id)
