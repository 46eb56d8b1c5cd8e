"""Who may see and change what. Every view goes through these helpers.

Rules: a manager reaches the teams they belong to and the teams below them; a
CX lead and an executive reach the subtree of their teams too, the CX lead to
change, the executive only to read. Objects outside the reach give 404 (their
existence is not revealed); objects in reach that the user may not change give 403.
"""

from functools import wraps

from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied

from immersion.models import Role


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
