"""Who may see and change what. Every view goes through these helpers.

Rules: a manager reaches the teams they belong to and the teams below them; a
CX lead and an executive reach the subtree of their teams too, the CX lead to
change, the executive only to read. Objects outside the reach give 404 (their
existence is not revealed); objects in reach that the user may not change give 403.

Session types and personas are one catalogue shared by every team: any CX lead reads
it, and only staff and the CX leads of a top-level team change it.
"""

from functools import wraps

from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from immersion.models import ImmersionSession, Programme, Role, User


def has_any_role(user, roles) -> bool:
    return user.is_authenticated and bool(user.roles & set(roles))


def role_required(*roles: Role):
    """Refuse (403) a signed-in user who holds none of the roles."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_any_role(request.user, roles):
                raise PermissionDenied("Your role does not include this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(UserPassesTestMixin):
    allowed_roles: tuple[Role, ...] = ()
    raise_exception = True
    permission_denied_message = "Your role does not include this page."

    def test_func(self) -> bool:
        return has_any_role(self.request.user, self.allowed_roles)


def can_change_catalogue(user) -> bool:
    """Staff, or a CX lead of a top-level team: the catalogue is everyone's, not one store's."""
    if user.is_staff:
        return True
    return user.is_cx_lead and user.teams.filter(parent__isnull=True).exists()


def can_read_catalogue(user) -> bool:
    return user.is_cx_lead or can_change_catalogue(user)


def catalogue_reader_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_read_catalogue(request.user):
            raise PermissionDenied("Your role does not include this page.")
        return view(request, *args, **kwargs)

    return wrapped


def catalogue_editor_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_change_catalogue(request.user):
            raise PermissionDenied(
                "Session types and personas are shared by every team: only staff and the "
                "CX leads of a top-level team change them."
            )
        return view(request, *args, **kwargs)

    return wrapped


SESSION_CHECKS = {
    "read": lambda session, user: True,
    "run": lambda session, user: session.can_run(user),
    "manage": lambda session, user: session.can_manage(user),
    "reopen": lambda session, user: session.can_reopen(user),
}


def session_for(user, pk, to: str = "read", queryset=None):
    """The session with this id if the user may do `to` with it.

    404 if it is outside the user's reach, 403 if they may see it but not do `to`
    ("run": start or complete it; "manage": edit or cancel; "reopen").
    """
    queryset = queryset if queryset is not None else ImmersionSession.objects.all()
    session = get_object_or_404(queryset.visible_to(user), pk=pk)
    if not SESSION_CHECKS[to](session, user):
        raise PermissionDenied("You may read this session but not change it.")
    return session


def reaches_beyond(user):
    """True for a programme with a team or a named person outside the user's scope.

    The programme form offers only what the user reaches, so saving such a programme would
    silently drop the rest: only a CX lead who reaches all of it may change it.
    """
    scope = user.scope_team_ids
    team_links = Programme.participant_teams.through.objects
    person_links = Programme.participants.through.objects
    in_scope = User.teams.through.objects.filter(user_id=OuterRef("user_id"), team_id__in=scope)
    return Exists(
        team_links.filter(programme_id=OuterRef("pk")).exclude(team_id__in=scope)
    ) | Exists(person_links.filter(~Exists(in_scope), programme_id=OuterRef("pk")))


def programme_for(user, pk, change: bool = False, queryset=None):
    """The programme if the user reaches it (else 404), with `can_change` set on it.

    A CX lead may change a programme when every team and person in it is within their
    scope; `change=True` refuses (403) anyone else.
    """
    queryset = queryset if queryset is not None else Programme.objects.all()
    if user.is_cx_lead:
        queryset = queryset.annotate(reaches_beyond_user=reaches_beyond(user))
    programme = get_object_or_404(queryset.visible_to(user), pk=pk)
    programme.can_change = user.is_cx_lead and not programme.reaches_beyond_user
    if change and not user.is_cx_lead:
        raise PermissionDenied("Only a CX lead can change a programme.")
    if change and not programme.can_change:
        raise PermissionDenied(
            "This programme takes in teams or people outside yours: only a CX lead who "
            "looks after all of them can change it."
        )
    return programme
