import secrets

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from immersion import home as home_panels
from immersion import sso
from immersion.celery import app as celery_app
from immersion.demo import password_reset_command
from immersion.heartbeat import worker_status
from immersion.models import Role

HOME_TEMPLATES = {
    Role.MANAGER: "immersion/home_manager.html",
    Role.CX_LEAD: "immersion/home_cx_lead.html",
    Role.EXECUTIVE: "immersion/home_executive.html",
    Role.AUDITOR: "immersion/home_auditor.html",
}


class SignOutView(auth_views.LogoutView):
    """Sign out, and say so: on a shared phone the next person sees it happened.

    The answer clears the browser's HTTP cache ("cache") but not "storage": that would
    also wipe the phone's outbox, where observations may still wait to be sent. The page
    script asks before signing out with unsent entries and then deletes this user's kept
    pages and outbox itself; the service worker drops the pages anyway as soon as a page
    shows nobody signed in.
    """

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        messages.success(request, gettext("You have signed out."))
        # Signed in through the provider: end that session too, or the next person on a
        # shared phone would be signed straight back in as this one.
        provider_url = sso.provider_sign_out_url(request, id_token)
        if provider_url:
            response = HttpResponseRedirect(provider_url)
        response["Clear-Site-Data"] = '"cache"'
        return response


class PasswordResetForm(auth_forms.PasswordResetForm):
    """The e-mail is in the language the account chose; without a choice, the page's."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = context["user"].language or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """The reset link points at SITE_URL, never at whatever Host header the request had."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "site_name": settings.SITE_NAME,
            "expiry_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        }
        return super().form_valid(form)


class SignInView(auth_views.LoginView):
    """Signing in lands where the user's work is (see `immersion.home`); `next` still wins.

    In debug mode the page says where the demo logins are: someone trying the site on a
    phone has no terminal in front of them.
    """

    def get_default_redirect_url(self):
        return home_panels.landing_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["password_signin"] = settings.PASSWORD_SIGNIN
        if settings.SSO_ENABLED:
            context["sso_provider"] = settings.SSO_PROVIDER_NAME
        if settings.DEBUG and settings.PASSWORD_SIGNIN:
            context["demo_reset_command"] = password_reset_command("maria")
        return context

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_SIGNIN:
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)


@login_not_required
def admin_sign_in(request, **kwargs):
    if settings.PASSWORD_SIGNIN:
        return admin.site.login(request, **kwargs)
    return SignInView.as_view()(request, **kwargs)


@require_safe
def home(request):
    template = HOME_TEMPLATES.get(request.user.primary_role, "immersion/home_no_role.html")
    return render(request, template, {"panels": home_panels.panels_for(request.user)})


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok() -> bool:
    # The site reads cache errors as misses, so a failing cache shows here only as a
    # value that does not come back. A key of its own per probe keeps concurrent
    # probes, and a value left from before the cache failed, out of the answer.
    key = f"health-probe-{secrets.token_hex(8)}"
    cache.set(key, "ok", 10)
    return cache.get(key) == "ok"


def _broker_ok() -> bool:
    if celery_app.conf.task_always_eager:
        return True
    with celery_app.connection_for_write() as conn:
        # One prompt attempt: a load balancer's probe must not hang on a dead broker.
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    return True


def _worker() -> dict:
    if celery_app.conf.task_always_eager:
        return {"status": "not applicable", "detail": "tasks run in the web process"}
    try:
        return worker_status()
    except Exception as exc:  # the database check already says why
        return {"status": f"unknown: {type(exc).__name__}"}


@login_not_required
@never_cache
@require_safe
def health(request):
    """For load balancers: 503 only when this server cannot serve pages, i.e. the database.

    The cache, the broker and the workers are shared by every web server, and pages work
    without them (slower, with work queued later), so a failure there is reported as
    "degraded" with a 200: answering 503 would take every server out of service at once
    for an outage that breaks nothing.
    """
    checks = {}
    for name, probe in (("database", _database_ok), ("cache", _cache_ok), ("broker", _broker_ok)):
        try:
            checks[name] = "ok" if probe() else "failing"
        except Exception as exc:  # any failure at all means "not healthy"
            checks[name] = f"failing: {type(exc).__name__}"
    worker = _worker()
    if checks["database"] != "ok":
        status = "failing"
    elif all(value == "ok" for value in checks.values()) and worker["status"] != "stale":
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse(
        {"status": status, "checks": checks, "worker": worker},
        status=503 if status == "failing" else 200,
    )


def server_error(request):
    """The 500 page, rendered without context processors: they may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))
