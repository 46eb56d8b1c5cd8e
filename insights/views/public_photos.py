"""Photos for the public page: a CX lead previews a blurred copy and publishes it; the public
sees only that copy, and only while its fix is published and verified.

The CX lead pages follow the action's own rule (``insights.access``): 404 for an action
the user cannot see, 403 for one they see but may not change, the same as its wording.
"""

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from insights import access, face_blur
from insights.models import Action, ActionStateError, PublicPhoto
from insights.models.public_photos import NOT_PUBLISHABLE, clean_boxes
from insights.public_photo_forms import PUBLISH, PublicPhotoForm, boxes_as_text
from insights.public_photos import after_photos, before_photos
from insights.views.public import PUBLIC_CACHE_SECONDS, forget_public_pages
from journal.images import serve_photo
from journal.models import Photo
from journal.renditions import fit


def _managed_action(request, pk) -> Action:
    action = access.get_action(request.user, pk, Action.objects.select_related("team"))
    access.require_manage(request.user, action)
    return action


def _source_photo(action, photo_id) -> tuple[Photo, PublicPhoto.Side]:
    """One of the action's own photos, else 404: a photo of another fix is not found here."""
    photo = get_object_or_404(Photo.objects.all(), pk=photo_id)
    side = PublicPhoto.side_of(action, photo)
    if side is None:
        raise Http404("That photo is not one of this fix\u2019s photos.")
    return photo, side


@require_safe
def photo_list(request, pk):
    action = _managed_action(request, pk)
    published = {p.photo_id: p for p in action.public_photos.select_related("published_by")}
    sides = [
        (PublicPhoto.Side.BEFORE, _("What was seen"), list(before_photos(action))),
        (PublicPhoto.Side.AFTER, _("The fix"), list(after_photos(action))),
    ]
    for _side, _title, photos in sides:
        for photo in photos:
            photo.public_copy = published.get(photo.pk)
    return render(
        request,
        "insights/public_photos/photo_list.html",
        {
            "action": action,
            "sides": sides,
            "publishable": PublicPhoto.is_publishable(action),
            "not_publishable": NOT_PUBLISHABLE,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def photo_edit(request, pk, photo_id):
    action = _managed_action(request, pk)
    photo, side = _source_photo(action, photo_id)
    public = action.public_photos.select_related("published_by").filter(photo=photo).first()
    if request.method != "POST":
        initial = {}
        if public is not None:
            initial = {"boxes": boxes_as_text(public.drawn_boxes), "alt_text": public.alt_text}
        form = PublicPhotoForm(initial=initial, photo=photo)
        drawn = public.drawn_boxes if public is not None else []
        return _render_edit(request, action, photo, side, public, form, drawn)
    publishing = request.POST.get("step") == PUBLISH
    form = PublicPhotoForm(request.POST, photo=photo, publishing=publishing)
    if not form.is_valid():
        return _render_edit(request, action, photo, side, public, form, [], status=400)
    drawn = form.cleaned_data["boxes"]
    if not publishing:
        return _render_edit(request, action, photo, side, public, form, drawn)
    try:
        PublicPhoto.publish(
            action=action,
            photo=photo,
            by=request.user,
            drawn_boxes=drawn,
            alt_text=form.cleaned_data["alt_text"],
        )
    except ActionStateError as exc:
        form.add_error(None, str(exc))
        return _render_edit(request, action, photo, side, public, form, drawn, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_edit(request, action, photo, side, public, form, drawn, status=400)
    # The public page shows it at once instead of after its cache runs out.
    forget_public_pages()
    messages.success(
        request,
        _("The %(side)s photo is on the public page.") % {"side": side.label.lower()},
    )
    return redirect("insights:action-public-photos", pk=action.pk)


def _render_edit(request, action, photo, side, public, form, drawn, status=200):
    width, height = fit((photo.width, photo.height), face_blur.WORKING_SIDE)
    detected = face_blur.detected_boxes(photo)
    context = {
        "action": action,
        "photo": photo,
        "side": side,
        "public": public,
        "form": form,
        "detected": detected,
        "detected_json": json.dumps(detected),
        "drawn_query": boxes_as_text(drawn),
        "preview_width": width,
        "preview_height": height,
        "publishable": PublicPhoto.is_publishable(action),
        "not_publishable": NOT_PUBLISHABLE,
    }
    return render(request, "insights/public_photos/photo_edit.html", context, status=status)


@require_safe
def photo_preview(request, pk, photo_id):
    """The blurred copy as it would be published with these boxes; never cached or stored."""
    action = _managed_action(request, pk)
    photo, _side = _source_photo(action, photo_id)
    try:
        drawn = clean_boxes(json.loads(request.GET.get("boxes") or "[]"), photo.width, photo.height)
    except (ValueError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return HttpResponseBadRequest(f"These boxes cannot be previewed: {message}")
    copy = face_blur.blurred_copy(photo, face_blur.detected_boxes(photo) + drawn)
    response = HttpResponse(copy.content, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def photo_source(request, pk, photo_id):
    """The private thumbnail, for the CX lead's list of photos to choose from."""
    action = _managed_action(request, pk)
    photo, _side = _source_photo(action, photo_id)
    return serve_photo(request, photo, "thumbnail")


@require_POST
def photo_take_down(request, pk, photo_id):
    action = _managed_action(request, pk)
    photo, side = _source_photo(action, photo_id)
    public = get_object_or_404(action.public_photos.all(), photo=photo)
    public.take_down(by=request.user)
    forget_public_pages()
    messages.success(
        request,
        _("The %(side)s photo is off the public page.") % {"side": side.label.lower()},
    )
    return redirect("insights:action-public-photos", pk=action.pk)


@login_not_required
@require_safe
def public_photo(request, pk):
    """The blurred copy, to anyone, while its fix is published and verified; else 404."""
    public = get_object_or_404(PublicPhoto.objects.shown(), pk=pk)
    name = public.file.name
    etag = f'"{hashlib.sha256(name.encode()).hexdigest()[:32]}"'
    # As long as the public page itself is kept: a photo taken down leaves shared caches
    # as soon as the page that showed it does.
    cache_control = f"public, max-age={PUBLIC_CACHE_SECONDS}"
    if not (response := get_conditional_response(request, etag=etag)):
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404("The photo file is missing.") from None
        response = FileResponse(handle, content_type="image/jpeg")
        response["Content-Disposition"] = f'inline; filename="{public.pk}.jpg"'
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    response["ETag"] = etag
    return response
