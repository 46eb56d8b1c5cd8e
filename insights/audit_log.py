"""Every request an auditor makes is written down: an auditor reads across every team, so
the organisation can see exactly what was looked at, and when."""

from insights.models import AuditorAccess


class AuditorAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read after the view: the API authenticates its tokens there.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_auditor:
            AuditorAccess.objects.create(
                user=user,
                method=request.method[:10],
                path=request.get_full_path()[:500],
                status=response.status_code,
            )
        return response
